"""The validated access spec: frozen dataclasses, built only by `ramstack.spec.load`.

Everything downstream (Pulumi components, offline plan, evaluator, lint, diff) reads this model and
never re-validates. Names here are the cloud names (RAM UserName, RoleName, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ramstack.diagnostics import Location, Mark, locate
from ramstack.policy.document import PolicyDocument

PolicyType = Literal["System", "Custom"]


@dataclass(frozen=True)
class PolicyRef:
    """An attachment of a policy to a principal. `at` is where it is written: a Location, or the
    parser's raw position (a spec attaches tens of thousands, and `location` is seldom asked)."""

    name: str
    type: PolicyType
    at: Location | Mark | None = field(default=None, compare=False)
    generated: bool = False  # ramstack made it (the scoped assume grant)

    @property
    def key(self) -> str:
        return f"{self.type.lower()}:{self.name}"

    @property
    def location(self) -> Location | None:
        at = self.at
        return None if at is None else locate(at)


@dataclass(frozen=True)
class ConsoleLogin:
    mfa_required: bool = True
    password_reset_required: bool = True
    generated_password: bool = False  # a RandomPassword instead of ramstack:passwords.<user>
    password_version: int | None = None  # changing it re-creates the login profile (rotation)


@dataclass(frozen=True)
class User:
    name: str
    display_name: str | None = None
    comments: str | None = None
    email: str | None = None
    mobile: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    access_key: bool = False
    pgp_key: str | None = None
    console_login: ConsoleLogin | None = None
    groups: tuple[str, ...] = ()
    policies: tuple[PolicyRef, ...] = ()
    assume_roles: tuple[str, ...] = ()
    allow_assume_any_role: bool = False
    protect: bool = False  # users cannot be renamed (SPEC019), so they carry no renamed_from
    location: Location | None = field(default=None, compare=False)

    @property
    def subject(self) -> str:
        return f"user/{self.name}"


@dataclass(frozen=True)
class Group:
    name: str
    comments: str | None = None
    policies: tuple[PolicyRef, ...] = ()
    assume_roles: tuple[str, ...] = ()
    allow_assume_any_role: bool = False
    renamed_from: str | None = None
    location: Location | None = field(default=None, compare=False)

    @property
    def subject(self) -> str:
        return f"group/{self.name}"


@dataclass(frozen=True)
class OidcTrust:
    provider: str
    audiences: tuple[str, ...]
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class Trust:
    users: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    arns: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    oidc: tuple[OidcTrust, ...] = ()
    require_mfa: bool = False


@dataclass(frozen=True)
class GithubTrust:
    provider: str
    repository: str
    branch: str | None = None
    environment: str | None = None
    audience: str = "sts.aliyuncs.com"

    @property
    def subject(self) -> str:
        if self.environment:
            return f"repo:{self.repository}:environment:{self.environment}"
        return f"repo:{self.repository}:ref:refs/heads/{self.branch}"


@dataclass(frozen=True)
class Role:
    name: str
    trust: Trust
    trust_document: PolicyDocument
    description: str | None = None
    max_session_duration: int = 3600
    tags: tuple[tuple[str, str], ...] = ()
    policies: tuple[PolicyRef, ...] = ()
    github: GithubTrust | None = None
    protect: bool = False
    renamed_from: str | None = None
    location: Location | None = field(default=None, compare=False)

    @property
    def subject(self) -> str:
        return f"role/{self.name}"


@dataclass(frozen=True)
class CustomPolicy:
    name: str
    document: PolicyDocument
    description: str | None = None
    file: str | None = None
    generated_for: str | None = None  # subject of the principal a generated grant serves
    location: Location | None = field(default=None, compare=False)


@dataclass(frozen=True)
class OidcProvider:
    name: str
    issuer_url: str
    client_ids: tuple[str, ...]
    fingerprints: tuple[str, ...] = ()
    issuance_limit_time: int | None = None
    description: str | None = None
    location: Location | None = field(default=None, compare=False)
    renamed_from: str | None = None


@dataclass(frozen=True)
class Spec:
    account_id: str
    region: str
    users: tuple[User, ...] = ()
    groups: tuple[Group, ...] = ()
    roles: tuple[Role, ...] = ()
    policies: tuple[CustomPolicy, ...] = ()
    oidc_providers: tuple[OidcProvider, ...] = ()
    extra_system_policies: tuple[str, ...] = ()  # exist in the cloud, documents not bundled
    file: str | None = None
    quotas: tuple[tuple[str, int], ...] = ()  # the stack's ramstack:quotas overrides (names.QUOTAS)

    @cached_property
    def user_map(self) -> dict[str, User]:
        return {u.name: u for u in self.users}

    @cached_property
    def group_map(self) -> dict[str, Group]:
        return {g.name: g for g in self.groups}

    @cached_property
    def role_map(self) -> dict[str, Role]:
        return {r.name: r for r in self.roles}

    @cached_property
    def policy_map(self) -> dict[str, CustomPolicy]:
        return {p.name: p for p in self.policies}

    @cached_property
    def oidc_provider_map(self) -> dict[str, OidcProvider]:
        return {p.name: p for p in self.oidc_providers}

    def role_arn(self, role_name: str) -> str:
        return f"acs:ram::{self.account_id}:role/{role_name}"

    def user_arn(self, user_name: str) -> str:
        return f"acs:ram::{self.account_id}:user/{user_name}"

    def oidc_provider_arn(self, name: str) -> str:
        return f"acs:ram::{self.account_id}:oidc-provider/{name}"

"""The live account model: what RAM and IMS report, as frozen, sorted, comparable dataclasses.

The same model describes what a spec deploys (`expected.py`), so drift is one comparison of two
values of one type. Documents are kept as parsed JSON (RAM re-serialises trust documents,
pulumi-alicloud#1176); comparisons go through the canonical renderer, never the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ramstack.spec.model import PolicyType


@dataclass(frozen=True, order=True)
class Attachment:
    """A policy attached to a principal (`kind` is user, group or role)."""

    kind: str
    principal: str
    policy_type: PolicyType
    policy_name: str

    def describe(self) -> str:
        return f"{self.policy_type} policy {self.policy_name} on {self.kind}/{self.principal}"


@dataclass(frozen=True)
class LiveLogin:
    mfa_bind_required: bool
    password_reset_required: bool


@dataclass(frozen=True)
class LiveUser:
    name: str
    user_id: str = ""
    display_name: str | None = None
    comments: str | None = None
    email: str | None = None
    mobile: str | None = None
    tags: tuple[tuple[str, str], ...] | None = None  # None: the API did not report tags
    access_keys: tuple[str, ...] = ()  # AccessKey ids; the secrets cannot be read back
    login: LiveLogin | None = None
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class LiveGroup:
    name: str
    comments: str | None = None


@dataclass(frozen=True)
class LiveRole:
    name: str
    trust_document: Any  # parsed JSON
    description: str | None = None
    max_session_duration: int = 3600
    tags: tuple[tuple[str, str], ...] | None = None


@dataclass(frozen=True)
class LivePolicy:
    """A custom policy and the document of its default version."""

    name: str
    document: Any  # parsed JSON
    description: str | None = None


@dataclass(frozen=True)
class LiveOidcProvider:
    name: str
    issuer_url: str
    client_ids: tuple[str, ...] = ()
    fingerprints: tuple[str, ...] = ()
    issuance_limit_time: int | None = None
    description: str | None = None


@dataclass(frozen=True)
class LiveAccount:
    account_id: str
    users: tuple[LiveUser, ...] = ()
    groups: tuple[LiveGroup, ...] = ()
    roles: tuple[LiveRole, ...] = ()
    policies: tuple[LivePolicy, ...] = ()
    oidc_providers: tuple[LiveOidcProvider, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    @cached_property
    def user_map(self) -> dict[str, LiveUser]:
        return {u.name: u for u in self.users}

    @cached_property
    def group_map(self) -> dict[str, LiveGroup]:
        return {g.name: g for g in self.groups}

    @cached_property
    def role_map(self) -> dict[str, LiveRole]:
        return {r.name: r for r in self.roles}

    @cached_property
    def policy_map(self) -> dict[str, LivePolicy]:
        return {p.name: p for p in self.policies}

    @cached_property
    def oidc_provider_map(self) -> dict[str, LiveOidcProvider]:
        return {p.name: p for p in self.oidc_providers}

    def attachments_of(self, kind: str, principal: str) -> tuple[Attachment, ...]:
        return tuple(a for a in self.attachments if a.kind == kind and a.principal == principal)

    def memberships(self) -> set[tuple[str, str]]:
        """(user, group) pairs."""
        return {(u.name, g) for u in self.users for g in u.groups}

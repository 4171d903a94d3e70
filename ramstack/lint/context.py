"""What the rules see: the validated spec (when there is one) and the documents to check.

Rules never read files. They receive a `LintContext` and emit findings whose `path` says where the
problem is; a path is rooted at the spec (`("roles", "ci", "trust", "accounts", "self")`), at a custom
policy (`("policies", "app-read", "Statement", 0, "Action", "oss:*")`) or at lint.yaml
(`("lint", "suppressions", 2)`). Inside a list, a string element selects the item with that value,
so paths survive the canonical (sorted) order of the model.

Trust policies of spec roles are generated from `trust:`/`github:`; a `TrustView` maps a statement's
principals and conditions back to the spec keys that produced them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from ramstack.lint.finding import FindingPath, PathElement
from ramstack.policy.arn import RamEntity, parse_ram_entity
from ramstack.policy.document import PolicyDocument, Statement
from ramstack.spec.model import Group, Role, Spec, User

if TYPE_CHECKING:
    from ramstack.activity.log import ActivityLog
    from ramstack.activity.unused import GrantUsage

Principal = User | Group | Role

PLURAL = {"user": "users", "group": "groups", "role": "roles"}


@dataclass(frozen=True)
class LintOptions:
    """Tunable facts from the `options:` block of lint.yaml."""

    require_mfa: bool = False
    max_access_keys_per_user: int = 1
    size_warning_percent: int = 80
    condition_keys: tuple[str, ...] = ()
    condition_key_prefixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentView:
    """A policy document under lint, with the path root findings about it hang from."""

    name: str
    subject: str
    document: PolicyDocument
    root: FindingPath
    generated: bool = False  # made by ramstack (no file): findings point at what asked for it

    def path(self, index: int, *rest: PathElement) -> FindingPath:
        if self.generated:
            return self.root
        return (*self.root, "Statement", index, *rest)

    def statements(self) -> Iterator[tuple[int, Statement]]:
        return enumerate(self.document.statements)


_TrustPaths = tuple[
    tuple[FindingPath, ...],  # each statement's root
    Mapping[tuple[int, str], FindingPath],  # (statement, principal value) -> its spec key
    Mapping[tuple[int, str], FindingPath],  # (statement, condition key) -> its spec key
]


@dataclass(frozen=True)
class TrustView(DocumentView):
    """A role's generated trust policy; paths lead back to the role's `trust:`/`github:` keys (mapped
    when a finding first asks: most roles have none)."""

    role: Role | None = None
    account: str = ""

    @cached_property
    def _paths(self) -> _TrustPaths:
        return _trust_paths(self.role, self.account) if self.role is not None else ((), {}, {})

    def path(self, index: int, *rest: PathElement) -> FindingPath:
        statement_roots, principal_paths, condition_paths = self._paths
        base = statement_roots[index] if 0 <= index < len(statement_roots) else self.root
        if len(rest) >= 3 and rest[0] == "Principal":
            return principal_paths.get((index, str(rest[2])), base)
        if len(rest) >= 3 and rest[0] == "Condition":
            mapped = condition_paths.get((index, str(rest[2])))
            return (*mapped, *rest[3:]) if mapped is not None else base  # values select list items
        return base


@dataclass(frozen=True)
class LintContext:
    """Input of every rule. `spec` is None when linting standalone documents."""

    spec: Spec | None
    documents: tuple[DocumentView, ...] = ()  # permission policies
    trusts: tuple[DocumentView, ...] = ()  # trust policies
    options: LintOptions = field(default_factory=LintOptions)
    access_keys: Mapping[str, int] = field(default_factory=dict)  # user name -> AccessKey pairs
    activity: ActivityLog | None = None  # recorded calls in the window (activity rules only)
    # principal value -> its parse, shared by the trust rules (thousands of trusted users at scale)
    _entities: dict[str, RamEntity | None] = field(default_factory=dict, compare=False, repr=False)

    def ram_entity(self, value: str) -> RamEntity | None:
        """`parse_ram_entity(value)`, parsed once per context however many rules ask."""
        try:
            return self._entities[value]
        except KeyError:
            found = self._entities[value] = parse_ram_entity(value)
            return found

    @cached_property
    def grant_usages(self) -> tuple[GrantUsage, ...]:
        """The spec's Allow grants with what the recorded calls used of each; computed once per
        context, however many activity rules ask (() without a spec or activity)."""
        if self.spec is None or self.activity is None:
            return ()
        from ramstack.activity.unused import grant_usages

        return grant_usages(self.spec, self.activity)

    def principals(self) -> Iterator[tuple[str, Principal]]:
        """(plural kind, principal) for every user, group and role of the spec."""
        if self.spec is None:
            return
        for user in self.spec.users:
            yield "users", user
        for group in self.spec.groups:
            yield "groups", group
        for role in self.spec.roles:
            yield "roles", role


def spec_context(spec: Spec, options: LintOptions | None = None) -> LintContext:
    """The context of a whole stack: its custom policies, its roles' trust policies, its users' keys."""
    documents = []
    for policy in spec.policies:
        if policy.generated_for:
            kind, _, owner = policy.generated_for.partition("/")
            root: FindingPath = (PLURAL.get(kind, kind), owner, "assume_roles")
            documents.append(DocumentView(policy.name, f"policy/{policy.name}", policy.document, root, True))
        else:
            documents.append(
                DocumentView(policy.name, f"policy/{policy.name}", policy.document, ("policies", policy.name))
            )
    trusts = tuple(trust_view(spec, role) for role in spec.roles)
    keys = {user.name: 1 for user in spec.users if user.access_key}
    return LintContext(spec, tuple(documents), trusts, options or LintOptions(), keys)


def document_context(
    views: tuple[DocumentView, ...], kind: str, options: LintOptions | None = None
) -> LintContext:
    """The context of standalone documents (`ramstack lint --policy`, the CrossGuard pack)."""
    if kind == "trust":
        return LintContext(None, (), views, options or LintOptions())
    return LintContext(None, views, (), options or LintOptions())


def trust_view(spec: Spec, role: Role) -> TrustView:
    """The view of a role's trust policy, its statements mapped back to the keys of `roles.<name>`
    that produced them (`_trust_paths`)."""
    return TrustView(
        role.name, role.subject, role.trust_document, ("roles", role.name), role=role, account=spec.account_id
    )


def _trust_paths(role: Role, account: str) -> _TrustPaths:
    """Map the generated trust statements back to the keys of `roles.<name>` that produced them.

    Statement order follows `ramstack.spec.trust.trust_policy_dict`: RAM principals, services, one
    statement per `trust.oidc` entry, then the `github:` preset.
    """
    base: FindingPath = ("roles", role.name)
    trust = role.trust
    roots: list[FindingPath] = []
    principals: dict[tuple[int, str], FindingPath] = {}
    conditions: dict[tuple[int, str], FindingPath] = {}
    ram: list[tuple[str, FindingPath]] = []
    ram += [(f"acs:ram::{account}:user/{u}", (*base, "trust", "users", u)) for u in trust.users]
    ram += [(f"acs:ram::{account}:role/{r}", (*base, "trust", "roles", r)) for r in trust.roles]
    ram += [
        (f"acs:ram::{account if a == 'self' else a}:root", (*base, "trust", "accounts", a))
        for a in trust.accounts
    ]
    ram += [(arn, (*base, "trust", "arns", arn)) for arn in trust.arns]
    if ram:
        index = len(roots)
        roots.append((*base, "trust"))
        principals.update({(index, value): path for value, path in ram})
        conditions[(index, "acs:MFAPresent")] = (*base, "trust", "require_mfa")
    if trust.services:
        index = len(roots)
        roots.append((*base, "trust", "services"))
        principals.update({(index, s): (*base, "trust", "services", s) for s in trust.services})
    for k, entry in enumerate(trust.oidc):
        index = len(roots)
        here: FindingPath = (*base, "trust", "oidc", k)
        roots.append(here)
        principals[(index, f"acs:ram::{account}:oidc-provider/{entry.provider}")] = (*here, "provider")
        conditions[(index, "oidc:iss")] = (*here, "provider")
        conditions[(index, "oidc:aud")] = (*here, "audiences")
        conditions[(index, "oidc:sub")] = (*here, "subjects")
    if role.github is not None:
        index = len(roots)
        gh: FindingPath = (*base, "github")
        roots.append(gh)
        principals[(index, f"acs:ram::{account}:oidc-provider/{role.github.provider}")] = (*gh, "provider")
        conditions[(index, "oidc:iss")] = (*gh, "provider")
        conditions[(index, "oidc:aud")] = (*gh, "audience")
        conditions[(index, "oidc:sub")] = (*gh, "environment" if role.github.environment else "branch")
    if len(roots) != len(role.trust_document.statements):  # a trust not generated by ramstack
        roots, principals, conditions = [], {}, {}
    return tuple(roots), principals, conditions

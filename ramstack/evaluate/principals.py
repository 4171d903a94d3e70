"""The identity policies and trust policy of a spec principal, ready for the evaluator.

A user's identity policies are its own attachments plus those of every group it belongs to
(reference §2, step 3); a group's and a role's are their own. Custom documents come from
`spec.policy_map` (files, and the generated assume grants), system documents from the bundled
catalog. A policy attached twice (to the user and to one of its groups) is evaluated once.

Subjects are written `user/NAME`, `group/NAME`, `role/NAME`; callers that are not spec principals
are `service/<svc>.aliyuncs.com` and `oidc-provider/NAME` / `saml-provider/NAME` (federated).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

from ramstack.evaluate.named import NamedPolicy
from ramstack.evaluate.request import Caller
from ramstack.policy.document import PolicyDocument
from ramstack.spec.catalog import system_policy
from ramstack.spec.model import Group, PolicyRef, Role, Spec, User

UNKNOWN_DOCUMENT = PolicyDocument(statements=())
SUBJECT_KINDS = ("user", "group", "role", "service", "oidc-provider", "saml-provider")
T = TypeVar("T")


class UnknownPrincipal(ValueError):
    """A subject that is malformed or not in the spec; `fix` says what would be accepted."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


class Held(Protocol):
    """A policy as a principal holds it: a NamedPolicy, or what effective permissions keep of one."""

    @property
    def name(self) -> str: ...

    @property
    def document(self) -> PolicyDocument: ...


def unevaluated_names(policies: Iterable[Held]) -> list[str]:
    """The attached system policies whose document the bundled catalog lacks (UNKNOWN_DOCUMENT),
    sorted: offline evaluation cannot account for what they grant."""
    return sorted(p.name for p in policies if p.document is UNKNOWN_DOCUMENT)


def split_subject(subject: str) -> tuple[str, str]:
    """`"user/alice"` -> `("user", "alice")`; raises UnknownPrincipal when malformed."""
    kind, sep, name = subject.partition("/")
    if not sep or not name or kind not in SUBJECT_KINDS:
        raise UnknownPrincipal(
            f"principal {subject!r} must be <kind>/<name> with kind one of {', '.join(SUBJECT_KINDS)}",
            "e.g. user/alice or role/deploy",
        )
    return kind, name


def _find(table: Mapping[str, T], kind: str, name: str, spec: Spec) -> T:
    found = table.get(name)
    if found is None:
        close = difflib.get_close_matches(name, list(table), n=1)
        fix = f"did you mean {kind}/{close[0]}?" if close else f"declare it in {spec.file or 'the spec'}"
        raise UnknownPrincipal(f"{kind} {name!r} is not in the spec", fix)
    return found


def spec_user(spec: Spec, name: str) -> User:
    return _find(spec.user_map, "user", name, spec)


def spec_group(spec: Spec, name: str) -> Group:
    return _find(spec.group_map, "group", name, spec)


def spec_role(spec: Spec, name: str) -> Role:
    return _find(spec.role_map, "role", name, spec)


def attached_policy(spec: Spec, ref: PolicyRef, via: str | None = None) -> NamedPolicy:
    """The document behind one attachment."""
    if ref.type == "System":
        system = system_policy(ref.name)
        if system is None:
            # Declared under extra_system_policies: it exists, but its document is not bundled, so
            # offline evaluation cannot see what it grants (reports list it as not evaluated).
            return NamedPolicy(ref.name, UNKNOWN_DOCUMENT, "system", via=via)
        return NamedPolicy(ref.name, system.document, "system", via=via)
    custom = spec.policy_map.get(ref.name)
    if custom is None:
        raise LookupError(f"custom policy {ref.name!r} is not in the spec")
    if custom.file is not None:
        return NamedPolicy(ref.name, custom.document, "custom", via=via)
    return NamedPolicy(
        ref.name, custom.document, "generated", anchor=ref.location or custom.location, via=via
    )


def _unique(items: Iterable[tuple[PolicyRef, str]]) -> tuple[tuple[PolicyRef, str], ...]:
    seen: set[str] = set()
    out: list[tuple[PolicyRef, str]] = []
    for ref, via in items:
        key = ref.key
        if key not in seen:
            seen.add(key)
            out.append((ref, via))
    return tuple(out)


def attachments(spec: Spec, subject: str) -> tuple[tuple[PolicyRef, str], ...]:
    """The attachments in force for `user/NAME`, `group/NAME` or `role/NAME`, each with the subject
    holding it (the user, or the group it comes through); a policy attached twice (to the user and to
    one of its groups) is listed once, where it comes first."""
    kind, name = split_subject(subject)
    if kind == "user":
        user = spec_user(spec, name)
        refs = [(ref, subject) for ref in user.policies]
        for group_name in user.groups:
            group = spec_group(spec, group_name)
            via = group.subject
            refs += [(ref, via) for ref in group.policies]
        return _unique(refs)
    if kind == "group":
        return _unique((ref, subject) for ref in spec_group(spec, name).policies)
    if kind == "role":
        return _unique((ref, subject) for ref in spec_role(spec, name).policies)
    raise UnknownPrincipal(
        f"{subject!r} has no identity policies in the spec", "name a user/, group/ or role/ of the spec"
    )


def identity_policies(spec: Spec, subject: str) -> tuple[NamedPolicy, ...]:
    """Every identity policy in force for `user/NAME`, `group/NAME` or `role/NAME`."""
    return tuple(attached_policy(spec, ref, via) for ref, via in attachments(spec, subject))


def trust_policy(spec: Spec, role_name: str) -> NamedPolicy:
    """The role's trust policy, reported as `trust:<role>` and pointing at the role in the spec."""
    role = spec_role(spec, role_name)
    return NamedPolicy(
        f"trust:{role.name}", role.trust_document, "trust", anchor=role.location, via=role.subject
    )


def caller_for(spec: Spec, subject: str) -> Caller:
    """The caller a subject stands for (a user or role of the spec, a service, an IdP)."""
    kind, name = split_subject(subject)
    if kind == "user":
        return Caller.user(spec.account_id, spec_user(spec, name).name)
    if kind == "role":
        return Caller.role(spec.account_id, spec_role(spec, name).name)
    if kind == "service":
        return Caller.service(name)
    if kind == "oidc-provider":
        provider = _find(spec.oidc_provider_map, "oidc-provider", name, spec)
        return Caller.federated(spec.oidc_provider_arn(provider.name))
    if kind == "saml-provider":
        return Caller.federated(f"acs:ram::{spec.account_id}:saml-provider/{name}")
    raise UnknownPrincipal(f"a group ({subject}) cannot make requests", "name one of its users: user/NAME")

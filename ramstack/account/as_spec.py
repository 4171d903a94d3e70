"""The live account as the core's `Spec`, so the effective-permission code evaluates a live account
exactly as it evaluates a spec (one evaluator, one comparison: `ramstack.permdiff`).

Documents RAM accepted but ramstack's grammar rejects cannot be evaluated: they become empty
documents and are returned by name, for the caller to report.
"""

from __future__ import annotations

from typing import Any

from ramstack.account.model import LiveAccount
from ramstack.diagnostics import InvalidInput
from ramstack.policy.document import PolicyDocument, PolicyKind, render_json
from ramstack.policy.validate import parse_policy_dict
from ramstack.spec.catalog import system_policy
from ramstack.spec.model import (
    ConsoleLogin,
    CustomPolicy,
    Group,
    OidcProvider,
    PolicyRef,
    Role,
    Spec,
    Trust,
    User,
)

EMPTY = PolicyDocument(statements=())


def parse_document(data: Any, kind: PolicyKind, source: str) -> PolicyDocument | None:
    """The validated document, or None when ramstack's grammar rejects it."""
    if not isinstance(data, dict):
        return None
    try:
        return parse_policy_dict(data, kind, source=source)
    except InvalidInput:
        return None


def canonical_document(data: Any, kind: PolicyKind) -> str:
    """The canonical rendering of a document (parsed, values sorted); a document the grammar rejects
    is compared as key-sorted JSON, never as the text RAM happened to return."""
    parsed = parse_document(data, kind, "<compare>")
    return parsed.to_json() if parsed is not None else render_json(data)


def live_as_spec(account: LiveAccount, region: str = "") -> tuple[Spec, tuple[str, ...]]:
    """(spec, names of documents that could not be evaluated)."""
    unreadable: list[str] = []

    def refs(kind: str, name: str) -> tuple[PolicyRef, ...]:
        return tuple(PolicyRef(a.policy_name, a.policy_type) for a in account.attachments_of(kind, name))

    policies = []
    for policy in account.policies:
        document = parse_document(policy.document, "permission", f"live:{policy.name}")
        if document is None:
            unreadable.append(f"policy/{policy.name}")
        policies.append(CustomPolicy(policy.name, document or EMPTY, policy.description, file="<live>"))
    roles = []
    for role in account.roles:
        trust = parse_document(role.trust_document, "trust", f"live:trust:{role.name}")
        if trust is None:
            unreadable.append(f"role/{role.name} trust")
        roles.append(
            Role(
                role.name,
                Trust(),
                trust or PolicyDocument(statements=(), kind="trust"),
                role.description,
                role.max_session_duration,
                role.tags or (),
                refs("role", role.name),
            )
        )
    users = [
        User(
            u.name,
            u.display_name,
            u.comments,
            u.email,
            u.mobile,
            u.tags or (),
            access_key=bool(u.access_keys),
            console_login=ConsoleLogin(u.login.mfa_bind_required, u.login.password_reset_required)
            if u.login
            else None,
            groups=u.groups,
            policies=refs("user", u.name),
        )
        for u in account.users
    ]
    groups = [Group(g.name, g.comments, refs("group", g.name)) for g in account.groups]
    providers = [
        OidcProvider(p.name, p.issuer_url, p.client_ids, p.fingerprints, p.issuance_limit_time, p.description)
        for p in account.oidc_providers
    ]
    unbundled = sorted(
        {a.policy_name for a in account.attachments if a.policy_type == "System"}
        - {a.policy_name for a in account.attachments if system_policy(a.policy_name) is not None}
    )
    spec = Spec(
        account.account_id,
        region,
        tuple(users),
        tuple(groups),
        tuple(roles),
        tuple(policies),
        tuple(providers),
        tuple(unbundled),
    )
    return spec, tuple(unreadable)

"""How the fake decides every role assumption, as RAM does (reference §2), with ramstack's evaluator
over the fake's own state. There is no lenient path: a test that assumes a role is held to it.

- AssumeRole (a RAM user or an STS session of a role): the caller's identity policies must allow
  sts:AssumeRole on the role AND the role's trust policy must name the caller with its conditions
  met; a session policy of the calling STS session narrows the identity side further.
- AssumeRoleWithOIDC / AssumeRoleWithSAML (an identity provider): the trust policy alone decides
  (role-based SSO has no identity step), with the token's claims as `oidc:*` / `saml:*` keys.

The request context of an AccessKey-signed call is acs:CurrentTime, acs:SecureTransport "true"
and acs:MFAPresent "false" (an AccessKey cannot present MFA).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ramstack.diagnostics import InvalidInput
from ramstack.fakecloud.state import AccountState, Role
from ramstack.policy.document import PolicyDocument, PolicyKind

SET_SOURCE_IDENTITY = "sts:SetSourceIdentity"


@dataclass(frozen=True)
class AssumeVerdict:
    allowed: bool
    reason: str


def _document(text: str, kind: PolicyKind) -> PolicyDocument | None:
    from ramstack.policy.validate import parse_policy_dict

    try:
        return parse_policy_dict(json.loads(text), kind, source="fakecloud")
    except (InvalidInput, ValueError):
        return None


def identity_documents(state: AccountState, caller_arn: str) -> list[tuple[str, PolicyDocument]]:
    """The identity policies in force for a user (its own and its groups') or a role of the fake."""
    from ramstack.spec.catalog import system_policy

    kind, _, name = caller_arn.rpartition(":")[2].partition("/")
    holders: list[tuple[str, str]] = []
    if kind == "user" and name in state.users:
        user = state.users[name]
        holders.append(("User", user.user_id))
        holders += [("Group", group.group_id) for group, _ in state.groups_of(user.user_id)]
    elif kind == "role" and name.split("/")[0] in state.roles:
        holders.append(("Role", state.roles[name.split("/")[0]].role_id))
    out: list[tuple[str, PolicyDocument]] = []
    for holder_kind, holder_id in holders:
        for key, _ in state.attachments_of(holder_kind, holder_id):  # type: ignore[arg-type]
            if key.policy_type == "System":
                system = system_policy(key.policy_name)
                if system is not None:
                    out.append((key.policy_name, system.document))
                continue
            policy = state.policies.get(key.policy_name)
            if policy is None:
                continue
            document = _document(policy.versions[policy.default_version].document, "permission")
            if document is not None:
                out.append((key.policy_name, document))
    return out


def access_key_context(now: str) -> dict[str, str]:
    return {"acs:CurrentTime": now, "acs:SecureTransport": "true", "acs:MFAPresent": "false"}


def decide_ram_caller(
    state: AccountState,
    principal_arn: str,
    role: Role,
    context: Mapping[str, str | Sequence[str]],
    session_policy: str | None = None,
    *,
    sets_source_identity: bool = False,
) -> AssumeVerdict:
    """May the RAM user or role `principal_arn` (a role for an STS session) assume `role`?

    Setting a SourceIdentity also needs `sts:SetSourceIdentity` from both policies, as AWS STS and
    Huawei IAM require: UNCONFIRMED for RAM, chosen because a fake must not be more lenient.
    """
    from ramstack.evaluate.assume import ASSUME_ROLE, evaluate_assume
    from ramstack.evaluate.compile import NamedPolicy
    from ramstack.evaluate.evaluator import PolicySet
    from ramstack.evaluate.request import Caller, Request, freeze_context

    trust = _document(role.assume_role_policy_document, "trust")
    if trust is None:
        return AssumeVerdict(False, f"the trust policy of {role.arn} cannot be read")
    caller = Caller("role", principal_arn) if ":role/" in principal_arn else Caller("user", principal_arn)
    identity = [NamedPolicy(name, doc, "custom") for name, doc in identity_documents(state, principal_arn)]
    decision = evaluate_assume(
        caller, role.arn, NamedPolicy(f"trust:{role.role_name}", trust, "trust"), identity, context
    )
    if not decision.allowed:
        return AssumeVerdict(False, decision.reason)
    if sets_source_identity:
        request = Request(SET_SOURCE_IDENTITY, role.arn, freeze_context(context), caller)
        trust_set = PolicySet([NamedPolicy(f"trust:{role.role_name}", trust, "trust")])
        identity_set = PolicySet(identity)
        if not (trust_set.evaluate(request).allowed and identity_set.evaluate(request).allowed):
            return AssumeVerdict(False, f"{SET_SOURCE_IDENTITY} is not allowed by both policies")
    if session_policy is not None:
        session = _document(session_policy, "permission")
        request = Request(ASSUME_ROLE, role.arn, freeze_context(context))
        if (
            session is None
            or not PolicySet([NamedPolicy("session", session, "session")]).evaluate(request).allowed
        ):
            return AssumeVerdict(False, f"the session policy of the caller does not allow {ASSUME_ROLE}")
    return AssumeVerdict(True, decision.reason)


def decide_federated(
    provider_arn: str, role: Role, context: Mapping[str, str | Sequence[str]]
) -> AssumeVerdict:
    """May the identity provider `provider_arn`, presenting a token with these claims, assume `role`?"""
    from ramstack.evaluate.assume import evaluate_assume
    from ramstack.evaluate.compile import NamedPolicy
    from ramstack.evaluate.request import Caller

    trust = _document(role.assume_role_policy_document, "trust")
    if trust is None:
        return AssumeVerdict(False, f"the trust policy of {role.arn} cannot be read")
    decision = evaluate_assume(
        Caller.federated(provider_arn),
        role.arn,
        NamedPolicy(f"trust:{role.role_name}", trust, "trust"),
        None,
        context,
    )
    return AssumeVerdict(decision.allowed, decision.reason)

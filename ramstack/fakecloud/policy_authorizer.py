"""An authorizer that decides AssumeRole as RAM does: the caller's identity policies must allow
sts:AssumeRole on the role AND the role's trust policy must name the caller with its conditions met
(reference §2), evaluated by ramstack's evaluator over the fake's own state.

Opt in with `FakeCloud.with_policy_evaluation()`. The request context is what an AccessKey-signed
API call carries: acs:CurrentTime, acs:SecureTransport "true" and acs:MFAPresent "false" (an
AccessKey cannot present MFA), plus any acs: keys the authorizer context holds.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ramstack.diagnostics import InvalidInput
from ramstack.fakecloud.state import AccountState
from ramstack.policy.document import PolicyDocument


def _document(text: str, kind: str) -> PolicyDocument | None:
    from ramstack.policy.validate import parse_policy_dict

    try:
        return parse_policy_dict(json.loads(text), kind, source="fakecloud")  # type: ignore[arg-type]
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


def policy_authorizer(state_of: Any) -> Any:
    """An `Authorizer` for `FakeCloud(authorizer=...)`; `state_of()` returns the fake's AccountState."""
    from ramstack.evaluate.assume import evaluate_assume
    from ramstack.evaluate.compile import NamedPolicy
    from ramstack.evaluate.request import Caller

    def authorize(caller_arn: str, action: str, resource: str, context: Mapping[str, Any]) -> bool | None:
        if action != "sts:AssumeRole":
            return None
        state: AccountState = state_of()
        role = state.roles.get(resource.rpartition("/")[2])
        if role is None:
            return None
        trust = _document(role.assume_role_policy_document, "trust")
        if trust is None:
            return False
        principal = str(context.get("CallerPrincipalArn", caller_arn))
        caller = Caller("role", principal) if ":role/" in principal else Caller("user", principal)
        identity = [NamedPolicy(name, doc, "custom") for name, doc in identity_documents(state, principal)]
        request_context = {
            "acs:CurrentTime": str(context.get("acs:CurrentTime", "")),
            "acs:SecureTransport": "true",
            "acs:MFAPresent": "false",
            **{k: v for k, v in context.items() if k.startswith("acs:") and k != "acs:CurrentTime"},
        }
        decision = evaluate_assume(
            caller,
            resource,
            NamedPolicy(f"trust:{role.role_name}", trust, "trust"),
            identity,
            request_context,
        )
        return decision.allowed

    return authorize

"""Authorise one API call as RAM does, with ramstack's evaluator over the fake cloud's policies.

A RAM user's call is decided by its identity policies (its own and its groups'); an STS session's
by the role's policies narrowed by the session policy it was issued with (reference §2: the
intersection; `ramstack.evaluate.session`). The account's own (root) key is never refused. Every
(action, resource) pair of `resources.required_permissions` must be allowed.

The request context carries what the endpoint knows of the request: acs:SourceIp (the client
address), acs:SecureTransport ("false": the endpoint speaks plain HTTP), acs:CurrentTime, and
acs:MFAPresent "false" (an AccessKey or STS key cannot present MFA).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

from ramstack.diagnostics import InvalidInput
from ramstack.evaluate.compile import NamedPolicy
from ramstack.evaluate.decision import Decision
from ramstack.evaluate.evaluator import PolicySet
from ramstack.evaluate.request import Request, freeze_context
from ramstack.evaluate.session import evaluate_session
from ramstack.fakecloud import FakeCloud
from ramstack.fakecloud.credentials import Credential

# AccessDeniedDetail.PolicyType values (Alibaba's NoPermission responses; names UNCONFIRMED).
IDENTITY_POLICY = "AccountLevelIdentityBasedPolicy"
SESSION_POLICY = "SessionPolicy"
TRUST_POLICY = "AssumeRolePolicy"


@dataclass(frozen=True)
class Denial:
    """Why a call was refused: the first (action, resource) not allowed and the side that refused."""

    action: str
    resource: str
    policy_type: str
    decision: Decision

    @property
    def no_permission_type(self) -> Literal["ExplicitDeny", "ImplicitDeny"]:
        return "ExplicitDeny" if self.decision.decision == "ExplicitDeny" else "ImplicitDeny"


def _session_policy(text: str) -> PolicySet:
    from ramstack.policy.validate import parse_policy_dict

    try:
        document = parse_policy_dict(json.loads(text), "permission", source="session policy")
    except (InvalidInput, ValueError):
        # AssumeRole validated it before issuing the session; if it cannot be read now, it allows nothing.
        return PolicySet(())
    return PolicySet([NamedPolicy("session policy", document, "session")])


def authorize(
    cloud: FakeCloud,
    credential: Credential,
    permissions: list[tuple[str, str]],
    context: dict[str, str],
) -> Denial | None:
    """None when every permission is allowed; else the first denial."""
    if credential.kind == "root" or not permissions:
        return None
    identity = PolicySet(
        NamedPolicy(name, document, "custom")
        for name, document in cloud.identity_policies(credential.principal_arn)
    )
    session = None
    if credential.kind == "session" and credential.session_policy is not None:
        session = _session_policy(credential.session_policy)
    frozen = freeze_context(context)
    for action, resource in permissions:
        request = Request(action, resource, frozen)
        if credential.kind == "session":
            decision = evaluate_session(identity, session, request)
            if not decision.allowed:
                session_side, role_side = decision.part("session"), decision.part("role")
                refused_by_session = session_side is not None and (
                    session_side.decision == "ExplicitDeny"
                    or (not session_side.allowed and role_side is not None and role_side.allowed)
                )
                side = SESSION_POLICY if refused_by_session else IDENTITY_POLICY
                return Denial(action, resource, side, decision)
        else:
            decision = identity.evaluate(request)
            if not decision.allowed:
                return Denial(action, resource, IDENTITY_POLICY, decision)
    return None

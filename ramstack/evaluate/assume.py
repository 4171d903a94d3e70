"""Role assumption (`sts:AssumeRole`), reference §2 "Assuming a role".

Two decisions, and both must Allow:
  identity  the caller's identity policies allow `sts:AssumeRole` on the role's ARN;
  trust     the role's trust policy has a statement naming the caller (its user / role ARN, its
            account root `acs:ram::<uid>:root`, `*`; a service principal; an identity provider)
            whose action covers sts:AssumeRole and whose conditions hold in the request context.
A Deny on either side is final. Services and federated (SAML / OIDC) callers have no identity step:
for them the trust decision alone counts (role-based SSO, reference §2). A user or role of another
account has an identity step in its own account, which a stack of this account cannot see: with
`identity_elsewhere` only the trust side is decided here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from ramstack.evaluate.compile import NamedPolicy
from ramstack.evaluate.decision import Decision, Match, Verdict
from ramstack.evaluate.evaluator import PolicySet
from ramstack.evaluate.options import DEFAULT_OPTIONS, EvalOptions
from ramstack.evaluate.principals import caller_for, identity_policies, spec_role, trust_policy
from ramstack.evaluate.request import ASSUME_ROLE as ASSUME_ROLE  # re-exported: its home before
from ramstack.evaluate.request import Caller, ContextInput, Request, freeze_context
from ramstack.spec.model import Spec

Side = Literal["identity", "trust"]


@dataclass(frozen=True)
class AssumeDecision:
    decision: Verdict
    caller: Caller
    role_arn: str
    identity: Decision | None  # None: no identity step (service, federated) or not here (other account)
    trust: Decision
    failed: tuple[Side, ...]  # the sides that did not Allow
    reason: str

    @property
    def allowed(self) -> bool:
        return self.decision == "Allow"

    @property
    def matched(self) -> tuple[Match, ...]:
        sides = [d for d in (self.identity, self.trust) if d is not None]
        if self.decision == "ExplicitDeny":
            return tuple(m for d in sides if d.decision == "ExplicitDeny" for m in d.matched)
        if self.decision == "Allow":
            return tuple(m for d in sides for m in d.matched)
        return ()

    def to_json(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "caller": self.caller.arn,
            "role": self.role_arn,
            "matched": [m.to_json() for m in self.matched],
            "failed": list(self.failed),
            "identity": None if self.identity is None else self.identity.to_json(),
            "trust": self.trust.to_json(),
            "reason": self.reason,
        }


def evaluate_assume(
    caller: Caller,
    role_arn: str,
    trust: PolicySet | NamedPolicy,
    identity: PolicySet | Iterable[NamedPolicy] | None,
    context: ContextInput | None = None,
    options: EvalOptions = DEFAULT_OPTIONS,
    *,
    identity_elsewhere: bool = False,
) -> AssumeDecision:
    """May `caller` assume the role `role_arn` whose trust policy is `trust`?

    `identity` is the caller's identity policies (ignored for services and identity providers;
    None for a user or role means it holds none). `identity_elsewhere`: the caller is a principal of
    another account, whose identity policies live in that account, so only the trust side is decided.
    """
    trust_set = trust if isinstance(trust, PolicySet) else PolicySet([trust], options)
    request = Request(ASSUME_ROLE, role_arn, freeze_context(context), caller)
    trust_decision = _trust_decision(trust_set.evaluate(request), caller)
    identity_decision: Decision | None = None
    if caller.kind in ("user", "role") and not identity_elsewhere:
        identity_set = identity if isinstance(identity, PolicySet) else PolicySet(identity or (), options)
        identity_decision = identity_set.evaluate(Request(ASSUME_ROLE, role_arn, request.context))
    sides: dict[Side, Decision] = {"trust": trust_decision}
    if identity_decision is not None:
        sides = {"identity": identity_decision, "trust": trust_decision}
    failed = tuple(side for side, d in sides.items() if not d.allowed)
    verdict: Verdict = "Allow"
    if any(d.decision == "ExplicitDeny" for d in sides.values()):
        verdict = "ExplicitDeny"
    elif failed:
        verdict = "ImplicitDeny"
    return AssumeDecision(
        verdict, caller, role_arn, identity_decision, trust_decision, failed, _reason(caller, role_arn, sides)
    )


def _trust_decision(decision: Decision, caller: Caller) -> Decision:
    if decision.decision != "ImplicitDeny":
        return decision
    reason = f"the trust policy names no principal matching {caller.arn} with its conditions met"
    detail = decision.reason.partition("; ")[2]
    return Decision("ImplicitDeny", (), reason + (f"; {detail}" if detail else ""), decision.missing_keys)


def _reason(caller: Caller, role_arn: str, sides: dict[Side, Decision]) -> str:
    labels = {
        "identity": f"identity policies of {caller.arn} on {ASSUME_ROLE}",
        "trust": f"trust policy of {role_arn}",
    }
    parts = [f"{labels[side]}: {d.decision} ({d.reason})" for side, d in sides.items()]
    verb = "may" if all(d.allowed for d in sides.values()) else "may not"
    return f"{caller.arn} {verb} assume {role_arn}: " + "; ".join(parts)


def assume_role(
    spec: Spec,
    subject: str,
    role_name: str,
    context: ContextInput | None = None,
    options: EvalOptions = DEFAULT_OPTIONS,
) -> AssumeDecision:
    """`evaluate_assume` for principals of a spec: `user/NAME` or `role/NAME` (identity policies
    from the spec), `service/...`, `oidc-provider/NAME`, `saml-provider/NAME`."""
    role = spec_role(spec, role_name)
    caller = caller_for(spec, subject)
    identity = identity_policies(spec, subject) if caller.kind in ("user", "role") else None
    return evaluate_assume(
        caller, spec.role_arn(role.name), trust_policy(spec, role.name), identity, context, options
    )

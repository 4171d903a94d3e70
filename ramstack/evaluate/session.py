"""What an STS session may do: the role's policies narrowed by the optional session policy.

Reference §2 [S10][S20]: the token's permissions are the intersection of the role's attached
policies and the `Policy` parameter of AssumeRole; the session policy can only narrow; without one
the token has all of the role's permissions; a Deny in either wins.

Combined verdict: ExplicitDeny if either side denies explicitly (every denying statement is
listed); Allow only if both sides allow (the allowing statements of both are listed); else
ImplicitDeny, with the reason naming the side that did not allow.
"""

from __future__ import annotations

from ramstack.evaluate.decision import Decision
from ramstack.evaluate.evaluator import PolicySet
from ramstack.evaluate.request import Request


def evaluate_session(role: PolicySet, session: PolicySet | None, request: Request) -> Decision:
    role_decision = role.evaluate(request)
    if session is None:
        return Decision(
            role_decision.decision,
            role_decision.matched,
            role_decision.reason,
            role_decision.missing_keys,
            (("role", role_decision),),
        )
    session_decision = session.evaluate(request)
    parts = (("session", session_decision), ("role", role_decision))
    keys = tuple(dict.fromkeys(session_decision.missing_keys + role_decision.missing_keys))
    sides = {"session policy": session_decision, "role's policies": role_decision}
    denied = [name for name, d in sides.items() if d.decision == "ExplicitDeny"]
    if denied:
        matched = tuple(m for d in sides.values() if d.decision == "ExplicitDeny" for m in d.matched)
        reasons = "; ".join(f"{name}: {sides[name].reason}" for name in denied)
        return Decision(
            "ExplicitDeny", matched, f"denied by the {' and the '.join(denied)} ({reasons})", keys, parts
        )
    if session_decision.allowed and role_decision.allowed:
        matched = session_decision.matched + role_decision.matched
        reason = (
            f"allowed by the session policy ({session_decision.reason}) "
            f"and the role's policies ({role_decision.reason})"
        )
        return Decision("Allow", matched, reason, keys, parts)
    failing = [name for name, d in sides.items() if not d.allowed]
    reasons = "; ".join(f"{name}: {sides[name].reason}" for name in failing)
    verb = "does" if failing == ["session policy"] else "do"
    reason = f"the {' and the '.join(failing)} {verb} not allow it ({reasons})"
    return Decision("ImplicitDeny", (), reason, keys, parts)

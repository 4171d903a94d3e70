"""Replay recorded calls against a proposed spec: which calls that worked would now be denied.

Every recorded successful use of a spec user or role is decided twice by the shared batch
evaluator (ramstack.evaluate.batch): under the base spec (what is deployed) and the proposed one.
Allowed before and denied after is a breakage, the headline. A call the base spec does not
allow either is reported apart ("not explained by the base spec": drift from the cloud, a
resource the event did not name, or a principal the base does not declare) and never counted as
a breakage. A call the proposed spec denies only for want of a system policy's document (the bundled
catalog lacks it, so what it grants is unknown) is "undecided": listed apart, not counted, because a
breakage that may not be one would block a deploy. An AssumeRole of a role of the spec is decided on
both sides (the caller's identity policies AND the role's trust policy), so dropping a principal
from a trust breaks its calls too. Uses are already distinct (ActivityLog aggregates), and
decisions are memoised per (subject, action, resource, context) on each side.

The base is a spec (a git ref), a lock file's effective permissions (`diff`'s default: each
principal's grants become one policy; trust is not in the lock, so an AssumeRole is decided on the
caller's side only there), or None: every recorded successful call counts as allowed before.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC

from ramstack.activity.log import ActivityLog, Use, UseKey
from ramstack.effective.model import EffectivePermissions, Grant
from ramstack.evaluate.assume import evaluate_assume
from ramstack.evaluate.batch import BatchEvaluator
from ramstack.evaluate.compile import NamedPolicy
from ramstack.evaluate.evaluator import PolicySet
from ramstack.evaluate.options import DEFAULT_OPTIONS, EvalOptions
from ramstack.evaluate.principals import UnknownPrincipal, caller_for
from ramstack.evaluate.request import Request, freeze_context
from ramstack.policy.validate import parse_policy_dict
from ramstack.spec.model import Spec


@dataclass(frozen=True)
class ReplayedCall:
    principal: str
    action: str
    resource: str
    count: int
    last_seen: str
    reason: str

    def to_json(self) -> dict[str, object]:
        return {
            "principal": self.principal,
            "action": self.action,
            "resource": self.resource,
            "count": self.count,
            "last_seen": self.last_seen,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class ReplayResult:
    decisions: int
    calls: int  # recorded successful calls of spec principals (sum of counts)
    breaks: tuple[ReplayedCall, ...]
    unexplained: tuple[ReplayedCall, ...]
    undecided: tuple[ReplayedCall, ...]  # allowed before; after, permissions unknown (not counted)
    not_in_spec: tuple[str, ...]

    @property
    def broken_calls(self) -> int:
        return sum(b.count for b in self.breaks)


# (allowed, reason); allowed is None when denied only as far as the known documents tell: an attached
# system policy whose document the catalog lacks may grant the call.
Verdict = tuple[bool | None, str]


class _Side:
    """One side of the replay: a spec's policies (None: no spec). `decide` memoises per (subject,
    request); subclasses say where a subject's policies come from and how a request is decided."""

    def __init__(self, spec: Spec | None, options: EvalOptions) -> None:
        self.batch = BatchEvaluator(options, None, spec=spec) if spec is not None else None
        self.cache: dict[tuple[str, Request], Verdict] = {}

    def decide(self, subject: str, request: Request) -> Verdict | None:
        """The verdict, or None when the subject is not declared on this side."""
        key = (subject, request)
        found = self.cache.get(key)
        if found is None:
            policies = self._policies(subject)
            if policies is None:
                return None
            found = self.cache[key] = self._decide(subject, policies, request)
        return found

    def _policies(self, subject: str) -> PolicySet | None:
        if self.batch is None:
            return None
        try:
            return self.batch.identity(subject)
        except UnknownPrincipal:
            return None

    def _decide(self, subject: str, policies: PolicySet, request: Request) -> Verdict:
        assumed = self._assume(subject, policies, request)
        if assumed is not None:
            return assumed
        if policies.is_allowed(request):
            return True, "allowed"
        decision = policies.evaluate(request)
        return self._unknown(subject, policies, decision.decision) or (False, decision.reason)

    def _unknown(self, subject: str, policies: PolicySet, decision: str) -> Verdict | None:
        """An implicit deny cannot be told from a grant of an attached system policy whose document the
        catalog lacks: the verdict is unknown (an explicit deny stands whatever it grants)."""
        names = self._unevaluated(subject, policies) if decision == "ImplicitDeny" else []
        if not names:
            return None
        return None, (
            f"permissions unknown: no document for {', '.join(names)} in the bundled catalog, "
            f"so what it grants was not evaluated (ramstack catalog {names[0]})"
        )

    def _unevaluated(self, subject: str, policies: PolicySet) -> list[str]:
        """The subject's attached system policies whose document the catalog lacks."""
        found: dict[str, list[str]] = {}
        if self.batch is not None:
            self.batch.unevaluated(subject, found)
        return found.get("not_evaluated", [])

    def _assume(self, subject: str, identity: PolicySet, request: Request) -> Verdict | None:
        """An AssumeRole of a role of this spec is decided on both sides: identity AND trust."""
        spec = self.batch.spec if self.batch is not None else None
        if spec is None or request.action.lower() != "sts:assumerole" or ":role/" not in request.resource:
            return None
        role = request.resource.rpartition(":role/")[2]
        if role not in spec.role_map or request.resource != spec.role_arn(role):
            return None
        assert self.batch is not None
        decision = evaluate_assume(
            caller_for(spec, subject),
            request.resource,
            self.batch.trust(role),
            identity,
            request.context,
            self.batch.options,
        )
        if decision.allowed:
            return True, "allowed"
        return (
            False,
            f"could not assume role/{role}: the {' and '.join(decision.failed)} side did not allow it",
        )


class _LockSide(_Side):
    """A lock file's effective permissions: each principal's grants as one policy."""

    def __init__(self, perms: EffectivePermissions, options: EvalOptions) -> None:
        super().__init__(None, options)
        self.principals = perms.by_subject
        self.options = options
        self.sets: dict[str, PolicySet] = {}

    def _policies(self, subject: str) -> PolicySet | None:
        principal = self.principals.get(subject)
        if principal is None or principal.kind == "group":
            return None
        policies = self.sets.get(subject)
        if policies is None:
            policies = self.sets[subject] = _grant_policies(subject, principal.grants, self.options)
        return policies

    def _decide(self, subject: str, policies: PolicySet, request: Request) -> Verdict:
        if policies.is_allowed(request):
            return True, "allowed"
        decision = policies.evaluate(request).decision
        return self._unknown(subject, policies, decision) or (False, "not granted in the lock")

    def _unevaluated(self, subject: str, policies: PolicySet) -> list[str]:
        names = dict(self.principals[subject].attributes).get("not_evaluated") or []
        return sorted(str(n) for n in names)


def _grant_policies(
    subject: str, grants: tuple[tuple[Grant, tuple[str, ...]], ...], options: EvalOptions
) -> PolicySet:
    statements: list[dict[str, object]] = []
    for grant, _sources in grants:
        statement: dict[str, object] = {
            "Effect": grant.effect,
            "NotAction" if grant.not_action else "Action": grant.action,
            "NotResource" if grant.not_resource else "Resource": grant.resource,
        }
        if grant.conditions:
            statement["Condition"] = json.loads(grant.conditions)
        statements.append(statement)
    if not statements:
        return PolicySet([], options)
    document = parse_policy_dict({"Version": "1", "Statement": statements}, "permission", source=subject)
    return PolicySet([NamedPolicy(f"{subject} (lock)", document, "file")], options)


def _request(key: UseKey, use: Use) -> Request:
    _, action, resource, context = key
    values: dict[str, list[str]] = {}
    for name, value in context:
        values.setdefault(name, []).append(value)
    if use.last is not None:
        values["acs:CurrentTime"] = [use.last.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")]
    return Request(action, resource, freeze_context(values))


def _last(use: Use) -> str:
    return use.last.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if use.last else ""


def replay(
    log: ActivityLog,
    base: Spec | EffectivePermissions | None,
    proposed: Spec,
    options: EvalOptions = DEFAULT_OPTIONS,
) -> ReplayResult:
    before = _LockSide(base, options) if isinstance(base, EffectivePermissions) else _Side(base, options)
    after = _Side(proposed, options)
    breaks: list[ReplayedCall] = []
    unexplained: list[ReplayedCall] = []
    undecided: list[ReplayedCall] = []
    not_in_spec: set[str] = set()
    decisions = calls = 0
    for key, use in log.uses.items():
        subject = key[0]
        if not subject.startswith(("user/", "role/")):
            not_in_spec.add(subject)
            continue
        request = _request(key, use)
        now = after.decide(subject, request)
        then: Verdict | None = (True, "recorded as allowed")
        if base is not None:
            then = before.decide(subject, request)
        if now is None and then is None:
            not_in_spec.add(subject)
            continue
        decisions += 1
        calls += use.count
        if then is None or not then[0]:
            reason = "not declared in the base spec" if then is None else then[1]
            unexplained.append(ReplayedCall(subject, key[1], key[2], use.count, _last(use), reason))
            continue
        if now is None:
            breaks.append(
                ReplayedCall(subject, key[1], key[2], use.count, _last(use), f"{subject} is removed")
            )
        elif not now[0]:
            found = ReplayedCall(subject, key[1], key[2], use.count, _last(use), now[1])
            (undecided if now[0] is None else breaks).append(found)
    order = lambda c: (c.principal, c.action, c.resource)  # noqa: E731
    return ReplayResult(
        decisions,
        calls,
        tuple(sorted(breaks, key=order)),
        tuple(sorted(unexplained, key=order)),
        tuple(sorted(undecided, key=order)),
        tuple(sorted(not_in_spec)),
    )

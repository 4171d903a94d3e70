"""Evaluate a request against a set of policies (reference §2, "Per policy").

Any matching Deny statement -> ExplicitDeny; else any matching Allow -> Allow; else ImplicitDeny
(the default). A statement matches when its Action/NotAction covers the action, its
Resource/NotResource covers the resource, its Principal (trust policies only) names the caller,
and every one of its conditions is met.

`PolicySet` is the fast path for bulk use: built once, it indexes statements by the literal service
codes of their actions (statements with wildcard services or NotAction go everywhere), and memoises
per distinct action the statements whose Action/NotAction covers it; a request then checks only
those statements' precompiled resource matchers and conditions.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ramstack.evaluate.compile import CompiledPolicy, CompiledStatement, NamedPolicy, compile_policy
from ramstack.evaluate.decision import Decision, Match, Verdict
from ramstack.evaluate.matchers import PatternSet
from ramstack.evaluate.options import DEFAULT_OPTIONS, EvalOptions
from ramstack.evaluate.request import Request

_PLAN_CACHE_LIMIT = 4096
_ACTION_CACHE_LIMIT = 65536

_MISSING_NOTE = {
    "unmet": "an absent key meets no operator except ...IfExists and Null",
    "aws": "an absent key meets only negated operators, ForAllValues:, ...IfExists and Null",
}


class PolicySet:
    """Compiled policies, ready for many requests."""

    def __init__(
        self, policies: Iterable[NamedPolicy | CompiledPolicy], options: EvalOptions = DEFAULT_OPTIONS
    ) -> None:
        self.options = options
        self.policies: tuple[CompiledPolicy, ...] = tuple(
            p if isinstance(p, CompiledPolicy) else compile_policy(p, options) for p in policies
        )
        self.statements: tuple[CompiledStatement, ...] = tuple(s for p in self.policies for s in p.statements)
        # The action index: a statement whose Action lists only literal names concerns exactly those
        # actions (one lookup); only the others (wildcards, NotAction) are matched per new action.
        self._literal: dict[str, list[int]] = {}
        self._scanned: list[tuple[int, CompiledStatement]] = []
        for ordinal, statement in enumerate(self.statements):
            actions = statement.actions
            if statement.not_action or actions.everything or actions.prefixes or actions.regex is not None:
                self._scanned.append((ordinal, statement))
            else:
                for action in actions.literals:
                    self._literal.setdefault(action, []).append(ordinal)
        self._service_plans: dict[str, tuple[tuple[PatternSet, tuple[int, ...], tuple[int, ...]], ...]] = {}
        self._action_plans: dict[str, tuple[CompiledStatement, ...]] = {}

    def __len__(self) -> int:
        return len(self.policies)

    def _by_service(self, service: str) -> tuple[tuple[PatternSet, tuple[int, ...], tuple[int, ...]], ...]:
        """The statements needing a match per action that may concern this service code, grouped
        by their (shared) Action pattern set: (set, ordinals with Action, ordinals with NotAction)."""
        plan = self._service_plans.get(service)
        if plan is None:
            groups: dict[int, tuple[PatternSet, list[int], list[int]]] = {}
            for ordinal, statement in self._scanned:
                if statement.services is None or service in statement.services:
                    group = groups.setdefault(id(statement.actions), (statement.actions, [], []))
                    (group[2] if statement.not_action else group[1]).append(ordinal)
            plan = tuple((p, tuple(a), tuple(n)) for p, a, n in groups.values())
            if len(self._service_plans) >= _PLAN_CACHE_LIMIT:
                self._service_plans.clear()
            self._service_plans[service] = plan
        return plan

    def candidates(self, action: str) -> tuple[CompiledStatement, ...]:
        """The statements whose Action/NotAction covers `action` (lowercased), in policy order.

        Memoised per action: which statements an action concerns does not depend on the resource
        or the context, so bulk evaluation pays for action matching once per distinct action.
        """
        plan = self._action_plans.get(action)
        if plan is None:
            hits = list(self._literal.get(action, ()))
            for patterns, with_action, with_not_action in self._by_service(action.partition(":")[0]):
                hits.extend(with_not_action if not patterns.matches(action) else with_action)
            plan = tuple(map(self.statements.__getitem__, sorted(hits)))
            if len(self._action_plans) >= _ACTION_CACHE_LIMIT:
                self._action_plans.clear()
            self._action_plans[action] = plan
        return plan

    def is_allowed(self, request: Request) -> bool:
        """The verdict alone, without building a Decision (the tightest loop)."""
        allowed = False
        for statement in self.candidates(request.action.lower()):
            if statement.covers_target(request) and statement.conditions_met(request):
                if statement.is_deny:
                    return False
                allowed = True
        return allowed

    def evaluate(self, request: Request) -> Decision:
        action = request.action.lower()
        plan = self._action_plans.get(action)
        if plan is None:
            plan = self.candidates(action)
        denies: list[CompiledStatement] = []
        allows: list[CompiledStatement] = []
        unmet: list[CompiledStatement] = []
        missing: list[str] = []
        resource = request.resource
        folded = request._folded
        context = request.context
        for statement in plan:
            resources = statement.resources
            if resources is not None and resources.matches(resource) == statement.not_resource:
                continue
            principal = statement.principal
            if principal is not None and not principal.matches(request.caller):
                continue
            conditions = statement.conditions
            if conditions:
                # one lookup per condition serves both the absent-key note and the test; every
                # absent key is noted, even after a condition already failed
                met = True
                for condition in conditions:
                    values = (context if condition.case_sensitive else folded).get(condition.key)
                    if values is None and not condition.is_null:
                        missing.append(condition.clause.key)
                    if met and not condition.test(values):
                        met = False
                if not met:
                    unmet.append(statement)
                    continue
            (denies if statement.is_deny else allows).append(statement)
        if not (denies or allows or unmet or missing):
            return Decision("ImplicitDeny", (), f"no statement allows {request.action} on {request.resource}")
        return _decide(request, denies, allows, unmet, missing, self.options)

    def evaluate_many(self, requests: Iterable[Request]) -> list[Decision]:
        return [self.evaluate(r) for r in requests]


def evaluate(
    policies: PolicySet | Iterable[NamedPolicy | CompiledPolicy],
    request: Request,
    options: EvalOptions = DEFAULT_OPTIONS,
) -> Decision:
    """One request against `policies` (compiled on the fly unless a `PolicySet` is passed, which
    keeps its own options)."""
    if not isinstance(policies, PolicySet):
        policies = PolicySet(policies, options)
    return policies.evaluate(request)


def describe_matches(matches: Sequence[Match]) -> str:
    return ", ".join(m.describe() for m in matches)


def _describe(statements: Sequence[CompiledStatement]) -> str:
    return ", ".join(s.described for s in statements)


def _decide(
    request: Request,
    denies: list[CompiledStatement],
    allows: list[CompiledStatement],
    unmet: list[CompiledStatement],
    missing: list[str],
    options: EvalOptions,
) -> Decision:
    keys = tuple(dict.fromkeys(missing))
    notes: list[str] = []
    verdict: Verdict
    matched: tuple[Match, ...]
    if denies:
        verdict, matched = "ExplicitDeny", tuple(s.match for s in denies)
        reason = f"explicitly denied by {_describe(denies)}"
    elif allows:
        verdict, matched = "Allow", tuple(s.match for s in allows)
        reason = f"allowed by {_describe(allows)}"
        skipped = [s for s in unmet if s.is_deny]
        if skipped:
            notes.append(f"Deny not applied, its conditions are not met: {_describe(skipped)}")
    else:
        verdict, matched = "ImplicitDeny", ()
        reason = f"no statement allows {request.action} on {request.resource}"
        if unmet:
            notes.append(f"conditions not met in {_describe(unmet)}")
    if keys:
        notes.append(
            f"condition key{'s' if len(keys) > 1 else ''} {', '.join(keys)} absent from the request "
            f"context ({_MISSING_NOTE[options.missing_key]}; missing_key={options.missing_key})"
        )
    if notes:
        reason += "; " + "; ".join(notes)
    return Decision(verdict, matched, reason, keys)

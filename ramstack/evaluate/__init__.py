"""Offline effective-permission evaluation of RAM policies (reference §2).

named        NamedPolicy: a document with the name decisions report it under
compile      NamedPolicy -> CompiledPolicy (matchers built once)
request      Request(action, resource, context, caller), Caller, ASSUME_ROLE
decision     Decision(decision, matched, reason, missing_keys), Match
evaluator    PolicySet (bulk fast path), evaluate(policies, request)
principals   identity / trust policies of spec principals
assume       role assumption: identity AND trust
session      STS session = role policies ∩ session policy
options      EvalOptions: the configurable UNCONFIRMED points (absent condition keys, key case)
actions_catalog  known action names per service, wildcard expansion
batch        request parsing and batch evaluation (simulate --requests, activity replay)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ramstack.lazy import lazy_exports

if TYPE_CHECKING:
    from ramstack.evaluate.assume import AssumeDecision, assume_role, evaluate_assume
    from ramstack.evaluate.compile import CompiledPolicy, NamedPolicy, compile_policy
    from ramstack.evaluate.decision import Decision, Match, Verdict
    from ramstack.evaluate.evaluator import PolicySet, evaluate
    from ramstack.evaluate.options import DEFAULT_OPTIONS, EvalOptions
    from ramstack.evaluate.principals import UnknownPrincipal, caller_for, identity_policies, trust_policy
    from ramstack.evaluate.request import Caller, Request
    from ramstack.evaluate.session import evaluate_session

# Imported when first used: importing one submodule (the action catalog, say) loads
# nothing else of the package.
__getattr__ = lazy_exports(
    __name__,
    {
        "ramstack.evaluate.assume": ("AssumeDecision", "assume_role", "evaluate_assume"),
        "ramstack.evaluate.compile": ("CompiledPolicy", "NamedPolicy", "compile_policy"),
        "ramstack.evaluate.decision": ("Decision", "Match", "Verdict"),
        "ramstack.evaluate.evaluator": ("PolicySet", "evaluate"),
        "ramstack.evaluate.options": ("DEFAULT_OPTIONS", "EvalOptions"),
        "ramstack.evaluate.principals": (
            "UnknownPrincipal",
            "caller_for",
            "identity_policies",
            "trust_policy",
        ),
        "ramstack.evaluate.request": ("Caller", "Request"),
        "ramstack.evaluate.session": ("evaluate_session",),
    },
)

__all__ = [
    "DEFAULT_OPTIONS",
    "AssumeDecision",
    "Caller",
    "CompiledPolicy",
    "Decision",
    "EvalOptions",
    "Match",
    "NamedPolicy",
    "PolicySet",
    "Request",
    "UnknownPrincipal",
    "Verdict",
    "assume_role",
    "caller_for",
    "compile_policy",
    "evaluate",
    "evaluate_assume",
    "evaluate_session",
    "identity_policies",
    "trust_policy",
]

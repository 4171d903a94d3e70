"""Batch evaluation of requests against a spec's principals or a set of policy files.

One implementation shared by `simulate` (single and `--requests` batch mode) and the activity
verbs (replay of recorded calls, checking a generated policy): requests are parsed and checked
here (`parse_request_line`, `read_requests`), and `BatchEvaluator` decides them, compiling each
principal's policies once.

Codes (the `simulate` verb's, kept stable):
    SIM002  options that do not go together for a request
    SIM003  malformed request action
    SIM004  malformed request resource
    SIM006  malformed line in a requests file
    SIM007  requests file cannot be read
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ramstack.diagnostics import Diagnostics, Location
from ramstack.evaluate.assume import AssumeDecision, evaluate_assume
from ramstack.evaluate.compile import NamedPolicy
from ramstack.evaluate.decision import Decision
from ramstack.evaluate.evaluator import PolicySet
from ramstack.evaluate.options import EvalOptions
from ramstack.evaluate.principals import (
    UnknownPrincipal,
    caller_for,
    identity_policies,
    spec_role,
    split_subject,
    trust_policy,
    unevaluated_names,
)
from ramstack.evaluate.request import Caller, Request, freeze_context
from ramstack.evaluate.session import evaluate_session
from ramstack.jsonsource import parse_json
from ramstack.policy.arn import parse_ram_entity
from ramstack.source import read_input_text
from ramstack.spec.model import Spec


class RequestConflict(ValueError):
    """Options that do not go together for this request (SIM002)."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


REQUEST_KEYS = ("action", "resource", "context", "principal", "assume")


@dataclass(frozen=True)
class SimRequest:
    action: str
    resource: str
    context: Mapping[str, tuple[str, ...]]
    principal: str | None = None
    assume: str | None = None
    line: int | None = None


def check_action(action: str, loc: Location, diags: Diagnostics) -> None:
    from ramstack.policy.actions import action_problem

    problem = action_problem(action)
    if problem is None and ("*" in action or "?" in action):
        problem = (
            f"request action {action!r} has a wildcard",
            "a request names one action, e.g. oss:GetObject",
        )
    if problem is not None:
        diags.error(loc, "SIM003", problem[0], problem[1])


def check_resource(resource: str, loc: Location, diags: Diagnostics) -> None:
    from ramstack.policy.arn import check_resource as resource_findings

    for finding in resource_findings(resource):
        if finding.severity == "error":
            diags.error(loc, "SIM004", finding.message, finding.fix)


def context_values(raw: Any) -> tuple[str, ...] | None:
    scalars = (str, int, float, bool)
    if isinstance(raw, scalars):
        return tuple(freeze_context({"k": raw})["k"])
    if isinstance(raw, list) and raw and all(isinstance(v, scalars) for v in raw):
        return tuple(freeze_context({"k": raw})["k"])
    return None


def parse_request_line(
    text: str, file: str, number: int, stack: bool, diags: Diagnostics
) -> SimRequest | None:
    loc = Location(file, number, 1)
    before = len(diags.errors)
    # the located JSON reader: duplicate fields, NaN, deep nesting and huge numbers are refused
    own = Diagnostics()
    data = parse_json(text, file, own, first_line=number)
    for problem in own.errors:
        column = problem.location.column
        diags.error(
            loc,
            "SIM006",
            f"not valid JSON: {problem.message.removeprefix('invalid JSON: ')} (column {column})",
            "write one JSON object per line",
        )
    if own.errors:
        return None
    if not isinstance(data, dict):
        diags.error(loc, "SIM006", "a request line must be a JSON object", '{"action": ..., "resource": ...}')
        return None
    allowed = REQUEST_KEYS if stack else ("action", "resource", "context")
    for key in data:
        if key not in allowed:
            diags.error(loc, "SIM006", f"unknown field {key!r}", f"fields: {', '.join(allowed)}")
    for key in ("action", "resource"):
        if not isinstance(data.get(key), str):
            diags.error(loc, "SIM006", f"field {key!r} must be a string", f'add "{key}": "..."')
    for key in ("principal", "assume"):
        if key in data and not isinstance(data[key], str):
            diags.error(loc, "SIM006", f"field {key!r} must be a string", 'e.g. "user/alice"')
    context: dict[str, tuple[str, ...]] = {}
    raw_context = data.get("context", {})
    if not isinstance(raw_context, dict):
        diags.error(
            loc, "SIM006", "field 'context' must be an object", '"context": {"acs:SourceIp": "1.2.3.4"}'
        )
    else:
        for key, raw in raw_context.items():
            values = context_values(raw)
            if values is None:
                diags.error(
                    loc,
                    "SIM006",
                    f"context value of {key!r} must be a string, number, boolean or a non-empty list of them",
                    f'"{key}": "value"',
                )
            else:
                context[key] = values
    if len(diags.errors) > before:
        return None
    check_action(data["action"], loc, diags)
    check_resource(data["resource"], loc, diags)
    if len(diags.errors) > before:
        return None
    return SimRequest(
        data["action"],
        data["resource"],
        freeze_context(context),
        data.get("principal"),
        data.get("assume"),
        number,
    )


def read_requests(path: Path, stack: bool, diags: Diagnostics) -> list[SimRequest]:
    file = str(path)
    try:
        text = read_input_text(path)  # a regular file, at most MAX_BYTES
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"not UTF-8 ({exc.reason})"
        diags.error(
            Location(file), "SIM007", f"cannot read requests file: {reason}", "pass a UTF-8 .jsonl file"
        )
        return []
    out: list[SimRequest] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        request = parse_request_line(line, file, number, stack, diags)
        if request is not None:
            out.append(request)
    return out


@dataclass
class BatchEvaluator:
    options: EvalOptions
    session: PolicySet | None
    spec: Spec | None = None
    policies: PolicySet | None = None  # policy-file mode
    _sets: dict[str, PolicySet] = field(default_factory=dict)

    def identity(self, subject: str) -> PolicySet:
        assert self.spec is not None
        found = self._sets.get(subject)
        if found is None:
            found = self._sets[subject] = PolicySet(identity_policies(self.spec, subject), self.options)
        return found

    def unevaluated(self, subject: str, out: dict[str, Any]) -> None:
        """Record the attached system policies whose document the catalog lacks: the decision
        cannot account for what they grant."""
        assert self.spec is not None
        names = unevaluated_names(identity_policies(self.spec, subject))
        if names:
            out["not_evaluated"] = names

    def trust(self, role: str) -> PolicySet:
        assert self.spec is not None
        key = f"trust:{role}"
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = PolicySet([trust_policy(self.spec, role)], self.options)
        return found

    def run(self, req: SimRequest) -> dict[str, Any]:
        request = Request(req.action, req.resource, req.context)
        out: dict[str, Any] = {}
        if self.policies is not None:
            decision = self._act(self.policies, request)
        else:
            decision, out = self._stack(req, request)
        result: dict[str, Any] = decision.to_json()
        result["request"] = {
            "action": req.action,
            "resource": req.resource,
            "context": request.context_dict(),
        }
        result.update(out)
        if req.line is not None:
            result["line"] = req.line
        return result

    def _act(self, policies: PolicySet, request: Request) -> Decision:
        if self.session is None:
            return policies.evaluate(request)
        return evaluate_session(policies, self.session, request)

    def _stack(self, req: SimRequest, request: Request) -> tuple[Decision, dict[str, Any]]:
        assert self.spec is not None
        principal = req.principal
        if principal is None:
            raise RequestConflict("no principal given", "pass --principal user/NAME or set it per request")
        outside = outside_caller(self.spec, principal)
        if outside is not None:
            return self._outside(req, request, outside)
        kind, _ = split_subject(own_subject(self.spec, principal))
        principal = own_subject(self.spec, principal)
        out: dict[str, Any] = {"principal": principal}
        if req.assume is None:
            caller_for(self.spec, principal)  # the principal must exist (and be able to call)
            if kind not in ("user", "role"):
                raise RequestConflict(
                    f"{principal} can only be simulated with --assume", "add --assume role/NAME"
                )
            if kind == "user" and self.session is not None:
                raise RequestConflict(
                    "a session policy applies only to STS sessions",
                    "add --assume role/NAME, or drop --session-policy",
                )
            policies = self.identity(principal)
            self.unevaluated(principal, out)
            return (self._act(policies, request) if kind == "role" else policies.evaluate(request)), out
        role = req.assume.removeprefix("role/")
        caller = caller_for(self.spec, principal)
        identity = self.identity(principal) if caller.kind in ("user", "role") else None
        assumed: AssumeDecision = evaluate_assume(
            caller, self.spec.role_arn(role), self.trust(role), identity, req.context, self.options
        )
        out["assume"] = assumed.to_json()
        if not assumed.allowed:
            sides = " and ".join(assumed.failed)
            plural = "s" if len(assumed.failed) > 1 else ""
            reason = f"could not assume role/{role}: the {sides} side{plural} did not allow it"
            return Decision(assumed.decision, assumed.matched, reason), out
        self.unevaluated(f"role/{role}", out)
        return self._act(self.identity(f"role/{role}"), request), out

    def _outside(self, req: SimRequest, request: Request, caller: Caller) -> tuple[Decision, dict[str, Any]]:
        """A user or role of another account: the trust side here; its own grant is its account's."""
        assert self.spec is not None
        if req.assume is None:
            raise RequestConflict(
                f"{caller.arn} is a principal of another account: its own permissions are declared in "
                "that account's stack, so here it can only assume a role",
                "add --assume role/NAME",
            )
        role = req.assume.removeprefix("role/")
        role_arn = self.spec.role_arn(spec_role(self.spec, role).name)
        assumed = evaluate_assume(
            caller, role_arn, self.trust(role), None, req.context, self.options, identity_elsewhere=True
        )
        account = caller.arn.split(":")[3]
        out: dict[str, Any] = {"principal": caller.arn, "assume": assumed.to_json()}
        out["assume"]["identity_elsewhere"] = (
            f"not evaluated here: account {account} must grant sts:AssumeRole on {role_arn} "
            f"in its own stack (assume_roles: [{role_arn}])"
        )
        if not assumed.allowed:
            reason = f"could not assume role/{role}: the trust side did not allow it"
            return Decision(assumed.decision, assumed.matched, reason), out
        self.unevaluated(f"role/{role}", out)
        return self._act(self.identity(f"role/{role}"), request), out


def outside_caller(spec: Spec, principal: str) -> Caller | None:
    """The caller an ARN of another account's user or role stands for (None: not such an ARN)."""
    if not principal.startswith("acs:"):
        return None
    entity = parse_ram_entity(principal)
    if entity is None or entity.kind not in ("user", "role") or not entity.name or entity.region:
        raise UnknownPrincipal(
            f"principal {principal!r} is not the ARN of a RAM user or role",
            "e.g. acs:ram::1234567890123456:user/Alice",
        )
    if not entity.account.isdigit() or "*" in entity.name or "?" in entity.name:
        raise UnknownPrincipal(
            f"principal {principal!r} must name one user or role of one account", "no wildcards"
        )
    if entity.account == spec.account_id:
        return None  # this account's: simulated as user/NAME or role/NAME of the spec
    if entity.kind == "user":
        return Caller.user(entity.account, entity.name)
    return Caller.role(entity.account, entity.name)


def own_subject(spec: Spec, principal: str) -> str:
    """`acs:ram::<this account>:user/NAME` is `user/NAME` of the spec."""
    prefix = f"acs:ram::{spec.account_id}:"
    return principal.removeprefix(prefix) if principal.startswith(prefix) else principal


def load_policies(
    paths: list[Path], diags: Diagnostics, variables: Mapping[str, str] | None, options: EvalOptions
) -> PolicySet:
    from ramstack.policy.load import load_policy_file

    named: list[NamedPolicy] = []
    for path in paths:
        doc = load_policy_file(path, "permission", diags, variables=variables, display=str(path))
        if doc is not None:
            named.append(NamedPolicy(path.stem, doc, "file"))
    return PolicySet(named, options)

"""`ramstack simulate`: evaluate requests offline against the stack's principals or policy files.

    stack mode        ramstack simulate [--stack NAME] [-C DIR] --principal user/NAME|role/NAME
                          [--assume role/NAME] [--session-policy FILE]
                      a principal of another account, by ARN, with --assume only (its own policies
                      are in its account's stack, so the trust side is what is decided here):
                          --principal acs:ram::<account-id>:user/NAME --assume role/NAME
                          --action ACTION --resource ARN [--context KEY=VALUE ...]
    policy-file mode  ramstack simulate --policy FILE [--policy FILE ...] [--session-policy FILE]
                          --action ACTION --resource ARN [--context KEY=VALUE ...]
    batch mode        either of the above with --requests FILE.jsonl instead of --action/--resource:
                          one JSON object per line {"action", "resource", "context"?, and in stack
                          mode "principal"?, "assume"?}; prints one JSON object per line.

With --assume the assume decision comes first (caller's identity policies AND the role's trust
policy); only if it allows is the action evaluated, under the role's policies narrowed by the
session policy. A role principal without --assume stands for a session of that role.

Exit 0 whatever the decisions, 2 on invalid input (located diagnostics, no traceback).

Codes:
    SIM001  malformed KEY=VALUE (--context, --var)
    SIM002  missing or conflicting options
    SIM003  malformed request action
    SIM004  malformed request resource
    SIM005  unknown principal or role
    SIM006  malformed line in the --requests file
    SIM007  --requests file cannot be read
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ramstack.commands.common import (
    add_stack_arguments,
    load_stack,
    optional_stack_config,
    parse_pairs,
    stack_policy_variables,
)
from ramstack.diagnostics import Diagnostics, InvalidInput, Location
from ramstack.evaluate.assume import AssumeDecision, evaluate_assume
from ramstack.evaluate.compile import NamedPolicy
from ramstack.evaluate.decision import Decision
from ramstack.evaluate.evaluator import PolicySet
from ramstack.evaluate.options import MISSING_KEY_MODES, EvalOptions
from ramstack.evaluate.principals import (
    UNKNOWN_DOCUMENT,
    UnknownPrincipal,
    caller_for,
    identity_policies,
    spec_role,
    split_subject,
    trust_policy,
)
from ramstack.evaluate.request import Caller, Request, freeze_context
from ramstack.evaluate.session import evaluate_session
from ramstack.policy.arn import parse_ram_entity
from ramstack.spec.model import Spec
from ramstack.ui import output
from ramstack.ui.summary import decisions_line

CLI = Location("<command line>")


class _Conflict(ValueError):
    """Options that do not go together for this request (SIM002)."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.fix = fix


_REQUEST_KEYS = ("action", "resource", "context", "principal", "assume")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument(
        "--principal",
        metavar="KIND/NAME",
        help="user/NAME or role/NAME of the spec; with --assume also service/<svc>.aliyuncs.com, "
        "oidc-provider/NAME, or a user or role of another account by ARN (acs:ram::<uid>:user/NAME)",
    )
    parser.add_argument("--assume", metavar="role/NAME", help="assume this role first, then act as it")
    parser.add_argument(
        "--policy",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="policy-file mode: evaluate against these permission policies (repeatable)",
    )
    parser.add_argument(
        "--session-policy", type=Path, metavar="FILE", help="session policy passed to AssumeRole"
    )
    parser.add_argument("--action", help="the action requested, e.g. ice:GetMediaInfo")
    parser.add_argument("--resource", help="the resource ARN requested, e.g. acs:ice:*:123:*")
    parser.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="request context value, e.g. acs:SourceIp=203.0.113.10 (repeat a key for several values)",
    )
    parser.add_argument(
        "--requests", type=Path, metavar="FILE.jsonl", help="batch mode: one request per line"
    )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="policy-file mode: value for a ${NAME} variable in the policy files, over the stack's "
        "(repeatable)",
    )
    parser.add_argument(
        "--missing-key",
        choices=list(MISSING_KEY_MODES),
        default="unmet",
        help="what a condition on a key absent from the context yields (default: unmet; see docs)",
    )
    parser.add_argument(
        "--case-sensitive-keys", action="store_true", help="compare condition-key names case-sensitively"
    )
    parser.add_argument("--format", "-f", choices=["text", "json"], default="text", help="output format")
    parser.add_argument("--json", dest="format", action="store_const", const="json", help="same as -f json")


# ---------------------------------------------------------------------------------------------
# requests


@dataclass(frozen=True)
class SimRequest:
    action: str
    resource: str
    context: Mapping[str, tuple[str, ...]]
    principal: str | None = None
    assume: str | None = None
    line: int | None = None


def _check_action(action: str, loc: Location, diags: Diagnostics) -> None:
    from ramstack.policy.actions import action_problem

    problem = action_problem(action)
    if problem is None and ("*" in action or "?" in action):
        problem = (
            f"request action {action!r} has a wildcard",
            "a request names one action, e.g. oss:GetObject",
        )
    if problem is not None:
        diags.error(loc, "SIM003", problem[0], problem[1])


def _check_resource(resource: str, loc: Location, diags: Diagnostics) -> None:
    from ramstack.policy.arn import check_resource

    for finding in check_resource(resource):
        if finding.severity == "error":
            diags.error(loc, "SIM004", finding.message, finding.fix)


def _context_values(raw: Any) -> tuple[str, ...] | None:
    scalars = (str, int, float, bool)
    if isinstance(raw, scalars):
        return tuple(freeze_context({"k": raw})["k"])
    if isinstance(raw, list) and raw and all(isinstance(v, scalars) for v in raw):
        return tuple(freeze_context({"k": raw})["k"])
    return None


def _line_request(text: str, file: str, number: int, stack: bool, diags: Diagnostics) -> SimRequest | None:
    loc = Location(file, number, 1)
    before = len(diags.errors)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        diags.error(
            loc, "SIM006", f"not valid JSON: {exc.msg} (column {exc.colno})", "write one JSON object per line"
        )
        return None
    if not isinstance(data, dict):
        diags.error(loc, "SIM006", "a request line must be a JSON object", '{"action": ..., "resource": ...}')
        return None
    allowed = _REQUEST_KEYS if stack else ("action", "resource", "context")
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
            values = _context_values(raw)
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
    _check_action(data["action"], loc, diags)
    _check_resource(data["resource"], loc, diags)
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


def _read_requests(path: Path, stack: bool, diags: Diagnostics) -> list[SimRequest]:
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        diags.error(Location(file), "SIM007", f"cannot read requests file: {exc}", "pass a UTF-8 .jsonl file")
        return []
    out: list[SimRequest] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        request = _line_request(line, file, number, stack, diags)
        if request is not None:
            out.append(request)
    return out


# ---------------------------------------------------------------------------------------------
# evaluation


@dataclass
class _Simulator:
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
        names = sorted(
            p.name for p in identity_policies(self.spec, subject) if p.document is UNKNOWN_DOCUMENT
        )
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
            raise _Conflict("no principal given", "pass --principal user/NAME or set it per request")
        outside = _outside_caller(self.spec, principal)
        if outside is not None:
            return self._outside(req, request, outside)
        kind, _ = split_subject(_own_subject(self.spec, principal))
        principal = _own_subject(self.spec, principal)
        out: dict[str, Any] = {"principal": principal}
        if req.assume is None:
            caller_for(self.spec, principal)  # the principal must exist (and be able to call)
            if kind not in ("user", "role"):
                raise _Conflict(f"{principal} can only be simulated with --assume", "add --assume role/NAME")
            if kind == "user" and self.session is not None:
                raise _Conflict(
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
            raise _Conflict(
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


def _outside_caller(spec: Spec, principal: str) -> Caller | None:
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


def _own_subject(spec: Spec, principal: str) -> str:
    """`acs:ram::<this account>:user/NAME` is `user/NAME` of the spec."""
    prefix = f"acs:ram::{spec.account_id}:"
    return principal.removeprefix(prefix) if principal.startswith(prefix) else principal


def _load_policies(
    paths: list[Path], diags: Diagnostics, variables: Mapping[str, str] | None, options: EvalOptions
) -> PolicySet:
    from ramstack.policy.load import load_policy_file

    named: list[NamedPolicy] = []
    for path in paths:
        doc = load_policy_file(path, "permission", diags, variables=variables, display=str(path))
        if doc is not None:
            named.append(NamedPolicy(path.stem, doc, "file"))
    return PolicySet(named, options)


def run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    options = EvalOptions(missing_key=args.missing_key, case_sensitive_keys=args.case_sensitive_keys)
    policy_mode = bool(args.policy)
    batch = args.requests is not None
    _check_options(args, policy_mode, batch, diags)
    context = parse_pairs(args.context, "--context", "SIM001", "acs:SourceIp=1.2.3.4", diags)
    variables = parse_pairs(args.var, "--var", "SIM001", "bucket=media", diags)
    diags.raise_if_errors()

    sim: _Simulator
    if policy_mode:
        # the stack's ${accountId} etc. (when there is a stack), --var over them
        flat = stack_policy_variables(optional_stack_config(args, diags))
        flat.update({k: v[-1] for k, v in variables.items()})
        policies = _load_policies(args.policy, diags, flat, options)
        session = _load_policies([args.session_policy], diags, flat, options) if args.session_policy else None
        sim = _Simulator(options, session, policies=policies)
    else:
        config, spec = load_stack(args, diags)
        if spec is None or config is None:
            raise InvalidInput(diags.items)
        session = None
        if args.session_policy:
            session = _load_policies([args.session_policy], diags, config.policy_variables(), options)
        sim = _Simulator(options, session, spec=spec)
    diags.raise_if_errors()

    if batch:
        requests = _read_requests(args.requests, not policy_mode, diags)
        requests = [
            SimRequest(
                r.action,
                r.resource,
                r.context,
                r.principal or args.principal,
                r.assume or args.assume,
                r.line,
            )
            for r in requests
        ]
    else:
        _check_action(args.action, CLI, diags)
        _check_resource(args.resource, CLI, diags)
        requests = [
            SimRequest(args.action, args.resource, freeze_context(context), args.principal, args.assume)
        ]
    diags.raise_if_errors()

    results: list[dict[str, Any]] = []
    for req in requests:
        try:
            results.append(sim.run(req))
        except (UnknownPrincipal, _Conflict) as exc:
            loc = CLI if req.line is None else Location(str(args.requests), req.line, 1)
            diags.error(loc, "SIM005" if isinstance(exc, UnknownPrincipal) else "SIM002", str(exc), exc.fix)
    diags.raise_if_errors()

    if batch:
        for result in results:
            output.result(json.dumps(result, sort_keys=True, ensure_ascii=False) + "\n")
        output.summary(decisions_line(str(r["decision"]) for r in results))
    elif args.format == "json":
        output.result(json.dumps(results[0], indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        output.result(render_text(results[0]))
    return 0


def _check_options(args: argparse.Namespace, policy_mode: bool, batch: bool, diags: Diagnostics) -> None:
    if policy_mode:
        for option, value in (("--principal", args.principal), ("--assume", args.assume)):
            if value is not None:
                diags.error(
                    CLI,
                    "SIM002",
                    f"{option} does not go with --policy",
                    "use either --policy FILE or --principal",
                )
    elif args.var:
        diags.error(
            CLI, "SIM002", "--var goes with --policy only", "stack mode takes variables from the stack config"
        )
    if not policy_mode and not batch and args.principal is None:
        diags.error(CLI, "SIM002", "nothing to simulate for", "pass --principal user/NAME, or --policy FILE")
    if batch:
        for option, value in (("--action", args.action), ("--resource", args.resource)):
            if value is not None:
                diags.error(
                    CLI, "SIM002", f"{option} does not go with --requests", "put it in each line of the file"
                )
    else:
        for option, value in (("--action", args.action), ("--resource", args.resource)):
            if value is None:
                diags.error(CLI, "SIM002", f"{option} is required", f"e.g. {option} {_EXAMPLES[option]}")


_EXAMPLES = {"--action": "ice:GetMediaInfo", "--resource": "'acs:ice:*:1234567890123456:*'"}


# ---------------------------------------------------------------------------------------------
# text output


def _matched_lines(matched: list[dict[str, Any]], indent: str) -> list[str]:
    lines = []
    for m in matched:
        where = f" ({m['file']}:{m['line']})" if m.get("file") else ""
        lines.append(f"{indent}{m['effect']:5}  {m['policy']} Statement[{m['statement']}]{where}")
    return lines


def render_text(result: dict[str, Any]) -> str:
    req = result["request"]
    lines: list[str] = []
    who = f" as {result['principal']}" if result.get("principal") else ""
    assume = result.get("assume")
    if assume is not None:
        lines.append(f"assume {assume['role']}{who}: {assume['decision']}")
        sides = [("identity", assume.get("identity")), ("trust", assume["trust"])]
        for name, side in sides:
            if side is None:
                if name == "identity" and assume.get("identity_elsewhere"):
                    lines.append(f"  identity: {assume['identity_elsewhere']}")
                continue
            lines.append(f"  {name}: {side['decision']} — {side['reason']}")
        who = f" as {assume['role'].rpartition(':')[2]}"
    context = ", ".join(f"{k}={'|'.join(v)}" for k, v in req["context"].items())
    lines.append(f"{result['decision']}: {req['action']} on {req['resource']}{who}")
    if context:
        lines.append(f"  context: {context}")
    lines.append(f"  reason: {result['reason']}")
    if result.get("not_evaluated"):
        lines.append(
            f"  not evaluated: {', '.join(result['not_evaluated'])} (no document in the bundled catalog: "
            "effective permissions unknown, the decision leaves out what they grant)"
        )
    if result["matched"]:
        lines.append("  matched:")
        lines += _matched_lines(result["matched"], "    ")
    return "\n".join(lines) + "\n"

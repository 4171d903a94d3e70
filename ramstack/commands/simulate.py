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
from ramstack.evaluate.batch import (
    BatchEvaluator,
    RequestConflict,
    SimRequest,
    check_action,
    check_resource,
    load_policies,
    read_requests,
)
from ramstack.evaluate.options import MISSING_KEY_MODES, EvalOptions
from ramstack.evaluate.principals import UnknownPrincipal
from ramstack.evaluate.request import freeze_context
from ramstack.ui import output
from ramstack.ui.summary import decisions_line

CLI = Location("<command line>")


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


def run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    options = EvalOptions(missing_key=args.missing_key, case_sensitive_keys=args.case_sensitive_keys)
    policy_mode = bool(args.policy)
    batch = args.requests is not None
    _check_options(args, policy_mode, batch, diags)
    context = parse_pairs(args.context, "--context", "SIM001", "acs:SourceIp=1.2.3.4", diags)
    variables = parse_pairs(args.var, "--var", "SIM001", "bucket=media", diags)
    diags.raise_if_errors()

    sim: BatchEvaluator
    if policy_mode:
        # the stack's ${accountId} etc. (when there is a stack), --var over them
        flat = stack_policy_variables(optional_stack_config(args, diags))
        flat.update({k: v[-1] for k, v in variables.items()})
        policies = load_policies(args.policy, diags, flat, options)
        session = load_policies([args.session_policy], diags, flat, options) if args.session_policy else None
        sim = BatchEvaluator(options, session, policies=policies)
    else:
        config, spec = load_stack(args, diags)
        if spec is None or config is None:
            raise InvalidInput(diags.items)
        session = None
        if args.session_policy:
            session = load_policies([args.session_policy], diags, config.policy_variables(), options)
        sim = BatchEvaluator(options, session, spec=spec)
    diags.raise_if_errors()

    if batch:
        requests = read_requests(args.requests, not policy_mode, diags)
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
        check_action(args.action, CLI, diags)
        check_resource(args.resource, CLI, diags)
        requests = [
            SimRequest(args.action, args.resource, freeze_context(context), args.principal, args.assume)
        ]
    diags.raise_if_errors()

    results: list[dict[str, Any]] = []
    for req in requests:
        try:
            results.append(sim.run(req))
        except (UnknownPrincipal, RequestConflict) as exc:
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
        from ramstack.ui.layout import fold_text

        output.result(fold_text(render_text(results[0])), "simulate")
        output.summary(decisions_line(str(r["decision"]) for r in results))
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

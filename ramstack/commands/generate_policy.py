"""`ramstack generate-policy`: a least-privilege custom policy from a principal's recorded calls.

    ramstack generate-policy --principal user/NAME|role/NAME --events PATH... [--since 90d]
                             [--until WHEN] [--name NAME] [--output FILE | --stdout] [--force]
                             [--diff] [--format text|json] [--stack NAME] [-C DIR]

Writes `<policies_dir>/<NAME>.yaml` (default NAME: `<principal name>-from-use`) in the spec's own
policy format: the actions the principal called in the window, one statement per service and set
of resources, the resources the events named (else every resource of the service in the recorded
region and account), and an `acs:SourceIp` condition when every call came from a few known
addresses. ARNs of the stack's account and region are written `${accountId}` and `${region}`, as
the spec's own policies are, so the file is portable across stacks. The file text is validated
(those variables substituted as the spec loader does) and linted by the core before it is
written; attach it in place of the broad grant (`policies: [NAME]`) and check with
`ramstack diff --replay`.
`--diff` adds what it would remove from today's grants (granted actions never called).

Exit 0 when written (or printed), 2 on invalid input: ACT003 bad --principal, ACT004 no call
recorded for the principal, ACT033 the file exists (pass --force), ACT034 the generated policy
does not validate (a bug: please report it).
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ramstack.commands.activity import add_event_arguments, read_activity
from ramstack.commands.common import COMMAND_LINE, add_stack_arguments, load_stack
from ramstack.diagnostics import Diagnostics, InvalidInput
from ramstack.ui import output
from ramstack.ui.summary import plural

if TYPE_CHECKING:
    from ramstack.activity.generate import GeneratedPolicy
    from ramstack.lint.runner import LintResult
    from ramstack.policy.document import PolicyDocument
    from ramstack.spec.config import StackConfig
    from ramstack.spec.model import Spec

DEFAULT_WINDOW = "90d"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument(
        "--principal", required=True, metavar="KIND/NAME", help="user/NAME or role/NAME of the spec"
    )
    add_event_arguments(parser, since=DEFAULT_WINDOW)
    parser.add_argument(
        "--name", metavar="NAME", help="policy name, the file's stem (default: <principal name>-from-use)"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write here (default: <policies_dir>/<NAME>.yaml)"
    )
    where.add_argument("--stdout", action="store_true", help="print the policy file instead of writing it")
    parser.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    parser.add_argument(
        "--diff", action="store_true", help="also show what it would remove from today's grants"
    )
    parser.add_argument("--format", "-f", choices=["text", "json"], default="text", help="output format")


def _fail(code: str, message: str, fix: str) -> InvalidInput:
    diags = Diagnostics()
    diags.error(COMMAND_LINE, code, message, fix)
    return InvalidInput(diags.items)


def _policies_folder(config: StackConfig) -> Path:
    from ramstack.lint.runner import policies_folder
    from ramstack.source import load_file

    return policies_folder(config, load_file(config.spec_path, Diagnostics(), str(config.spec_path)))


def _principal_fix(spec: Spec, subject: str) -> str:
    """`did you mean role/ims-sts-role?` for a near miss (of either kind), else the stack's users
    and roles."""
    import difflib

    from ramstack.ui.listing import first_of

    declared = [u.subject for u in spec.users] + [r.subject for r in spec.roles]
    close = difflib.get_close_matches(subject, declared, n=1)
    if close:
        return f"did you mean {close[0]}?"
    if not declared:
        return "declare it in the spec first"
    return f"name a user or role of the stack: {first_of(sorted(declared))}"


def check_text(text: str, display: str, variables: Mapping[str, str]) -> tuple[PolicyDocument, LintResult]:
    """Validate and lint the policy file text as the core reads any policy file of the stack: its
    `${accountId}`, `${region}` (and the stack's other variables) substituted first."""
    from ramstack.lint.context import DocumentView
    from ramstack.lint.locate import Source
    from ramstack.lint.runner import lint_documents
    from ramstack.policy.validate import validate_policy
    from ramstack.policy.variables import substitute
    from ramstack.source import parse_text

    diags = Diagnostics()
    tree = parse_text(text, display, diags)
    if tree is not None:
        tree = substitute(tree, variables, diags, file=display)
    document = validate_policy(tree, "permission", diags, file=display) if tree is not None else None
    if document is None or diags.has_errors:
        problems = "; ".join(d.format() for d in diags.errors)
        raise _fail("ACT034", f"the generated policy does not validate: {problems}", "please report it")
    stem = Path(display).stem
    view = DocumentView(stem, f"policy/{stem}", document, ("policies", display))
    return document, lint_documents([view], sources={display: Source(display, tree)})


def run(args: argparse.Namespace) -> int:
    from ramstack.activity.generate import generate_policy
    from ramstack.activity.policy_yaml import render_policy_yaml

    subject = args.principal.strip()
    kind, _, name = subject.partition("/")
    if kind not in ("user", "role") or not name:
        raise _fail(
            "ACT003", f"--principal {subject!r} must be user/NAME or role/NAME", "e.g. role/ims-sts-role"
        )
    policy_name = args.name or f"{name}-from-use"
    if not _NAME.fullmatch(policy_name):
        raise _fail(
            "ACT003", f"--name {policy_name!r} is not a policy name", "letters, digits, '.', '_', '-'"
        )
    diags = Diagnostics()
    config, spec = load_stack(args, diags)
    if config is None or spec is None:
        raise InvalidInput(diags.items)
    if (spec.user_map if kind == "user" else spec.role_map).get(name) is None:
        raise _fail("ACT003", f"{subject} is not declared in the spec", _principal_fix(spec, subject))
    log = read_activity(args, spec.account_id)
    policy = generate_policy(log, subject, account_id=spec.account_id, region=spec.region)
    if policy is None:
        seen = ", ".join(sorted(s for s in log.principals if s.startswith(("user/", "role/")))) or "none"
        raise _fail(
            "ACT004",
            f"no successful call of {subject} recorded in the window",
            f"principals with calls: {seen}; widen --since",
        )
    target = args.output or _policies_folder(config) / f"{policy_name}.yaml"
    if target.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise _fail("ACT003", f"--output {target} must end in .yaml, .yml or .json", "e.g. policies/app.yaml")
    if not args.stdout and target.exists() and not args.force:
        raise _fail("ACT033", f"{target} exists", "pass --force to overwrite it, or --name another name")
    window = f"since {args.since}" if args.since else "all recorded"
    header = [
        f"Generated by `ramstack generate-policy --principal {subject}` from {policy.calls} recorded calls",
        f"({window}; events {_span(log)}). Review before attaching in place of broader grants.",
        *[f"note: {n}" for n in policy.notes],
    ]
    if target.suffix.lower() == ".json":  # JSON has no comments: the notes are in the report
        text = policy.to_json() + "\n"
    else:
        text = render_policy_yaml(policy.to_dict(), header)
    display = str(target)
    document, lint = check_text(text, display, config.policy_variables())
    if args.stdout:
        output.result(text)
    else:
        from ramstack.fileio import make_folder, write_text_atomic

        make_folder(target.parent)
        write_text_atomic(target, text)
    removed = _would_remove(spec, log, subject) if args.diff else None
    if args.format == "json":
        data: dict[str, Any] = {
            "principal": subject,
            "name": policy_name,
            "file": None if args.stdout else display,
            "calls": policy.calls,
            "notes": list(policy.notes),
            "document": policy.to_dict(),  # as written: ${accountId}, ${region}
            "lint": _findings_json(lint),
        }
        if removed is not None:
            data["would_remove"] = removed
        output.result(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    elif not args.stdout:
        output.result(_text(policy, subject, display, lint, removed))
    output.summary(
        f"generate-policy: {plural(len(document.statements), 'statement')}, "
        f"{plural(sum(len(s.actions) for s in document.statements), 'action')} from "
        f"{plural(policy.calls, 'call')}; lint: {plural(len(lint.findings), 'finding')}."
    )
    return 0


def _span(log: Any) -> str:
    if log.first is None or log.last is None:
        return "undated"
    return f"{log.first:%Y-%m-%d} .. {log.last:%Y-%m-%d}"


def _findings_json(lint: LintResult) -> list[dict[str, Any]]:
    """The lint findings as `lint --format json` gives them (rule_id, severity, location, ...)."""
    from ramstack.report.base import Report
    from ramstack.report.json import finding_json

    report = Report.of(lint, threshold=None)
    return [finding_json(report, f) for f in report.findings]


def _would_remove(spec: Spec, log: Any, subject: str) -> list[dict[str, Any]]:
    """Today's Allow grants of `subject` and the actions of each that no recorded call used."""
    from ramstack.activity.unused import grant_usages

    out = []
    for found in grant_usages(spec, log):
        if found.subject != subject or not (found.usage.unused or not found.usage.complete):
            continue
        out.append(found.usage.to_json())
    return out


def _text(
    policy: GeneratedPolicy,
    subject: str,
    display: str,
    lint: LintResult,
    removed: list[dict[str, Any]] | None,
) -> str:
    from ramstack.report.text import format_finding
    from ramstack.ui.listing import first_of

    lines = [f"wrote {display}: least-privilege policy for {subject} from {policy.calls} recorded calls"]
    lines += [f"  note: {n}" for n in policy.notes]
    lines += [f"  lint: {format_finding(f)}" for f in lint.findings] or ["  lint: no findings"]
    if removed is not None:
        if not removed:
            lines.append("would remove: nothing (every grant of today is fully used)")
        else:
            lines.append("would remove (granted today, never called in the window):")
        for grant in removed:
            unused = list(grant["unused"])
            lines.append(
                f"  - {grant['action']} on {grant['resource']} ({', '.join(grant['sources'])}): "
                f"{len(unused)} action{'s' if len(unused) != 1 else ''} never called"
                + (f": {first_of(unused)}" if unused and unused != [grant["action"]] else "")
            )
            if not grant["complete"]:
                lines.append("    (the catalog cannot list every action it covers)")
    return "\n".join(lines) + "\n"

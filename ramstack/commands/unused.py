"""`ramstack unused`: access held but not used, from ActionTrail events, as lint findings.

    ramstack unused --events PATH... [--since 90d] [--until WHEN] [--stack NAME] [-C DIR]
                    [--format text|json|markdown|sarif|github] [--output FILE] [--fail-on LEVEL]

Per principal of the spec: grants with actions never called (ACT110; wildcards and system policies
expanded through the action catalog), grants never used at all (ACT111), roles never assumed
(ACT101), AccessKeys never used (ACT102), console users who never signed in (ACT103). These are
the activity lint rules: lint.yaml suppresses them and changes their severity like any rule, the
formats are lint's, and --fail-on (default: the stack's ramstack:failOn) is the same gate.
`ramstack lint --events ...` runs them together with every other rule.

Exit 0 when no finding is at or above --fail-on, 1 when one is, 2 on invalid input.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ramstack.commands.activity import add_event_arguments, read_activity
from ramstack.commands.common import add_stack_arguments, load_stack
from ramstack.diagnostics import Diagnostics, InvalidInput
from ramstack.lint.finding import SEVERITY_NAMES
from ramstack.ui import output

if TYPE_CHECKING:
    from ramstack.activity.log import ActivityLog
    from ramstack.lint.runner import LintResult
    from ramstack.spec.config import StackConfig
    from ramstack.spec.model import Spec

FORMATS = ("text", "json", "markdown", "sarif", "github")
DEFAULT_WINDOW = "90d"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    add_event_arguments(parser, since=DEFAULT_WINDOW)
    parser.add_argument("--format", "-f", choices=FORMATS, default="text", help="report format")
    parser.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write the report to FILE (atomically)"
    )
    parser.add_argument(
        "--fail-on",
        choices=[*SEVERITY_NAMES, "none"],
        default=None,
        help="exit 1 when a finding is at or above this severity (default: ramstack:failOn, else high)",
    )


def activity_findings(spec: Spec, config: StackConfig, log: ActivityLog) -> LintResult:
    """The activity rules' findings for `spec` and `log`, after the stack's lint.yaml."""
    from ramstack.lint.registry import ACTIVITY_RULES
    from ramstack.lint.runner import lint_stack

    # lint_stack reads the spec's sources and lint.yaml once (InvalidInput on lint.yaml errors)
    return lint_stack(spec, config, rules=ACTIVITY_RULES, activity=log)


def run(args: argparse.Namespace) -> int:
    from ramstack.lint.runner import fail_threshold
    from ramstack.report.base import Report
    from ramstack.report.registry import FORMATTERS

    diags = Diagnostics()
    config, spec = load_stack(args, diags)
    if config is None or spec is None:
        raise InvalidInput(diags.items)
    log = read_activity(args, spec.account_id)
    result = activity_findings(spec, config, log)
    report = Report.of(result, fail_threshold(args.fail_on or config.fail_on))
    rendered = FORMATTERS[args.format](report)
    if args.output is not None:
        from ramstack.fileio import write_text_atomic

        write_text_atomic(args.output, rendered)
    else:
        output.result(rendered)
    declared = {u.subject for u in spec.users} | {r.subject for r in spec.roles}
    others = sorted((s, n) for s, n in log.principals.items() if s not in declared)
    if others:
        listed = ", ".join(f"{s} ({n})" for s, n in others[:10])
        more = f" and {len(others) - 10} more" if len(others) > 10 else ""
        output.note(f"events of principals the spec does not declare (not judged): {listed}{more}")
    seen = f"{log.events - log.outside_window} events in the window"
    if log.first and log.last:
        seen += f", {log.first:%Y-%m-%d} .. {log.last:%Y-%m-%d}"
    output.summary(f"Unused: {report.summary()} ({seen}).")
    return 1 if report.failing else 0

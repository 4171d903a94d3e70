"""`ramstack lint`: least-privilege findings for a stack, or for standalone policy documents.

    ramstack lint [--stack NAME] [-C DIR] [--format text|json|sarif|markdown] [--output FILE]
                  [--fail-on info|low|medium|high|critical|none] [--baseline permissions.<stack>.lock.json]
    ramstack lint --policy FILE... [--kind permission|trust] [--stack NAME] [--var NAME=VALUE]
    ramstack lint --activity [--db PATH] [--since 90d] ...   also the activity rules (ACT1nn) on
                  the recorded calls of the window in the project's store (what `ramstack unused`
                  reports alone); --events PATH... reads those files instead (and implies --activity)

Without --activity, --events or --db, lint never reads nor requires an activity store: the
activity rules do not run, so a stack's lint does not change because a store appeared.

Exit 0 when no finding is at or above --fail-on (default: the stack's ramstack:failOn, else high;
with --policy the stack is optional: the default stack counts only when the project has it),
1 when one is, 2 on invalid input (spec, policy grammar, lint.yaml, baseline, usage).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from ramstack.commands.common import (
    add_stack_arguments,
    diagnostics_json,
    emit_json,
    optional_stack_config,
    parse_variables,
    print_diagnostics,
    stack_policy_variables,
)
from ramstack.diagnostics import Diagnostics
from ramstack.lint.finding import SEVERITY_NAMES
from ramstack.ui import output, progress
from ramstack.ui.summary import diagnostic_counts

if TYPE_CHECKING:
    from ramstack.lint.runner import LintResult

FORMATS = ("text", "json", "sarif", "markdown", "github")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--format", "-f", choices=FORMATS, default="text", help="report format")
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help="write the report to FILE (atomically) instead of stdout, e.g. results.sarif",
    )
    parser.add_argument(
        "--fail-on",
        choices=[*SEVERITY_NAMES, "none"],
        default=None,
        help="exit 1 when a finding is at or above this severity (default: ramstack:failOn, else high)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        metavar="LOCK",
        help="report every Allow grant not in this lock file (permissions.<stack>.lock.json) as LP003",
    )
    parser.add_argument(
        "--policy",
        nargs="+",
        type=Path,
        metavar="FILE",
        help="lint standalone policy documents (e.g. a session policy) instead of the stack",
    )
    parser.add_argument(
        "--kind",
        choices=["permission", "trust"],
        default="permission",
        help="with --policy: permission (identity/session) or trust documents (default: permission)",
    )
    parser.add_argument(
        "--var", action="append", default=[], metavar="NAME=VALUE", help="with --policy: a ${NAME} value"
    )
    parser.add_argument(
        "--activity",
        action="store_true",
        help="also the activity rules (ACT1nn) on the recorded calls: the --events files, else the "
        "store (--db, default .ramstack/activity.sqlite; ACT020 when there is none)",
    )
    from ramstack.commands.activity import add_event_arguments

    add_event_arguments(parser, since="90d")


def wants_activity(args: argparse.Namespace) -> bool:
    """Whether the activity rules run: asked for with --activity, or implied by --events or --db."""
    return bool(args.activity or args.events or args.db is not None)


def run(args: argparse.Namespace) -> int:
    from ramstack.lint.runner import fail_threshold

    diags = Diagnostics()
    result: LintResult | None
    if args.policy and wants_activity(args):
        from ramstack.commands.common import COMMAND_LINE

        diags.error(
            COMMAND_LINE,
            "ACT032",
            "--activity, --events and --db go with a stack's lint, not with --policy",
            "drop --policy to lint the stack with its recorded activity",
        )
        result, default_fail_on = None, "high"
    else:
        with progress.task("lint", unit="rules checked"):
            if args.policy:
                stack = optional_stack_config(args, diags)  # -s honoured: ${accountId}, grammar, failOn
                result = _lint_files(args, stack_policy_variables(stack), diags)
                default_fail_on = stack.fail_on if stack is not None else "high"
            else:
                result, default_fail_on = _lint_stack(args, diags)
    if result is None or diags.has_errors:
        if args.format == "json":
            emit_json({"valid": False, "diagnostics": diagnostics_json(diags)})
        elif args.format == "github":
            from ramstack.report import github

            output.result(github.diagnostics(diags))
        else:  # stdout is for the report alone: input errors are diagnostics, on stderr
            print_diagnostics(diags)
        output.summary(f"lint: invalid input: {diagnostic_counts(diags)}")
        return 2
    threshold = fail_threshold(args.fail_on or default_fail_on)
    from ramstack.report.base import Report
    from ramstack.report.registry import FORMATTERS

    report = Report.of(result, threshold)
    rendered = FORMATTERS[args.format](report)
    if args.output is not None:
        from ramstack.fileio import write_text_atomic

        write_text_atomic(args.output, rendered)
    else:
        output.result(rendered, "lint" if args.format == "text" else None)
    output.summary(f"Lint: {report.summary()}.")
    return 1 if report.failing else 0


def _lint_stack(args: argparse.Namespace, diags: Diagnostics) -> tuple[LintResult | None, str]:
    from ramstack.commands.common import load_stack
    from ramstack.lint.runner import lint_stack, load_stack_lint_config, stack_sources

    config, spec = load_stack(args, diags)
    if config is None or spec is None:
        return None, "high"
    sources = stack_sources(spec, config)
    lint_config = load_stack_lint_config(spec, config, diags, sources)
    baseline = None
    if args.baseline is not None:
        from ramstack.lint.baseline import load_baseline

        baseline = load_baseline(args.baseline, diags)
    if diags.has_errors:
        return None, config.fail_on
    activity = None
    if wants_activity(args):
        from ramstack.commands.activity import read_activity

        activity = read_activity(args, spec.account_id)  # the --events files, else the store
    result = lint_stack(
        spec, config, lint_config=lint_config, baseline=baseline, activity=activity, sources=sources
    )
    return result, config.fail_on


def _lint_files(args: argparse.Namespace, variables: dict[str, str], diags: Diagnostics) -> LintResult | None:
    from ramstack.lint.context import DocumentView
    from ramstack.lint.locate import Source
    from ramstack.lint.runner import lint_documents
    from ramstack.policy.load import load_policy_tree

    variables = {**variables, **parse_variables(args.var, diags)}
    views: list[DocumentView] = []
    sources: dict[str, Source] = {}
    with progress.task("lint: reading policy files", unit="files", total=len(args.policy)):
        for path in args.policy:
            progress.tick()
            display = str(path)
            doc, tree = load_policy_tree(path, args.kind, diags, variables=variables, display=display)
            if doc is None:
                continue
            sources[display] = Source(display, tree)
            views.append(DocumentView(path.stem, f"policy/{path.stem}", doc, ("policies", display)))
    if diags.has_errors:
        return None
    return lint_documents(views, args.kind, sources=sources)

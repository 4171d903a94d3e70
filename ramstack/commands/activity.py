"""`ramstack activity load|unused|generate|replay`: what principals did, from ActionTrail events.

    ramstack activity load     FILE|DIR...                       store the events; what is unmapped
    ramstack activity unused   [--exit-code]                     granted but unused, roles never assumed
    ramstack activity generate --principal user/N|role/N [--output FILE] [--diff]
    ramstack activity replay   [--base-ref REF]                  calls the working spec would deny

The events come from the project's store (`.ramstack/activity.sqlite`, `--db PATH`), which `load`
fills incrementally; `--events PATH...` reads files instead, without storing them.
Common: --since/--until (ISO date or time, or 90d / 12h back from now), --stack, -C DIR,
--format text|json|markdown, --strict (malformed events fail instead of warning).
Exit 0 ok; 1 replay found a call that would break (or unused access with --exit-code);
2 invalid input (missing files, bad options; with --strict, malformed events).

Codes: ACT001 malformed event (warning), ACT002 unreadable path, ACT003 bad option value,
ACT004 nothing recorded for the principal, ACT005 `load` of a file with no valid event (error:
nothing is stored), ACT006 `load` of a file that holds no event (warning); ACT020..ACT023 the
store (ramstack.activity.store); ACT031 no event in the window (warning); unused-access findings
are the activity lint rules (`ramstack rules ACT110`): ACT101 role never assumed, ACT102
AccessKey never used, ACT103 console user never signed in, ACT110 a grant with actions never
called, ACT111 a grant never used.

The top-level verbs `unused`, `generate-policy`, `diff --replay` and `lint --events` read their
events through `add_event_arguments` / `read_activity` here (the store, or --events files, through
ramstack.activity.source), the one place that knows where recorded activity comes from.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ramstack.commands.common import add_stack_arguments, load_stack, print_diagnostics, project_dir
from ramstack.diagnostics import Diagnostic, Diagnostics, InvalidInput, Location

if TYPE_CHECKING:
    from ramstack.activity.log import ActivityLog
    from ramstack.spec.config import StackConfig

CLI = Location("<command line>")
_RELATIVE = re.compile(r"^(\d+)([dh])$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="activity_verb", metavar="SUBVERB", required=True)
    helps = {
        "load": "read the events: counts per principal, events that cannot be mapped and why",
        "unused": "per principal: granted actions never used, roles never assumed, keys never used",
        "generate": "a least-privilege policy from a principal's recorded calls",
        "replay": "recorded calls that the working spec would deny (vs --base-ref); exit 1 if any",
    }
    for name, text in helps.items():
        command = sub.add_parser(name, help=text, description=text)
        add_stack_arguments(command)
        if name == "load":
            command.add_argument(
                "paths",
                nargs="*",
                type=Path,
                metavar="FILE|DIR",
                help="ActionTrail event files or folders (JSON array, JSON lines, .gz) to store",
            )
        add_event_arguments(command, since=None)
        formats = ["text", "json"] if name in ("load", "generate") else ["text", "json", "markdown"]
        formats += ["sarif"] if name == "unused" else []
        command.add_argument("--format", "-f", choices=formats, default="text", help="output format")
        if name == "unused":
            command.add_argument("--exit-code", action="store_true", help="exit 1 when anything is unused")
        if name == "generate":
            command.add_argument(
                "--principal", required=True, metavar="KIND/NAME", help="user/NAME or role/NAME"
            )
            command.add_argument("--output", type=Path, metavar="FILE", help="write the policy JSON here")
            command.add_argument(
                "--diff", action="store_true", help="also show what it would remove from today's grants"
            )
        if name == "replay":
            command.add_argument(
                "--base-ref",
                default="HEAD",
                metavar="GIT_REF",
                help="the deployed spec to compare with (default HEAD)",
            )


def add_event_arguments(parser: argparse.ArgumentParser, *, since: str | None) -> None:
    """--events PATH... or --db PATH, --since (default `since`), --until, --strict: where the
    recorded calls are and which of them count."""
    parser.add_argument(
        "--events",
        nargs="+",
        type=Path,
        metavar="PATH",
        help="read these ActionTrail event files or folders (JSON array, JSON lines, .gz) instead of "
        "the store",
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="the activity store (default: .ramstack/activity.sqlite in the project)",
    )
    window = f" (default {since})" if since else ""
    parser.add_argument(
        "--since",
        default=since,
        help=f"window start: 2026-01-01, 2026-01-01T00:00:00Z, or 90d / 12h ago{window}",
    )
    parser.add_argument("--until", help="window end (exclusive), same forms (default: now)")
    parser.add_argument("--strict", action="store_true", help="malformed events are errors (exit 2)")


def window(args: argparse.Namespace) -> tuple[datetime | None, datetime | None]:
    """(since, until) of --since/--until; InvalidInput (ACT003) when one is not a time."""
    diags = Diagnostics()
    since = _when(args.since, "--since", diags)
    until = _when(args.until, "--until", diags)
    diags.raise_if_errors()
    return since, until


def read_activity(args: argparse.Namespace, account_id: str | None, *, store: bool = False) -> ActivityLog:
    """The recorded calls of the window (--since/--until): those of the `--events` files, else (or
    with `store`) those of the project's store. Raises InvalidInput (ACT002/ACT003, ACT020..ACT023,
    ACT001 with --strict); warnings go to stderr."""
    from ramstack.activity.source import read_activity as read_source

    since, until = window(args)
    diags = Diagnostics()
    events = None if store else args.events
    log = read_source(events, store_path(args), diags, account_id=account_id, since=since, until=until)
    if args.strict:
        diags = _strict(diags)
    diags.raise_if_errors()
    assert log is not None
    if not log.events - log.outside_window:
        span = f" since {args.since}" if args.since else ""
        diags.warning(
            CLI,
            "ACT031",
            f"no event in the window{span} ({log.events} read): nothing counts as used",
            "widen --since, or load the trail of that period",
        )
    print_diagnostics(diags, sys.stderr)
    return log


def store_path(args: argparse.Namespace) -> Path:
    """`--db`, else the default store of the project that -C/--stack find."""
    from ramstack.activity.store import DEFAULT_PATH

    db: Path | None = getattr(args, "db", None)
    return db if db is not None else project_dir(args) / DEFAULT_PATH


def _when(value: str | None, option: str, diags: Diagnostics) -> datetime | None:
    if value is None:
        return None
    relative = _RELATIVE.match(value.strip())
    if relative:
        amount, unit = int(relative.group(1)), relative.group(2)
        from ramstack import clock

        return clock.now() - (timedelta(days=amount) if unit == "d" else timedelta(hours=amount))
    from ramstack.activity.calls import parse_time

    found = parse_time(value)
    if found is None:
        diags.error(CLI, "ACT003", f"{option} {value!r} is not a date, time or 90d/12h", f"e.g. {option} 90d")
    return found


def run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    if args.activity_verb == "load":
        events = [*args.paths, *(args.events or [])]
        if not events:
            raise InvalidInput(_one(CLI, "ACT003", "no event files or folders given", _LOAD_USAGE))
        window(args)  # a bad --since fails before anything is stored
        loaded = _store(events, args, diags)
        print_diagnostics(diags, sys.stderr)  # warnings (ACT001) stay out of the report
        return _load(args, read_activity(args, None, store=True), loaded)  # the whole store, windowed
    config, spec = load_stack(args, diags)
    if config is None or spec is None:
        raise InvalidInput(diags.items)
    log = read_activity(args, spec.account_id)
    if args.activity_verb == "unused":
        return _unused(args, log, spec, config)
    handler = {"generate": _generate, "replay": _replay}
    return handler[args.activity_verb](args, log, spec)


_LOAD_USAGE = "ramstack activity load FILE|DIR... (ActionTrail event files or folders)"


def _store(events: list[Path], args: argparse.Namespace, diags: Diagnostics) -> object:
    """Store the events, each file read once; with --strict a malformed event stores nothing."""
    from ramstack.activity.store import load

    result = load(events, store_path(args), diags, strict=args.strict)
    (_strict(diags) if args.strict else diags).raise_if_errors()
    return result


def _strict(diags: Diagnostics) -> Diagnostics:
    out = Diagnostics()
    for d in diags:
        (out.error if d.code == "ACT001" or d.level == "error" else out.warning)(
            d.location, d.code, d.message, d.fix
        )
    return out


def _emit(
    args: argparse.Namespace, text: str, data: object, markdown: str | None = None, *, fold: bool = True
) -> None:
    """The result on stdout in the chosen format; text is folded to the width (ui.layout) unless it
    holds a document to copy (generate's policy JSON)."""
    from ramstack.ui import output
    from ramstack.ui.layout import fold_text

    if args.format == "json":
        output.result(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    elif args.format == "markdown" and markdown is not None:
        output.result(markdown)
    else:
        output.result(fold_text(text) if fold else text, "activity")


def _load(args: argparse.Namespace, log: object, loaded: object) -> int:
    from ramstack.activity import json_format, text
    from ramstack.activity.log import ActivityLog
    from ramstack.activity.store import LoadResult

    assert isinstance(log, ActivityLog) and isinstance(loaded, LoadResult)
    from ramstack.ui import output
    from ramstack.ui.summary import activity_load_line

    db = str(store_path(args))
    data = json_format.summary(log)
    data["load"] = json_format.loaded(loaded, db)
    _emit(args, text.loaded(loaded, db) + text.summary(log), data)
    output.summary(
        activity_load_line(log.events, len(log.principals), sum(log.unmapped.values()), log.outside_window)
    )
    return 0


def _unused(args: argparse.Namespace, log: object, spec: object, config: StackConfig) -> int:
    from ramstack.activity import json_format, markdown, text
    from ramstack.activity.log import ActivityLog
    from ramstack.activity.unused import unused_access
    from ramstack.spec.model import Spec

    assert isinstance(log, ActivityLog) and isinstance(spec, Spec)
    report = unused_access(spec, log)
    if args.format == "sarif":
        from ramstack.commands.unused import activity_findings
        from ramstack.report import sarif
        from ramstack.report.base import Report

        result = activity_findings(spec, config, log)
        sys.stdout.write(sarif.render(Report.of(result, threshold=None)))
        _unused_summary(report)
        return 1 if args.exit_code and not report.empty else 0
    _emit(args, text.unused(report), json_format.unused(report), markdown.unused(report))
    _unused_summary(report)
    return 1 if args.exit_code and not report.empty else 0


def _unused_summary(report: object) -> None:
    from ramstack.activity.unused import UnusedReport
    from ramstack.ui import output
    from ramstack.ui.summary import unused_line

    assert isinstance(report, UnusedReport)
    holders = [p for p in report.principals if p.grants or p.findings]
    output.summary(
        unused_line(len(holders), sum(len(p.grants) for p in holders), sum(len(p.findings) for p in holders))
    )


def _generate(args: argparse.Namespace, log: object, spec: object) -> int:
    from ramstack.activity import json_format, text
    from ramstack.activity.generate import generate_policy
    from ramstack.activity.log import ActivityLog
    from ramstack.fileio import make_folder, write_text_atomic
    from ramstack.spec.model import Spec

    assert isinstance(log, ActivityLog)
    subject = args.principal.strip()
    if not subject.startswith(("user/", "role/")):
        raise InvalidInput(
            _one(
                CLI,
                "ACT003",
                f"--principal {subject!r} must be user/NAME or role/NAME",
                "e.g. role/ims-sts-role",
            )
        )
    assert isinstance(spec, Spec)
    policy = generate_policy(log, subject, account_id=spec.account_id, region=spec.region)
    if policy is None:
        seen = ", ".join(sorted(s for s in log.principals if s.startswith(("user/", "role/")))) or "none"
        raise InvalidInput(
            _one(
                CLI,
                "ACT004",
                f"no successful call of {subject} recorded in the window",
                f"principals with calls: {seen}",
            )
        )
    if args.output is not None:
        make_folder(args.output.parent)
        write_text_atomic(args.output, policy.to_json() + "\n")  # ${accountId}, ${region}: portable
    removed = None
    if args.diff:
        from ramstack.activity.unused import UnusedReport, unused_access

        usage = [p for p in unused_access(spec, log).principals if p.subject == subject]
        removed = UnusedReport(tuple(usage), ())
    plain = text.generated(policy, subject)
    data = json_format.generated(policy, subject)
    if removed is not None:
        plain += "would remove (granted today, never called):\n" + text.unused(removed)
        data["would_remove"] = json_format.unused(removed)["principals"]
    from ramstack.ui import output
    from ramstack.ui.summary import generated_line

    _emit(args, plain, data, fold=False)
    written = f" Written to {args.output}." if args.output is not None else ""
    output.summary(generated_line(subject, len(policy.document.statements), policy.calls) + written)
    return 0


def _replay(args: argparse.Namespace, log: object, spec: object) -> int:
    from ramstack.activity import json_format, markdown, text
    from ramstack.activity.log import ActivityLog
    from ramstack.activity.replay import replay
    from ramstack.commands.diff import spec_at_ref
    from ramstack.spec.model import Spec

    assert isinstance(log, ActivityLog) and isinstance(spec, Spec)
    diags = Diagnostics()
    base = spec_at_ref(args, diags)
    diags.raise_if_errors()
    result = replay(log, None if base == "absent" else base if isinstance(base, Spec) else None, spec)
    from ramstack.ui import output
    from ramstack.ui.summary import replay_line

    _emit(args, text.replayed(result), json_format.replayed(result), markdown.replayed(result))
    output.summary(
        replay_line(
            result.calls, result.decisions, result.broken_calls, len(result.breaks), len(result.undecided)
        )
    )
    return 1 if result.breaks else 0


def _one(loc: Location, code: str, message: str, fix: str) -> list[Diagnostic]:
    diags = Diagnostics()
    diags.error(loc, code, message, fix)
    return list(diags.items)

"""`ramstack diff [--against FILE | --base-ref REF] [--format text|markdown|json|html|github] [--exit-code]`:
what the current spec changes in effective permissions, per principal.

`--replay --events PATH... [--since 30d] [--fail-on-breakage]` also replays the recorded allowed
calls of the window (ActionTrail) against the working spec and reports, per principal, those it
would newly deny (action, resource, count, last seen), in every format; --fail-on-breakage exits 1
when there is one. The base decides what was allowed before: the spec at --base-ref, else the lock
file's grants (trust is not in a lock: an AssumeRole is then judged on the caller's side).
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from ramstack.commands.common import (
    COMMAND_LINE,
    add_stack_arguments,
    diagnostics_json,
    emit_json,
    load_stack,
    print_diagnostics,
    project_dir,
)
from ramstack.diagnostics import Diagnostic, Diagnostics, Location
from ramstack.effective import EffectivePermissions, compute_effective
from ramstack.effective.lockfile import read
from ramstack.effective.lockpath import LOCK_FILE_PATTERN, lock_path_for_reading
from ramstack.permdiff import diff_permissions, json_format, markdown, text
from ramstack.permdiff.model import PermissionDiff
from ramstack.spec.config import load_stack_config
from ramstack.spec.inputs import load_with_config
from ramstack.spec.model import Spec
from ramstack.ui import output
from ramstack.ui.summary import diff_line

if TYPE_CHECKING:
    from ramstack.activity.replay import ReplayResult

FORMATS = ("text", "markdown", "json", "html", "github")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--against",
        type=Path,
        metavar="FILE",
        help=f"compare with this lock file (default: the stack's {LOCK_FILE_PATTERN} next to the spec)",
    )
    source.add_argument(
        "--base-ref", metavar="GIT_REF", help="compare with the spec as it is at this git ref"
    )
    parser.add_argument(
        "--format",
        "-f",
        choices=FORMATS,
        default="text",
        help="markdown and html draw the change as a graph (added green, removed red)",
    )
    parser.add_argument(
        "--exit-code", action="store_true", help="exit 1 when anything changed, 0 when nothing did"
    )
    parser.add_argument(
        "--replay",
        action="store_true",
        help="also replay the recorded calls (--events) and report those the change would newly deny",
    )
    parser.add_argument(
        "--fail-on-breakage",
        action="store_true",
        help="with --replay: exit 1 when a recorded call would be newly denied",
    )
    from ramstack.commands.activity import add_event_arguments

    add_event_arguments(parser, since="30d")


def run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    if not args.replay:
        for option, given in (("--events", args.events), ("--fail-on-breakage", args.fail_on_breakage)):
            if given:
                diags.error(
                    COMMAND_LINE, "ACT032", f"{option} goes with --replay", "add --replay, or drop it"
                )
    config, spec = load_stack(args, diags)
    if config is None or spec is None or diags.has_errors:
        return _invalid(args, diags)
    after = compute_effective(spec)
    base: Spec | EffectivePermissions | None = None
    if args.base_ref:
        base_spec = spec_at_ref(args, diags)
        before = None
        if base_spec == "absent":
            before = EffectivePermissions(account_id="")
        elif base_spec is not None:
            before = compute_effective(base_spec)
            base = base_spec
        label = f"against {args.base_ref}"
    else:
        path = args.against or lock_path_for_reading(config, diags)
        before = read(path, diags, current=(after, args.stack))
        base = before
        label = f"against {path.name}"
    if before is None:
        return _invalid(args, diags)
    print_diagnostics(diags)  # warnings (LOCK004), on stderr like every diagnostic
    replayed = None
    if args.replay:
        from ramstack.activity.replay import replay
        from ramstack.commands.activity import read_activity

        replayed = replay(read_activity(args, spec.account_id), base, spec)
    result = diff_permissions(before, after)
    title = f"ramstack diff: stack {args.stack} {label}"
    rendered = _render(args.format, before, after, result, title, label, replayed)
    if args.format == "text":
        from ramstack.ui.layout import fold_text

        rendered = fold_text(rendered)
    output.result(rendered, "diff" if args.format == "text" else None)
    summary = diff_line(result)
    if replayed is not None:
        summary = summary.rstrip(".") + (
            f"; replay: {replayed.broken_calls} of {replayed.calls} recorded calls would be denied"
            + (f", {len(replayed.undecided)} undecided." if replayed.undecided else ".")
        )
    output.summary(summary)
    if args.fail_on_breakage and replayed is not None and replayed.breaks:
        return 1
    return 1 if args.exit_code and not result.empty else 0


def _render(
    fmt: str,
    before: EffectivePermissions,
    after: EffectivePermissions,
    result: PermissionDiff,
    title: str,
    label: str,
    replayed: ReplayResult | None = None,
) -> str:
    if fmt == "text":
        out = text.render(result, title)
        if replayed is not None:
            from ramstack.activity import text as replay_text

            out += "\n" + replay_text.replayed(replayed)
        return out
    if fmt == "json":
        if replayed is None:
            return json_format.render(result, title)
        import json

        from ramstack.activity import json_format as replay_json

        data = {"title": title, **result.to_json(), "replay": replay_json.replayed(replayed)}
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if fmt == "github":
        from ramstack.report import github

        out = github.diff(result, title)
        if replayed is not None:
            from ramstack.activity import github_format

            out += github_format.replayed(replayed)
        return out
    from ramstack.graph.change import change_graph

    picture = change_graph(before, after, result)
    if fmt == "markdown":
        from ramstack.graph import mermaid

        out = markdown.render(result, title, mermaid.render(picture) if picture.nodes else "")
        if replayed is not None:
            from ramstack.activity import markdown as replay_markdown

            out += "\n" + replay_markdown.replayed(replayed)
        return out
    from ramstack.graph.html import ReportParts, render

    sections: tuple[str, ...] = ()
    if replayed is not None:
        from ramstack.activity import html_format

        sections = (html_format.replayed(replayed, f"recorded calls replayed {label}"),)
    return render(ReportParts(title=title, diff=result, diff_label=label, change=picture, sections=sections))


def _invalid(args: argparse.Namespace, diags: Diagnostics) -> int:
    if args.format == "json":  # a machine reading the report gets the diagnostics as JSON too
        emit_json({"valid": False, "diagnostics": diagnostics_json(diags)})
    elif args.format == "github":
        from ramstack.report import github

        output.result(github.diagnostics(diags))
    else:
        print_diagnostics(diags)
    return 2


def spec_at_ref(args: argparse.Namespace, diags: Diagnostics) -> Spec | Literal["absent"] | None:
    """The stack's spec in a clean export of `args.base_ref`; "absent" when the ref has no such
    stack or spec yet; None (with GIT001/GIT002) when it cannot be read or is invalid."""
    import io
    import subprocess
    import tarfile
    import tempfile

    project = project_dir(args).resolve()
    where = Location(f"--base-ref {args.base_ref}")
    try:
        top = Path(_git(project, "rev-parse", "--show-toplevel").decode().strip())
        archive = _git(top, "archive", "--format=tar", args.base_ref)
    except subprocess.CalledProcessError as exc:
        diags.error(
            where,
            "GIT001",
            f"git could not read {args.base_ref!r}: {exc.stderr.decode().strip()}",
            "pass a commit, branch or tag that exists in this repository",
        )
        return None
    except FileNotFoundError:
        diags.error(where, "GIT001", "git is not installed", "install git or use --against FILE")
        return None
    with tempfile.TemporaryDirectory(prefix="ramstack-base-") as tmp:
        try:
            with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
                tar.extractall(tmp, filter="data")
        except tarfile.ReadError:  # an empty tree archives to nothing: no stack there yet
            return "absent"
        base_project = Path(tmp) / project.relative_to(top)
        if not (base_project / f"Pulumi.{args.stack}.yaml").exists():
            return "absent"
        base_diags = Diagnostics()
        config = load_stack_config(base_project, args.stack, base_diags, partial=True)
        if config is not None and not base_diags.has_errors and not config.spec_path.exists():
            return "absent"  # first adoption: no spec yet, everything is new
        spec = None
        if config is not None:
            spec = load_with_config(config, base_diags, config_failed=base_diags.has_errors)
        if spec is None:
            diags.error(
                where,
                "GIT002",
                f"the spec at {args.base_ref} is invalid, so there is nothing to compare",
                "fix it there, or compare against a lock file with --against",
            )
            # the base's own problems, named as files at that ref (not the temporary export)
            diags.extend(_at_ref_names(d, Path(tmp), args.base_ref) for d in base_diags.errors)
            return None
        return spec


def _at_ref_names(d: Diagnostic, tmp: Path, ref: str) -> Diagnostic:
    for root in {str(tmp), str(tmp.resolve())}:
        prefix = root + "/"
        if d.location.file.startswith(prefix):
            d = replace(d, location=replace(d.location, file=ref + ":" + d.location.file[len(prefix) :]))
        d = replace(d, message=d.message.replace(prefix, ref + ":"))
    return d


def _git(cwd: Path, *argv: str) -> bytes:
    import subprocess  # only --base-ref runs git: a diff against the lock file does not load it

    return subprocess.run(["git", *argv], cwd=cwd, check=True, capture_output=True).stdout

"""`ramstack diff [--against FILE | --base-ref REF] [--format text|markdown|json] [--exit-code]`:
what the current spec changes in effective permissions, per principal."""

from __future__ import annotations

import argparse
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from ramstack.commands.common import add_stack_arguments, load_stack, print_diagnostics, project_dir
from ramstack.diagnostics import Diagnostics, InvalidInput, Location
from ramstack.effective import EffectivePermissions, compute_effective
from ramstack.effective.lockfile import read
from ramstack.effective.lockpath import LOCK_FILE_PATTERN, lock_path_for_reading
from ramstack.permdiff import diff_permissions, json_format, markdown, text
from ramstack.report import github
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from ramstack.ui import output
from ramstack.ui.summary import diff_line

FORMATS = {
    "text": text.render,
    "markdown": markdown.render,
    "json": json_format.render,
    "github": github.diff,
}


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
    parser.add_argument("--format", "-f", choices=list(FORMATS), default="text")
    parser.add_argument(
        "--exit-code", action="store_true", help="exit 1 when anything changed, 0 when nothing did"
    )


def run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    config, spec = load_stack(args, diags)
    if config is None or spec is None:
        print_diagnostics(diags)
        return 2
    if args.base_ref:
        before = _at_ref(args, diags)
        label = f"against {args.base_ref}"
    else:
        path = args.against or lock_path_for_reading(config, diags)
        before = read(path, diags)
        label = f"against {path.name}"
    if before is None:
        print_diagnostics(diags)
        return 2
    print_diagnostics(diags)  # warnings (LOCK004), on stderr like every diagnostic
    result = diff_permissions(before, compute_effective(spec))
    output.result(FORMATS[args.format](result, f"ramstack diff: stack {args.stack} {label}"))
    output.summary(diff_line(result))
    return 1 if args.exit_code and not result.empty else 0


def _at_ref(args: argparse.Namespace, diags: Diagnostics) -> EffectivePermissions | None:
    """Effective permissions of the same stack in a clean export of the git ref (an absent stack
    or spec at that ref means every principal is new)."""
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
            return EffectivePermissions(account_id="")
        base_project = Path(tmp) / project.relative_to(top)
        if not (base_project / f"Pulumi.{args.stack}.yaml").exists():
            return EffectivePermissions(account_id="")
        base_diags = Diagnostics()
        config = load_stack_config(base_project, args.stack, base_diags)
        if config is not None:  # the base's own grammar levels, as `validate` at that ref would use
            base_diags.levels.update(config.grammar_levels)
        try:
            spec = load_spec(config, base_diags) if config is not None else None
        except InvalidInput:
            spec = None
        if spec is None:
            diags.error(
                where,
                "GIT002",
                f"the spec at {args.base_ref} is invalid, so there is nothing to compare",
                "compare against a lock file with --against",
            )
            return None
        return compute_effective(spec)


def _git(cwd: Path, *argv: str) -> bytes:
    return subprocess.run(["git", *argv], cwd=cwd, check=True, capture_output=True).stdout

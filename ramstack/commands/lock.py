"""`ramstack lock [--stack NAME] [--check]`: write (or verify) the stack's permissions.<stack>.lock.json."""

from __future__ import annotations

import argparse
from pathlib import Path

from ramstack.commands.common import add_stack_arguments, load_stack, print_diagnostics
from ramstack.diagnostics import Diagnostics
from ramstack.effective import compute_effective
from ramstack.effective.lockfile import dumps, read
from ramstack.effective.lockpath import (
    LOCK_FILE_PATTERN,
    default_lock_path,
    legacy_lock_path,
    lock_path_for_reading,
)
from ramstack.ui import output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help=f"where to write (default: {LOCK_FILE_PATTERN} next to the spec)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the lock file is not up to date"
    )


def run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    config, spec = load_stack(args, diags)
    if config is None or spec is None:
        print_diagnostics(diags)
        return 2
    text = dumps(compute_effective(spec), args.stack)
    if args.check:
        path = args.output or lock_path_for_reading(config, diags)
        current = _current_text(path)
        # What lock would write is a valid lock file: only a different one needs reading, to tell
        # a corrupt lock file (malformed, exit 2) from an out-of-date one
        if current != text and (path.exists() or path.is_symlink()):
            read(path, diags)
            if diags.has_errors:
                print_diagnostics(diags)
                return 2
        print_diagnostics(diags)
        if current == text:
            output.summary(f"{path}: up to date")
            return 0
        output.summary(f"{path}: out of date; run `ramstack lock --stack {args.stack}`")
        return 1
    print_diagnostics(diags)
    from ramstack.fileio import write_text_atomic  # (tempfile): lock --check writes nothing

    path = args.output or default_lock_path(config)
    write_text_atomic(path, text)
    output.summary(
        f"wrote {path} ({len(spec.users)} users, {len(spec.groups)} groups, {len(spec.roles)} roles)"
    )
    legacy = legacy_lock_path(config)
    if args.output is None and legacy is not None:
        output.note(
            f"{legacy} is the old shared lock file of stack {args.stack}: delete it (git rm {legacy})"
        )
    return 0


def _current_text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError):  # read() says what is wrong with it
        return None

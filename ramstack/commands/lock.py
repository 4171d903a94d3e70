"""`ramstack lock [--stack NAME] [--check]`: write (or verify) permissions.lock.json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ramstack.commands.common import add_stack_arguments, load_stack, print_diagnostics
from ramstack.diagnostics import Diagnostics
from ramstack.effective import compute_effective
from ramstack.effective.lockfile import LOCK_FILE, dumps, read
from ramstack.fileio import write_text_atomic


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="FILE",
        help=f"where to write (default: {LOCK_FILE} next to the spec)",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if the lock file is not up to date"
    )


def lock_path(args: argparse.Namespace, spec_path: Path) -> Path:
    return args.output if args.output else spec_path.parent / LOCK_FILE


def run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    config, spec = load_stack(args, diags)
    print_diagnostics(diags)
    if config is None or spec is None:
        return 2
    text = dumps(compute_effective(spec), args.stack)
    path = lock_path(args, config.spec_path)
    if args.check:
        if path.exists() or path.is_symlink():  # a corrupt lock file is malformed, not out of date
            check = Diagnostics()
            read(path, check)
            if check.has_errors:
                print_diagnostics(check)
                return 2
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            print(f"{path}: up to date")
            return 0
        sys.stdout.write(f"{path}: out of date; run `ramstack lock --stack {args.stack}`\n")
        return 1
    write_text_atomic(path, text)
    print(f"wrote {path} ({len(spec.users)} users, {len(spec.groups)} groups, {len(spec.roles)} roles)")
    return 0

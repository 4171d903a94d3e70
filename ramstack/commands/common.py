"""Options and output helpers shared by the verbs."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from ramstack.diagnostics import Diagnostic, Diagnostics, Location, sort_diagnostics
from ramstack.spec.config import StackConfig, load_stack_config
from ramstack.spec.inputs import load_with_config
from ramstack.spec.model import Spec


def add_stack_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stack",
        "-s",
        default=os.environ.get("PULUMI_STACK", "dev"),
        help="stack whose Pulumi.<stack>.yaml to read (default: $PULUMI_STACK or dev)",
    )
    parser.add_argument(
        "-C",
        "--cwd",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="project folder holding Pulumi.<stack>.yaml (default: .)",
    )


def add_format_argument(parser: argparse.ArgumentParser, formats: Iterable[str] = ("text", "json")) -> None:
    parser.add_argument("--format", "-f", choices=list(formats), default="text", help="output format")


def print_diagnostics(items: Iterable[Diagnostic], stream: TextIO | None = None) -> None:
    """`FILE:LINE:COL: level CODE: message`, sorted; on stdout unless a report format owns it."""
    out = stream or sys.stdout
    for d in sort_diagnostics(items):
        out.write(d.format() + "\n")


def diagnostics_json(items: Iterable[Diagnostic]) -> list[dict[str, object]]:
    return [d.to_json() for d in sort_diagnostics(items)]


def load_stack(args: argparse.Namespace, diags: Diagnostics) -> tuple[StackConfig | None, Spec | None]:
    """Config then spec, collecting every diagnostic (never raises for user mistakes)."""
    before = len(diags.errors)
    config = load_stack_config(args.cwd, args.stack, diags, partial=True)
    if config is None:
        return None, None
    config_failed = len(diags.errors) > before
    spec = load_with_config(config, diags, config_failed=config_failed)
    if config_failed:
        return None, None
    return config, spec


def emit_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


COMMAND_LINE = Location("<command line>")


def parse_pairs(
    pairs: list[str], option: str, code: str, example: str, diags: Diagnostics
) -> dict[str, list[str]]:
    """Repeated `--option KEY=VALUE` arguments; a malformed one is a located usage error."""
    out: dict[str, list[str]] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            diags.error(COMMAND_LINE, code, f"{option} {pair!r} is not KEY=VALUE", f"e.g. {option} {example}")
            continue
        out.setdefault(key.strip(), []).append(value)
    return out


def parse_variables(pairs: list[str], diags: Diagnostics) -> dict[str, str]:
    """`--var NAME=VALUE` values for ${NAME} in policy documents (the last one wins)."""
    return {k: v[-1] for k, v in parse_pairs(pairs, "--var", "CLI001", "bucket=media", diags).items()}

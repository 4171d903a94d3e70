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
from ramstack.ui import output

PROJECT_FILE = "Pulumi.yaml"


class _StackAction(argparse.Action):
    """Stores --stack and remembers that it was given (verbs where a stack is optional need to know)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option: object = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        namespace.stack_given = True


def add_stack_arguments(parser: argparse.ArgumentParser, *, stack_help: str | None = None) -> None:
    parser.add_argument(
        "--stack",
        "-s",
        action=_StackAction,
        default=os.environ.get("PULUMI_STACK", "dev"),
        metavar="NAME",
        help=stack_help or "stack whose Pulumi.<stack>.yaml to read (default: $PULUMI_STACK or dev)",
    )
    parser.add_argument(
        "-C",
        "--cwd",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help=f"start looking for the project ({PROJECT_FILE}) here and in its parents (default: .)",
    )
    parser.set_defaults(stack_given="PULUMI_STACK" in os.environ)


def find_project(start: Path, stack: str) -> Path:
    """The project folder for `start`, found as git and pulumi do: `start` itself when it holds the
    stack file, else the nearest folder up from it with a Pulumi.yaml (a relative path when `start`
    is, so diagnostics stay short), else `start` (whose missing stack file is then reported)."""
    if (start / f"Pulumi.{stack}.yaml").is_file():
        return start
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / PROJECT_FILE).is_file():
            if start.is_absolute():
                return folder
            return Path(os.path.relpath(folder, Path.cwd()))
    return start


def project_dir(args: argparse.Namespace) -> Path:
    return find_project(args.cwd, args.stack)


def optional_stack_config(args: argparse.Namespace, diags: Diagnostics) -> StackConfig | None:
    """The stack of verbs that read standalone policy files: its `${accountId}`, `${region}` and
    ramstack:vars (their `--var` values go over these), grammar levels and failOn.

    The stack is optional there: the default stack is used only when its file exists; a stack named
    with --stack (or $PULUMI_STACK) must exist."""
    folder = project_dir(args)
    if not (args.stack_given or (folder / f"Pulumi.{args.stack}.yaml").is_file()):
        return None
    config = load_stack_config(folder, args.stack, diags)
    if config is not None:
        diags.levels.update(config.grammar_levels)
    return config


def stack_policy_variables(config: StackConfig | None) -> dict[str, str]:
    return config.policy_variables() if config is not None else {}


def add_format_argument(parser: argparse.ArgumentParser, formats: Iterable[str] = ("text", "json")) -> None:
    parser.add_argument("--format", "-f", choices=list(formats), default="text", help="output format")


def print_diagnostics(items: Iterable[Diagnostic], stream: TextIO | None = None) -> None:
    """`FILE:LINE:COL: level CODE: message`, sorted, on stderr (ramstack.ui.output: stdout is for
    results); `stream` is accepted for callers that name stderr explicitly."""
    if stream is None or stream is sys.stderr:
        output.diagnostics(items)
        return
    for d in sort_diagnostics(items):
        stream.write(d.format() + "\n")


def diagnostics_json(items: Iterable[Diagnostic]) -> list[dict[str, object]]:
    return [d.to_json() for d in sort_diagnostics(items)]


def load_stack(args: argparse.Namespace, diags: Diagnostics) -> tuple[StackConfig | None, Spec | None]:
    """Config then spec, collecting every diagnostic (never raises for user mistakes)."""
    before = len(diags.errors)
    config = load_stack_config(project_dir(args), args.stack, diags, partial=True)
    if config is None:
        return None, None
    config_failed = len(diags.errors) > before
    spec = load_with_config(config, diags, config_failed=config_failed)
    if config_failed:
        return None, None
    return config, spec


def emit_json(data: object) -> None:
    output.result(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n")


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

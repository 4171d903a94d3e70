"""`ramstack check-policy [--kind permission|trust] FILE...`: each document's kind is read from it
(a `Principal` element means a trust policy) unless `--kind` says otherwise."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

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
from ramstack.ui import output
from ramstack.ui.summary import diagnostic_counts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help="policy files, or folders of them"
    )
    parser.add_argument(
        "--kind",
        choices=["permission", "trust"],
        default=None,
        help="check every file as a permission (identity/session) or trust policy (default: per"
        " document, trust when it has a Principal element)",
    )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="value for a ${NAME} variable (repeatable)",
    )
    add_stack_arguments(
        parser,
        stack_help="take ${accountId}, ${region} and ramstack:vars from this stack's Pulumi.NAME.yaml "
        "(default: $PULUMI_STACK or dev, when the project has that stack)",
    )
    parser.add_argument("--format", "-f", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    from ramstack.policy.load import load_policy_file

    diags = Diagnostics()
    variables = stack_policy_variables(optional_stack_config(args, diags))
    variables.update(parse_variables(args.var, diags))
    kinds: Counter[str] = Counter()
    for path in policy_files(args.files):
        doc = load_policy_file(path, args.kind, diags, variables=variables, display=str(path))
        if doc is not None:
            kinds[doc.kind] += 1
    documents = sum(kinds.values())
    if args.format == "json":
        emit_json(
            {
                "valid": not diags.has_errors,
                "documents": documents,
                "kinds": {kind: kinds[kind] for kind in ("permission", "trust")},
                "diagnostics": diagnostics_json(diags),
            }
        )
    else:
        print_diagnostics(diags)
    if not diags.has_errors:
        shown = [kind for kind in ("permission", "trust") if kinds[kind] or kind == args.kind]
        counts = ", ".join(f"{kinds[kind]} {kind}" for kind in shown)
        output.summary(f"{documents} polic{'y' if documents == 1 else 'ies'} valid ({counts or 'none'})")
    else:
        output.summary(f"invalid: {diagnostic_counts(diags)}")
    return 2 if diags.has_errors else 0


def policy_files(paths: list[Path]) -> list[Path]:
    """Files as given; a folder stands for its .json/.yaml/.yml files (lint.yaml excepted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(
                p
                for p in path.iterdir()
                # a dangling or looping link is kept, so that reading it reports it (never skipped)
                if (p.is_file() or (p.is_symlink() and not p.exists()))
                and p.suffix in (".json", ".yaml", ".yml")
                and p.stem != "lint"
            )
        else:
            out.append(path)
    return out

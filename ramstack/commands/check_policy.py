"""`ramstack check-policy [--kind permission|trust] FILE...`"""

from __future__ import annotations

import argparse
from pathlib import Path

from ramstack.commands.common import diagnostics_json, emit_json, parse_variables, print_diagnostics
from ramstack.diagnostics import Diagnostics


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument(
        "--kind",
        choices=["permission", "trust"],
        default="permission",
        help="permission (identity/session) policy or trust policy (default: permission)",
    )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="value for a ${NAME} variable (repeatable)",
    )
    parser.add_argument("--format", "-f", choices=["text", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    from ramstack.policy.load import load_policy_file

    diags = Diagnostics()
    variables = parse_variables(args.var, diags)
    documents = 0
    for path in args.files:
        doc = load_policy_file(
            path, args.kind, diags, variables=variables if variables else None, display=str(path)
        )
        documents += doc is not None
    if args.format == "json":
        emit_json(
            {"valid": not diags.has_errors, "documents": documents, "diagnostics": diagnostics_json(diags)}
        )
    else:
        print_diagnostics(diags)
        if not diags.has_errors:
            print(f"{documents} {args.kind} polic{'y' if documents == 1 else 'ies'} valid")
    return 2 if diags.has_errors else 0

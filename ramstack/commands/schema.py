"""`ramstack schema [--kind spec|policy] [--output DIR]`: JSON Schemas for editors (yaml-language-server)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ramstack.fileio import make_folder, write_text_atomic
from ramstack.schema import policy_schema, schema_texts, spec_schema
from ramstack.ui import output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--kind",
        choices=["spec", "policy", "all"],
        default="all",
        help="which schema to print (default: all, as {spec, policy})",
    )
    parser.add_argument(
        "--format",
        "-f",
        choices=["json", "markdown"],
        default="json",
        help="markdown: the spec reference (docs/spec-reference.md) instead of the JSON Schema",
    )
    parser.add_argument(
        "--output",
        "-o",
        type=Path,
        metavar="DIR",
        help="write access.schema.json and policy.schema.json into DIR instead of printing",
    )


def run(args: argparse.Namespace) -> int:
    schemas = {"spec": spec_schema(), "policy": policy_schema()}
    if args.format == "markdown":
        if args.kind != "spec" or args.output:
            sys.stderr.write("ramstack schema: --format markdown needs --kind spec and prints to stdout\n")
            return 2
        from ramstack.schema_markdown import render

        output.result(render(schemas["spec"]))
        return 0
    if args.output:
        make_folder(args.output)
        for filename, text in schema_texts(args.kind).items():
            write_text_atomic(args.output / filename, text)
            output.note(str(args.output / filename))  # what was written: about the run, on stderr
        from ramstack.ui.summary import files_line

        output.summary(files_line("Schema", len(schema_texts(args.kind)), str(args.output)))
        return 0
    data = schemas if args.kind == "all" else schemas[args.kind]
    output.result(json.dumps(data, indent=2, sort_keys=True) + "\n")
    return 0

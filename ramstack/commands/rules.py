"""`ramstack rules [--format text|markdown|json]`: every lint rule, one per line starting with its id.

`--format markdown` prints the README rule table (kept current by a test).
"""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", "-f", choices=["text", "markdown", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    from ramstack.lint.registry import ALL_RULES

    rules = sorted(ALL_RULES, key=lambda r: r.id)
    if args.format == "markdown":
        from ramstack.report.markdown import rules_table

        sys.stdout.write(rules_table(rules))
    elif args.format == "json":
        from ramstack.commands.common import emit_json

        emit_json(
            [
                {
                    "id": r.id,
                    "severity": r.default_severity.label,
                    "title": r.title,
                    "scope": r.scope,
                    "rationale": r.rationale,
                    "fix": r.fix,
                }
                for r in rules
            ]
        )
    else:
        for r in rules:
            sys.stdout.write(f"{r.id}  {r.default_severity.label:<8}  {r.title}\n")
    return 0

"""`ramstack rules [--format text|markdown|json]`: every lint rule, one per line starting with its id.
`ramstack rules LP204`: one rule's explanation: rationale, fix, a failing and a passing example
(the rule's own packaged fixtures, ramstack/lint/examples/LP204/, which the test suite runs).

`--format markdown` prints the README rule table (kept current by a test).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ramstack.lint.rule import Rule

EXAMPLES = Path(__file__).resolve().parent.parent / "lint" / "examples"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("rule", nargs="?", metavar="RULE", help="explain one rule (e.g. LP204)")
    parser.add_argument("--format", "-f", choices=["text", "markdown", "json"], default="text")


def run(args: argparse.Namespace) -> int:
    from ramstack.lint.registry import ALL_RULES

    rules = sorted(ALL_RULES, key=lambda r: r.id)
    if args.rule is not None:
        return _explain(args.rule.upper(), {r.id: r for r in rules})
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
        from ramstack.ui import output
        from ramstack.ui.summary import rules_line

        listing = "".join(f"{r.id}  {r.default_severity.label:<8}  {r.title}\n" for r in rules)
        output.result(listing, "rules")
        output.summary(
            rules_line(r.default_severity.label for r in rules) + " Explain one: ramstack rules ID"
        )
    return 0


# fixture header lines that only drive the test harness (see tests/lint/_fixtures.py)
_HARNESS = ("# expect:", "# kind:", "# today:", "# baseline:")


def example(rule_id: str, outcome: str) -> tuple[str, str] | None:
    """The shortest `{outcome}_*.yaml|json` fixture of the rule: (file name, text without harness lines)."""
    folder = EXAMPLES / rule_id
    files = sorted(
        (p for p in folder.glob(f"{outcome}_*") if p.is_file() and p.suffix in (".yaml", ".json")),
        key=lambda p: (p.stat().st_size, p.name),
    )
    if not files:
        return None
    lines = files[0].read_text(encoding="utf-8").splitlines()
    return files[0].name, "\n".join(line for line in lines if not line.startswith(_HARNESS))


def _explain(rule_id: str, rules: dict[str, Rule]) -> int:
    from ramstack.commands.common import COMMAND_LINE
    from ramstack.diagnostics import InvalidInput, Level
    from ramstack.ui import output
    from ramstack.ui.suggest import did_you_mean

    rule = rules.get(rule_id)
    if rule is None:
        from ramstack.diagnostics import Diagnostic

        message = f"no lint rule {rule_id!r}{did_you_mean(rule_id, rules)}"
        raise InvalidInput(
            [Diagnostic(COMMAND_LINE, Level.ERROR, "CLI002", message, "ramstack rules lists them")]
        )
    from ramstack.ui.layout import wrap

    out = [
        f"{rule.id}  {rule.default_severity.label}  {rule.title}",
        f"scope: {rule.scope}",
        "",
        *wrap(f"Why: {rule.rationale}", hanging="     "),
        *wrap(f"Fix: {rule.fix}", hanging="     "),
    ]
    for outcome, heading in (("fail", "Fails"), ("pass", "Passes")):
        found = example(rule.id, outcome)
        if found is not None:
            out += [
                "",
                f"{heading} ({found[0]}):",
                *("  " + line if line else "" for line in found[1].splitlines()),
            ]
    output.result("\n".join(out) + "\n")
    return 0

"""Markdown: a pull-request comment for lint runs, and the README rule table."""

from __future__ import annotations

from collections.abc import Iterable

from ramstack.lint.finding import Finding
from ramstack.lint.rule import Rule
from ramstack.report.base import Report

ICONS = {"CRITICAL": "🛑", "HIGH": "🔴", "MEDIUM": "🟠", "LOW": "🟡", "INFO": "⚪"}


def cell(text: str) -> str:
    """Table-safe text: pipes escaped, newlines flattened."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def _where(finding: Finding) -> str:
    return f"`{finding.location}`" if finding.location else "—"


def render(report: Report) -> str:
    lines = ["### ramstack lint", ""]
    status = "❌ failing" if report.failing else "✅ passing"
    lines.append(f"**{status}** — {report.summary()}")
    lines.append("")
    if report.findings:
        lines += ["| Severity | Rule | Where | Subject | Finding |", "|---|---|---|---|---|"]
        for f in report.findings:
            rule = report.rules.get(f.rule_id)
            title = f" {cell(rule.title)}" if rule else ""
            lines.append(
                f"| {ICONS[f.severity.name]} {f.severity} | **{f.rule_id}**{title} | {_where(f)} | "
                f"`{cell(f.subject)}` | {cell(f.message)} |"
            )
        lines.append("")
        fixes = {f.rule_id for f in report.findings if f.rule_id in report.rules}
        lines += ["<details><summary>How to fix</summary>", ""]
        lines += [
            f"- **{rid}**: {cell(report.rules[rid].fix)} (explained by `ramstack rules {rid}`)"
            for rid in sorted(fixes)
        ]
        lines += ["", "</details>", ""]
    if report.suppressed:
        lines += [f"<details><summary>{len(report.suppressed)} suppressed</summary>", ""]
        lines += [
            f"- **{f.rule_id}** `{cell(f.subject)}`: {cell(s.reason)}"
            + (f" (until {s.expires})" if s.expires else "")
            for f, s in report.suppressed
        ]
        lines += ["", "</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def rules_table(rules: Iterable[Rule]) -> str:
    """The README rule table (between <!-- BEGIN RULES --> and <!-- END RULES -->)."""
    lines = ["| Rule | Severity | Title | Why | Fix |", "|---|---|---|---|---|"]
    for rule in sorted(rules, key=lambda r: r.id):
        lines.append(
            f"| {rule.id} | {rule.default_severity.label} | {cell(rule.title)} | {cell(rule.rationale)} | "
            f"{cell(rule.fix)} |"
        )
    return "\n".join(lines) + "\n"

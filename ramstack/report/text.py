"""Plain text, one finding per line: `FILE:LINE:COL: SEVERITY RULE: message (see: ramstack rules RULE)`
(editor-clickable; the tail names the command that explains the rule, with examples)."""

from __future__ import annotations

from ramstack.lint.finding import Finding
from ramstack.report.base import Report


def format_finding(finding: Finding) -> str:
    where = str(finding.location) if finding.location else f"{finding.subject}:1:1"
    see = f"(see: ramstack rules {finding.rule_id})"
    return f"{where}: {finding.severity} {finding.rule_id}: {finding.message} {see}"


def render(report: Report) -> str:
    return "".join(format_finding(f) + "\n" for f in report.findings)

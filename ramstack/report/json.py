"""JSON: findings with their rule metadata, suppressed findings with their reasons, a summary."""

from __future__ import annotations

import json
from typing import Any

from ramstack.lint.finding import Finding
from ramstack.report.base import Report


def finding_json(report: Report, finding: Finding) -> dict[str, Any]:
    rule = report.rules.get(finding.rule_id)
    loc = finding.location
    return {
        "rule_id": finding.rule_id,
        "severity": finding.severity.label,
        "title": rule.title if rule else None,
        "subject": finding.subject,
        "message": finding.message,
        "fix": rule.fix if rule else None,
        "path": list(finding.path),
        "location": {"file": loc.file, "line": loc.line, "column": loc.column} if loc else None,
    }


def render(report: Report) -> str:
    data = {
        "tool": {"name": "ramstack", "version": report.tool_version()},
        "fail_on": report.threshold.label if report.threshold is not None else "none",
        "failed": bool(report.failing),
        "summary": {s.label: n for s, n in report.counts().items()},
        "findings": [finding_json(report, f) for f in report.findings],
        "suppressed": [
            {
                **finding_json(report, f),
                "reason": s.reason,
                "expires": s.expires.isoformat() if s.expires else None,
            }
            for f, s in report.suppressed
        ],
    }
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

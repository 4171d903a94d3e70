"""SARIF 2.1.0 for code-scanning upload (GitHub, GitLab, Azure DevOps).

Levels: CRITICAL/HIGH -> error, MEDIUM -> warning, LOW/INFO -> note; the exact severity is kept in
`properties.severity` and as GitHub's numeric `security-severity`. Suppressed findings are included
with an external suppression carrying the lint.yaml reason.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.report.base import TOOL_NAME, Report

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
    Severity.INFO: "note",
}
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
    Severity.INFO: "1.0",
}


def _rule(rule: Rule) -> dict[str, Any]:
    severity = rule.default_severity
    return {
        "id": rule.id,
        "name": type(rule).__name__,
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {
            "text": f"{rule.fix} (explained by `ramstack rules {rule.id}`)",
            "markdown": f"**Fix:** {rule.fix}\n\nExplained by `ramstack rules {rule.id}`.",
        },
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "severity": severity.label,
            "security-severity": SECURITY_SEVERITY[severity],
            "tags": ["security", "least-privilege"],
        },
    }


def _result(finding: Finding, index: dict[str, int], reason: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "properties": {
            "severity": finding.severity.label,
            "security-severity": SECURITY_SEVERITY[finding.severity],
            "subject": finding.subject,
        },
        # The finding's path inside its subject (statement, element, value) keeps distinct findings apart
        # and survives edits that only move lines, which is what code scanning matches alerts on.
        "partialFingerprints": {
            "ramstackFinding/v1": "/".join([finding.rule_id, finding.subject, *map(str, finding.path)])
        },
    }
    if finding.rule_id in index:
        out["ruleIndex"] = index[finding.rule_id]
    if finding.location is not None:
        loc = finding.location
        out["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": quote(loc.file.replace("\\", "/"))},
                    "region": {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)},
                },
                "logicalLocations": [{"name": finding.subject, "kind": "resource"}],
            }
        ]
    if reason is not None:
        out["suppressions"] = [{"kind": "external", "justification": reason}]
    return out


def render(report: Report) -> str:
    rules = sorted(report.rules.values(), key=lambda r: r.id)
    index = {rule.id: i for i, rule in enumerate(rules)}
    results = [_result(f, index) for f in report.findings]
    results += [_result(f, index, s.reason) for f, s in report.suppressed]
    log = {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": TOOL_NAME,
                        "version": report.tool_version(),
                        "rules": [_rule(r) for r in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

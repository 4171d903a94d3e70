"""policies/lint.yaml: every mistake is a located LINT diagnostic; valid files load fully."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ramstack.diagnostics import Diagnostics
from ramstack.lint.config import LintConfig, load_lint_config
from ramstack.lint.context import LintOptions
from ramstack.lint.finding import Severity
from ramstack.lint.registry import RULES

BAD = {
    "not_a_mapping": ("- rule: LP507\n", [("LINT001", 1)]),
    "unknown_top_key": ("suppress: []\n", [("LINT002", 1)]),
    "unknown_rule": ("severity:\n  LP999: low\n", [("LINT003", 2)]),
    "bad_severity": ("severity:\n  LP301: severe\n", [("LINT004", 2)]),
    "no_reason": ("suppressions:\n  - rule: LP507\n    subject: role/x\n", [("LINT005", 2)]),
    "empty_reason": (
        "suppressions:\n  - rule: LP507\n    subject: role/x\n    reason: '  '\n",
        [("LINT005", 4)],
    ),
    "bad_subject": (
        "suppressions:\n  - rule: LP507\n    subject: x\n    reason: because\n",
        [("LINT005", 3)],
    ),
    "bad_date": (
        "suppressions:\n  - rule: LP507\n    subject: role/x\n    reason: r\n    expires: 31.12.2026\n",
        [("LINT006", 5)],
    ),
    "impossible_date": (
        "suppressions:\n  - rule: LP507\n    subject: role/x\n    reason: r\n    expires: 2026-02-30\n",
        [("LINT006", 5)],
    ),
    "bad_option": (
        "options:\n  max_access_keys_per_user: 5\n  require_mfa: yes\n",
        [("LINT007", 2), ("LINT007", 3)],
    ),
    "unknown_option": ("options:\n  require_mfa_for_all: true\n", [("LINT002", 2)]),
    "twice": (
        "suppressions:\n"
        "  - {rule: LP507, subject: role/x, reason: a}\n"
        "  - {rule: LP507, subject: role/x, reason: b}\n",
        [("LINT008", 3)],
    ),
    "meta_rule": ("suppressions:\n  - {rule: LP002, subject: role/x, reason: a}\n", [("LINT009", 2)]),
    "unknown_suppression_key": (
        "suppressions:\n  - {rule: LP507, subject: role/x, reason: a, until: 2026-01-01}\n",
        [("LINT002", 2)],
    ),
}


def _load(tmp_path: Path, text: str) -> tuple[LintConfig, Diagnostics]:
    path = tmp_path / "lint.yaml"
    path.write_text(text)
    diags = Diagnostics()
    return load_lint_config(path, diags, RULES, display="policies/lint.yaml"), diags


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_lint_yaml_is_located(name: str, tmp_path: Path) -> None:
    text, expected = BAD[name]
    _config, diags = _load(tmp_path, text)
    found = sorted((d.code, d.location.line) for d in diags.errors)
    assert found == sorted(expected), [d.format() for d in diags]
    assert all(d.location.file == "policies/lint.yaml" for d in diags)


def test_valid_lint_yaml(tmp_path: Path) -> None:
    config, diags = _load(
        tmp_path,
        "severity:\n  LP301: low\n  LP504: HIGH\n"
        "suppressions:\n"
        "  - rule: LP507\n    subject: role/export\n    reason: nightly export\n    expires: 2026-12-31\n"
        "options:\n  require_mfa: true\n  max_access_keys_per_user: 0\n  size_warning_percent: 90\n"
        "  condition_keys: ['acs:SourceVpcId']\n  condition_key_prefixes: ['cms:']\n",
    )
    assert not diags.items
    assert config.severities == {"LP301": Severity.LOW, "LP504": Severity.HIGH}
    (entry,) = config.suppressions
    assert (entry.rule, entry.subject, entry.reason, entry.expires) == (
        "LP507",
        "role/export",
        "nightly export",
        date(2026, 12, 31),
    )
    assert entry.expired(date(2027, 1, 1)) and not entry.expired(date(2026, 12, 31))
    assert config.options == LintOptions(True, 0, 90, ("acs:SourceVpcId",), ("cms:",))


def test_missing_file_is_the_empty_config(tmp_path: Path) -> None:
    assert load_lint_config(tmp_path / "lint.yaml", Diagnostics(), RULES) == LintConfig()

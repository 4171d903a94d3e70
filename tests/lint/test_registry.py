"""The registry: explicit, ordered, duplicate-proof; one rule per module; complete metadata."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from ramstack.lint.finding import Severity
from ramstack.lint.registry import ALL_RULES, RULE_ID, DuplicateRuleError, index_rules
from ramstack.lint.rule import Rule
from tests.conftest import ROOT

RULES_DIR = ROOT / "ramstack" / "lint" / "rules"


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(DuplicateRuleError, match="LP101"):
        index_rules([*ALL_RULES, next(r for r in ALL_RULES if r.id == "LP101")])


def test_malformed_ids_are_refused() -> None:
    class Bad(Rule):
        id = "LP9"
        title = rationale = fix = "x"
        default_severity = Severity.LOW

    with pytest.raises(ValueError, match="LP9"):
        index_rules([Bad()])


def test_registry_is_in_id_order_with_complete_metadata() -> None:
    ids = [r.id for r in ALL_RULES]
    assert ids == sorted(ids)
    for rule in ALL_RULES:
        assert RULE_ID.fullmatch(rule.id)
        assert rule.title and rule.rationale.endswith(".") and rule.fix.endswith(".")
        assert isinstance(rule.default_severity, Severity)


def test_one_rule_per_module_named_by_its_id() -> None:
    modules = sorted([*RULES_DIR.glob("lp*.py"), *RULES_DIR.glob("act*.py")])
    assert len(modules) == len(ALL_RULES)
    registered = {type(r).__module__.rsplit(".", 1)[1]: r.id for r in ALL_RULES}
    for path in modules:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        classes = [n for n in tree.body if isinstance(n, ast.ClassDef)]
        rule_classes = [c for c in classes if any(getattr(b, "id", "") == "Rule" for b in c.bases)]
        assert len(rule_classes) == 1, f"{path.name} must define exactly one Rule"
        held = registered[path.stem]
        assert held == path.stem.partition("_")[0].upper(), f"{path.name} holds rule {held}"


def test_lint_and_report_never_import_pulumi() -> None:
    code = (
        "import sys, ramstack.lint, ramstack.report.registry\n"
        "import ramstack.commands.lint, ramstack.commands.rules\n"
        "roots = ('pulumi', 'pulumi_policy', 'pulumi_alicloud')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in roots)\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(ROOT))

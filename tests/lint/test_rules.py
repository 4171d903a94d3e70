"""Every rule fires on its fail fixtures exactly where expected, and stays quiet on its pass fixtures."""

from __future__ import annotations

import pytest

from ramstack.lint.registry import ALL_RULES, RULES
from tests.lint._fixtures import FIXTURES, Fixture, all_fixtures, run_fixture

CASES = all_fixtures()


@pytest.mark.parametrize("fixture", CASES, ids=[c.id for c in CASES])
def test_fixture(fixture: Fixture, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(fixture.path.parent)
    result = run_fixture(fixture)
    found = sorted((f.subject, str(f.location)) for f in result.findings if f.rule_id == fixture.rule_id)
    if fixture.passing:
        assert not fixture.expect, "pass fixtures expect nothing"
        assert found == []
    else:
        assert fixture.expect, f"{fixture.path.name} has no '# expect:' line"
        assert found == list(fixture.expect)
    for finding in result.findings:
        assert finding.location is not None, finding
        assert finding.severity == RULES[finding.rule_id].default_severity or finding.rule_id in ("LP001",)


@pytest.mark.parametrize("rule", ALL_RULES, ids=[r.id for r in ALL_RULES])
def test_every_rule_has_pass_and_fail_fixtures(rule: object) -> None:
    folder = FIXTURES / rule.id  # type: ignore[attr-defined]
    names = [p.name for p in folder.glob("*.yaml")]
    assert any(n.startswith("fail_") for n in names), f"{folder} needs a fail_*.yaml"
    assert any(n.startswith("pass_") for n in names), f"{folder} needs a pass_*.yaml"


def test_fixture_folders_are_rules() -> None:
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} <= set(RULES)

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


def test_the_any_role_shortcut_for_literal_resources_agrees_with_the_full_check() -> None:
    from ramstack.lint.rules._facts import any_role
    from ramstack.policy.escalation import targets_any_role

    account = "1234567890123456"
    resources = [
        "*",
        f"acs:ram::{account}:role/ci",
        f"acs:ram::{account}:role/*",
        f"acs:ram:*:{account}:role/ci-?",
        f"acs:RAM::{account}:role/ramstack-any-role-probe",
        f"acs:ram::{account}:role/ramstack-any-role-probe",
        f"acs:ram::{account}:user/ramstack-any-role-probe",
        "acs:*::*:role/deploy",
        "acs:oss:*:*:bucket/role/ramstack-any-role-probe",
        "role/ramstack-any-role-probe",
        "not an arn",
    ]
    assert [any_role(r) for r in resources] == [targets_any_role(r) for r in resources]
    assert any_role(f"acs:ram::{account}:role/*") and not any_role(f"acs:ram::{account}:role/ci")

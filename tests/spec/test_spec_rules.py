"""Spec rules that are not plain located errors: warnings, generated names, config restrictions."""

from __future__ import annotations

from pathlib import Path

import pytest

from ramstack.diagnostics import Diagnostics, InvalidInput, Level
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from ramstack.spec.trust import assume_grant_name
from tests.conftest import STACK_FILE


def load(project, spec: str, stack_file: str = STACK_FILE, policies: dict[str, str] | None = None):
    folder = project(spec, policies=policies, stack_file=stack_file)
    diags = Diagnostics()
    config = load_stack_config(folder, "test", diags)
    if config is None:
        raise InvalidInput(diags.items)
    diags.levels.update(config.grammar_levels)
    return load_spec(config, diags), diags


def test_trust_cycles_and_self_trust_are_warned(project) -> None:
    spec, diags = load(
        project,
        "roles:\n  ra:\n    trust: {roles: [rb]}\n  rb:\n    trust: {roles: [ra]}\n"
        "  rc:\n    trust: {roles: [rc]}\n  rd:\n    trust: {roles: [rc]}\n",
    )
    warned = sorted((d.code, d.location.line) for d in diags if d.level is Level.WARNING)
    assert warned == [("SPEC017", 2), ("SPEC017", 4), ("SPEC017", 6)]
    assert len(spec.roles) == 4


def test_generated_grant_names_never_collide() -> None:
    names = {assume_grant_name(s) for s in ("user/a.b", "user/a_b", "user/a-b", "group/a-b")}
    assert len(names) == 4
    assert assume_grant_name("user/ims-app") == "ramstack-assume-user-ims-app"
    long = assume_grant_name("user/" + "x" * 64)
    assert len(long) <= 128


def test_users_whose_names_clean_to_the_same_policy_name(project) -> None:
    spec, _ = load(
        project,
        "users:\n  a.b: {assume_roles: [r1]}\n  a_b: {assume_roles: [r1]}\n"
        "roles:\n  r1:\n    trust: {users: [a.b, a_b]}\n",
    )
    grants = [p.name for p in spec.policies if p.generated_for]
    assert len(grants) == 2 and len(set(grants)) == 2


@pytest.mark.parametrize(
    ("grammar", "ok"),
    [
        ("{POL101: error}", True),
        ("{POL112: ignore}", True),
        ("{POL006: warning}", False),  # an error code: demoting it would let a broken document through
        ("{SPEC009: ignore}", False),
        ("{POL10l: error}", False),
        ("{POL101: loud}", False),
    ],
)
def test_only_grammar_warnings_are_adjustable(project, grammar: str, ok: bool) -> None:
    stack = STACK_FILE + f"  ramstack:grammar: {grammar}\n"
    if ok:
        load(project, "users:\n  u1: {}\n", stack_file=stack)
        return
    with pytest.raises(InvalidInput) as raised:
        load(project, "users:\n  u1: {}\n", stack_file=stack)
    assert raised.value.codes == ["CFG003"]


def test_a_grammar_warning_made_an_error_fails_the_spec(project) -> None:
    stack = STACK_FILE + "  ramstack:grammar: {POL102: error}\n"
    policy = (
        'Version: "1"\nStatement:\n  - Sid: read\n    Effect: Allow\n    Action: oss:GetObject\n'
        '    Resource: "*"\n'
    )
    with pytest.raises(InvalidInput) as raised:
        load(project, "users:\n  u1: {policies: [p1]}\n", stack_file=stack, policies={"p1.yaml": policy})
    assert "POL102" in raised.value.codes


def test_policies_dir_that_is_a_file(project, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as raised:
        load(project, "policies_dir: access.yaml\n")
    assert "is not a folder" in raised.value.render()


def test_console_passwords_must_be_secret_and_present(project) -> None:
    spec_text = "users:\n  alice: {console_login: {}}\n  bob: {console_login: {}}\n"
    plain = STACK_FILE + "  ramstack:passwords:\n    alice: hunter2-plain\n"
    with pytest.raises(InvalidInput) as raised:
        load(project, spec_text, stack_file=plain)
    assert [d.code for d in raised.value.diagnostics if d.level is Level.ERROR] == ["CFG005"]
    assert "hunter2" not in raised.value.render()
    secret = (
        STACK_FILE
        + "  ramstack:passwords:\n    alice:\n"
        + "      secure: AAABAGZha2UtY2lwaGVydGV4dC1mb3ItdGVzdHMtb25seQ==\n"  # base64, as Pulumi writes
    )
    _, diags = load(project, spec_text, stack_file=secret)
    assert [(d.code, d.location.line) for d in diags] == [("SPEC018", 3)]


def test_trust_arn_naming_an_undeclared_principal_of_this_account_is_warned(project) -> None:
    _, diags = load(
        project,
        "roles:\n  r1:\n    trust:\n      arns:\n"
        "        - acs:ram::1234567890123456:user/ghost\n        - acs:ram::9876543210987654:user/other\n",
    )
    assert [(d.code, d.location.line) for d in diags] == [("SPEC020", 5)]

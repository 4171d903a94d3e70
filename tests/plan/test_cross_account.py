"""Seed 003 across two accounts, step by step, on examples/iot-cross-account: the IoT account's stack
(`example`: the role, its access policy, its trust in Alice of the other account) and Alice's
account's stack (`partner`: Alice and her grant on exactly that role's ARN)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ramstack.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "iot-cross-account"
IOT, PARTNER = "1234567890123456", "1000000000000719"
ROLE_ARN = f"acs:ram::{IOT}:role/iotstsrole"
ALICE = f"acs:ram::{PARTNER}:user/Alice"


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "iot-cross-account"
    shutil.copytree(EXAMPLE, folder)
    monkeypatch.chdir(folder)
    return folder


def plan_json(stack: str, capsys: pytest.CaptureFixture[str]) -> dict:
    capsys.readouterr()
    assert main(["plan", "--stack", stack, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def documents(plan: dict) -> dict[str, dict]:
    return {d["resource"].rpartition("::")[2]: json.loads(d["document"]) for d in plan["documents"]}


def simulate(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    capsys.readouterr()
    assert main(["simulate", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_step_1_the_role_trusts_only_alice_of_the_other_account(example: Path, capsys) -> None:
    plan = plan_json("example", capsys)
    assert plan["account_id"] == IOT
    trust = documents(plan)["iotstsrole"]
    # the seed's JSON editor example, as the cloud receives it
    assert trust == {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Principal": {"RAM": [ALICE]}}],
    }
    role = plan["principals"]["role/iotstsrole"]
    assert role["trusted_by"] == [{"type": "RAM", "principal": ALICE}]
    assert role["assumed_by"] == []  # nobody in this account: Alice's side is the other stack's
    [note] = role["cross_account"]
    assert f"account {PARTNER}'s stack" in note and f"users.Alice.assume_roles: [{ROLE_ARN}]" in note


def test_steps_2_and_3_the_read_only_iot_policy_is_attached_to_the_role(example: Path, capsys) -> None:
    plan = plan_json("example", capsys)
    grants = {(g["action"], g["resource"]) for g in plan["principals"]["role/iotstsrole"]["grants"]}
    assert {("iot:Query*", "*"), ("iot:List*", "*"), ("ram:ListRoles", "*")} <= grants
    assert not any(action == "iot:*" for action, _ in grants)  # the read-write policy is not used
    kinds = {r["type"].rpartition(":")[2] for r in plan["resources"]}
    assert kinds == {"Policy", "Role", "RolePolicyAttachment"}  # no user in the IoT account


def test_step_4_alice_may_assume_exactly_that_role(example: Path, capsys) -> None:
    plan = plan_json("partner", capsys)
    assert plan["account_id"] == PARTNER
    grant = documents(plan)["ramstack-assume-user-Alice"]
    assert grant == {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": ["sts:AssumeRole"], "Resource": [ROLE_ARN]}],
    }
    alice = plan["principals"]["user/Alice"]
    assert alice["assumable_roles"] == [{"role": ROLE_ARN}]
    [note] = alice["cross_account"]
    assert f"roles.iotstsrole.trust.arns: [{ALICE}]" in note and f"account {IOT}'s stack" in note
    capsys.readouterr()
    assert main(["plan", "--stack", "partner"]) == 0
    assert f"cross-account: {ROLE_ARN} is a role of account {IOT}" in capsys.readouterr().out
    # the identity side, in Alice's account: that role ARN and no other
    ask = ["--stack", "partner", "--principal", "user/Alice", "--action", "sts:AssumeRole", "--resource"]
    assert simulate(capsys, *ask, ROLE_ARN)["decision"] == "Allow"
    assert simulate(capsys, *ask, f"acs:ram::{IOT}:role/iot-admin")["decision"] == "ImplicitDeny"


def test_step_5_and_6_alice_assumes_the_role_with_a_session_policy(example: Path, capsys) -> None:
    outside = ["--stack", "example", "--principal", ALICE, "--assume", "role/iotstsrole"]
    result = simulate(capsys, *outside, "--action", "iot:QueryProduct", "--resource", "*")
    assert result["decision"] == "Allow"
    assert result["assume"]["decision"] == "Allow" and result["assume"]["identity"] is None
    assert (
        f"account {PARTNER} must grant sts:AssumeRole on {ROLE_ARN}" in result["assume"]["identity_elsewhere"]
    )
    # the seed's session policy (iot:*) narrows the session to IoT: the role's RDS rights are gone
    session = [*outside, "--session-policy", "session/iot-session.json"]
    assert (
        simulate(capsys, *session, "--action", "iot:QueryProduct", "--resource", "*")["decision"] == "Allow"
    )
    rds = simulate(capsys, *session, "--action", "rds:DescribeDBInstances", "--resource", "*")
    assert rds["decision"] == "ImplicitDeny"
    # ...and never widens it beyond the role's read-only policy
    write = simulate(capsys, *session, "--action", "iot:UpdateProduct", "--resource", "*")
    assert write["decision"] == "ImplicitDeny"


def test_only_the_trusted_principal_of_the_other_account_gets_in(example: Path, capsys) -> None:
    ask = ["--assume", "role/iotstsrole", "--action", "iot:QueryProduct", "--resource", "*"]
    others = (
        f"acs:ram::{PARTNER}:user/Bob",
        f"acs:ram::{PARTNER}:role/Alice",
        f"acs:ram::9{PARTNER[1:]}:user/Alice",
    )
    for who in others:
        result = simulate(capsys, "-s", "example", "--principal", who, *ask)
        assert result["decision"] == "ImplicitDeny" and result["assume"]["failed"] == ["trust"], who
    # an outside principal has no permissions of its own here
    assert main(["simulate", "-s", "example", "--principal", ALICE, *ask[2:]]) == 2
    assert "SIM002" in capsys.readouterr().err
    assert main(["simulate", "-s", "example", "--principal", f"acs:ram::{PARTNER}:group/x", *ask]) == 2
    assert "SIM005" in capsys.readouterr().err


def test_both_accounts_lock_diff_and_lint_clean(example: Path, capsys) -> None:
    assert main(["lock", "--stack", "example"]) == 0
    assert main(["lock", "--stack", "partner"]) == 0
    iot = json.loads((example / "permissions.example.lock.json").read_text())
    partner = json.loads((example / "partner" / "permissions.partner.lock.json").read_text())
    assert iot["principals"]["role/iotstsrole"]["trusted_by"] == [{"type": "RAM", "principal": ALICE}]
    assert partner["principals"]["user/Alice"]["assumable_roles"] == [{"role": ROLE_ARN}]
    for stack in ("example", "partner"):
        assert main(["diff", "--stack", stack, "--exit-code"]) == 0, stack
        assert main(["lint", "--stack", stack, "--fail-on", "info"]) == 0, stack
    capsys.readouterr()
    # pointing Alice at another role shows up as a changed grant and a changed assumable role
    spec = example / "partner" / "access.yaml"
    spec.write_text(spec.read_text().replace("role/iotstsrole", "role/iot-admin"))
    assert main(["diff", "--stack", "partner", "--exit-code"]) == 1
    out = capsys.readouterr().out
    assert f"can now assume acs:ram::{IOT}:role/iot-admin" in out
    assert f"can no longer assume {ROLE_ARN}" in out


SPEC = """\
users:
  app:
    access_key: true
    assume_roles: [{item}]
roles:
  local:
    trust:
      users: [app]
"""


def write_project(folder: Path, spec: str) -> None:
    (folder / "Pulumi.test.yaml").write_text(
        f'config:\n  alicloud:region: cn-hangzhou\n  ramstack:accountId: "{IOT}"\n'
    )
    (folder / "access.yaml").write_text(spec)


@pytest.mark.parametrize(
    ("item", "code", "text"),
    [
        (
            "missing",
            "SPEC005",
            "name a role of another account by its ARN, acs:ram::<account-id>:role/<name>",
        ),
        ('"acs:ram::1000000000000719:role/*"', "SPEC005", "must name one role of one account"),
        ('"acs:ram::*:role/x"', "SPEC005", "must name one role of one account"),
        ('"acs:ram::1000000000000719:user/bob"', "SPEC005", "is not a RAM role ARN"),
        ('"acs:ram:cn-hangzhou:1000000000000719:role/x"', "SPEC005", "is not a RAM role ARN"),
        (f'"acs:ram::{IOT}:role/local"', "SPEC005", "write its name, local"),
    ],
)
def test_assume_roles_items_are_a_name_or_one_role_arn(
    item, code, text, tmp_path, monkeypatch, capsys
) -> None:
    write_project(tmp_path, SPEC.format(item=item))
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "-s", "test"]) == 2
    out = capsys.readouterr().err
    assert f"access.yaml:4:20: error {code}" in out and text in out


def test_an_undeclared_role_of_this_account_by_arn_is_a_warning(tmp_path, monkeypatch, capsys) -> None:
    write_project(tmp_path, SPEC.format(item=f'"acs:ram::{IOT}:role/made-elsewhere"'))
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "-s", "test"]) == 0
    assert "warning SPEC020" in capsys.readouterr().err


def test_an_unscoped_cross_account_grant_is_a_lint_finding(tmp_path, monkeypatch, capsys) -> None:
    # written by hand in a custom policy (assume_roles refuses it): every role of the other account
    write_project(tmp_path, "users:\n  app:\n    access_key: true\n    policies: [any-partner-role]\n")
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "any-partner-role.yaml").write_text(
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: sts:AssumeRole\n'
        f"    Resource: acs:ram::{PARTNER}:role/*\n"
    )
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "-s", "test"]) == 1
    assert "LP204" in capsys.readouterr().out
    # the effective permissions cannot name the roles of a wildcard: none is listed as assumable
    assert main(["lock", "-s", "test"]) == 0
    lock = json.loads((tmp_path / "permissions.test.lock.json").read_text())
    assert lock["principals"]["user/app"]["assumable_roles"] == []


def test_a_new_cross_account_grant_is_located_at_its_arn(example: Path, capsys) -> None:
    empty = example / "empty.lock.json"
    empty.write_text(json.dumps({"format": 1, "stack": "partner", "account_id": PARTNER, "principals": {}}))
    assert main(["lint", "-s", "partner", "--baseline", str(empty)]) == 1
    out = capsys.readouterr().out
    assert (
        f"partner/access.yaml:11:20: HIGH LP003: user/Alice gains Allow sts:AssumeRole on {ROLE_ARN}" in out
    )

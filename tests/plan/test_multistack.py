"""Several stacks of one project: one lock file per stack, --stack honoured everywhere, the project
found from a subfolder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ramstack.cli import main
from tests.conftest import copy_root_project

ROOT = Path(__file__).resolve().parents[2]
DEV_ACCOUNT, PROD_ACCOUNT = "1234567890123456", "2345678901234567"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of this repository's stack project (dev and prod), without lock files."""
    monkeypatch.chdir(copy_root_project(tmp_path, stacks=("dev", "prod"), lock=False))
    return tmp_path


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_repositorys_own_stacks_are_locked(stack: str, monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["lock", "--check", "--stack", stack]) == 0
    assert f"permissions.{stack}.lock.json: up to date" in capsys.readouterr().err


def test_two_stacks_with_different_accounts_keep_separate_lock_files(project: Path, capsys) -> None:
    assert main(["lock", "--stack", "dev"]) == 0
    assert main(["lock", "--stack", "prod"]) == 0
    dev = json.loads((project / "permissions.dev.lock.json").read_text())
    prod = json.loads((project / "permissions.prod.lock.json").read_text())
    assert (dev["stack"], dev["account_id"]) == ("dev", DEV_ACCOUNT)
    assert (prod["stack"], prod["account_id"]) == ("prod", PROD_ACCOUNT)
    trust = prod["principals"]["role/ims-sts-role"]["trusted_by"]
    assert trust == [{"principal": f"acs:ram::{PROD_ACCOUNT}:user/ims-app", "type": "RAM"}]
    capsys.readouterr()
    # locking prod did not make dev stale, and each stack diffs cleanly against its own file
    for stack in ("dev", "prod"):
        assert main(["lock", "--check", "--stack", stack]) == 0
        assert main(["diff", "--stack", stack, "--exit-code"]) == 0
        assert f"stack {stack} against permissions.{stack}.lock.json: no permission changes" in (
            capsys.readouterr().out
        )
    # a change shows in the stack it changes only
    (project / "Pulumi.prod.yaml").write_text(
        (project / "Pulumi.prod.yaml").read_text().replace("198.51.100.20", "198.51.100.21")
    )
    assert main(["lock", "--check", "--stack", "dev"]) == 0
    assert main(["lock", "--check", "--stack", "prod"]) == 1
    assert main(["diff", "--stack", "prod", "--exit-code"]) == 1
    out = capsys.readouterr().out
    assert "198.51.100.21" in out and "DESTROYED" not in out


def test_old_shared_lock_file_is_read_for_its_own_stack_only(project: Path, capsys) -> None:
    assert main(["lock", "--stack", "dev", "--output", "permissions.lock.json"]) == 0
    capsys.readouterr()
    assert main(["diff", "--stack", "dev", "--exit-code"]) == 0
    captured = capsys.readouterr()
    assert "against permissions.lock.json: no permission changes" in captured.out
    assert "warning LOCK004" in captured.err and "ramstack lock --stack dev" in captured.err
    assert main(["lock", "--check", "--stack", "dev"]) == 0
    assert "LOCK004" in capsys.readouterr().err
    # prod never reads dev's file (which would show every ARN of the other account as changed)
    assert main(["diff", "--stack", "prod"]) == 2
    out = capsys.readouterr().err
    assert "permissions.prod.lock.json:1:1: error LOCK003: lock file not found" in out
    assert main(["lock", "--check", "--stack", "prod"]) == 1
    capsys.readouterr()
    # locking migrates: the new name is written, and the old file named for deletion
    assert main(["lock", "--stack", "dev"]) == 0
    out = capsys.readouterr().err
    assert "wrote permissions.dev.lock.json" in out and "delete it (git rm permissions.lock.json)" in out
    (project / "permissions.lock.json").unlink()
    assert main(["diff", "--stack", "dev", "--exit-code"]) == 0
    assert "LOCK004" not in capsys.readouterr().err


def test_every_stack_verb_finds_the_project_from_a_subfolder(project: Path, capsys, monkeypatch) -> None:
    assert main(["lock", "--stack", "prod"]) == 0
    sub = project / "policies" / "deeper"
    sub.mkdir()
    monkeypatch.chdir(sub)
    capsys.readouterr()
    assert main(["validate", "--stack", "prod"]) == 0
    out = capsys.readouterr().err
    assert "stack prod: ../../access.yaml valid" in out
    assert "../../access.yaml:17:3: warning SPEC018" in out  # diagnostics stay clickable from here
    assert main(["lock", "--check", "--stack", "prod"]) == 0
    assert main(["diff", "--stack", "prod", "--exit-code"]) == 0
    assert main(["lint", "--stack", "prod"]) == 0
    assert main(["plan", "--stack", "prod"]) == 0
    assert f"account {PROD_ACCOUNT}" in capsys.readouterr().out
    assert main(["check-policy", "..", "--stack", "prod"]) == 0
    assert "2 policies valid (2 permission)" in capsys.readouterr().err
    args = ["--principal", "user/ims-app", "--action", "sts:AssumeRole"]
    resource = f"acs:ram::{PROD_ACCOUNT}:role/ims-sts-role"
    assert main(["simulate", "--stack", "prod", *args, "--resource", resource]) == 0
    assert capsys.readouterr().out.startswith("Allow")
    # -C names a starting folder, as git -C does
    monkeypatch.chdir(project.parent)
    assert main(["validate", "-C", str(sub), "--stack", "prod"]) == 0


def test_lock_in_a_subfolder_is_written_next_to_the_spec(project: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(project / "policies")
    assert main(["lock", "--stack", "prod"]) == 0
    assert (project / "permissions.prod.lock.json").is_file()
    assert not (project / "policies" / "permissions.prod.lock.json").exists()


ACCOUNT_POLICY = """\
Version: "1"
Statement:
  - Effect: Allow
    Action: oss:GetObject
    Resource: acs:oss:*:${accountId}:media/*
"""


def test_policy_file_verbs_take_variables_from_the_stack(project: Path, capsys) -> None:
    (project / "account.yaml").write_text(ACCOUNT_POLICY)
    for verb in (["check-policy", "account.yaml"], ["lint", "--policy", "account.yaml"]):
        assert main([*verb, "--stack", "prod"]) == 0, verb
        assert main(verb) == 0, verb  # the default stack (dev) exists, so it supplies ${accountId}
    capsys.readouterr()
    request = ["simulate", "--policy", "account.yaml", "--action", "oss:GetObject"]
    prod_object = ["--resource", f"acs:oss:*:{PROD_ACCOUNT}:media/a.mp4"]
    assert main([*request, *prod_object, "--stack", "prod"]) == 0
    assert capsys.readouterr().out.startswith("Allow")
    assert main([*request, *prod_object, "--stack", "dev"]) == 0
    assert capsys.readouterr().out.startswith("ImplicitDeny")
    # --var still wins over the stack's value
    assert main([*request, *prod_object, "--stack", "dev", "--var", f"accountId={PROD_ACCOUNT}"]) == 0
    assert capsys.readouterr().out.startswith("Allow")
    # a stack named on the command line must exist
    assert main(["lint", "--policy", "account.yaml", "--stack", "staging"]) == 2
    assert "CFG001" in capsys.readouterr().err


def test_policy_file_verbs_outside_a_project_need_var(tmp_path: Path, capsys, monkeypatch) -> None:
    (tmp_path / "account.yaml").write_text(ACCOUNT_POLICY)
    monkeypatch.chdir(tmp_path)
    assert main(["lint", "--policy", "account.yaml"]) == 2
    assert "VAR001" in capsys.readouterr().err
    assert main(["lint", "--policy", "account.yaml", "--var", f"accountId={DEV_ACCOUNT}"]) == 0


def test_lint_policy_gates_at_the_stacks_fail_on(project: Path, capsys) -> None:
    (project / "any-account.yaml").write_text(
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: sts:AssumeRole\n'
        "    Resource: acs:ram:*:*:role/deployer\n"
    )
    assert main(["lint", "--policy", "any-account.yaml", "--stack", "dev"]) == 0  # failOn: high
    assert main(["lint", "--policy", "any-account.yaml", "--stack", "prod"]) == 1  # failOn: medium
    assert "MEDIUM LP302" in capsys.readouterr().out

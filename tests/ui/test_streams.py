"""One stream discipline for every verb: results on stdout; diagnostics, notes and the closing
summary line on stderr; --quiet drops the summary and notes, never results or diagnostics."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ramstack.cli import main
from tests.conftest import ROOT

SPEC018 = "access.yaml:17:3: warning SPEC018"


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_validate_diagnostics_and_summary_on_stderr(capsys) -> None:
    assert main(["validate"]) == 0
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.splitlines()[0].startswith(SPEC018)
    assert out.err.splitlines()[-1].startswith("stack dev: access.yaml valid: 2 users")


def test_quiet_keeps_diagnostics_drops_the_summary(capsys) -> None:
    for argv in (["validate", "--quiet"], ["-q", "validate"], ["validate", "-q"]):
        assert main(argv) == 0
        out = capsys.readouterr()
        assert out.out == "" and out.err.startswith(SPEC018) and "valid:" not in out.err, argv


def test_invalid_stack_summary_counts_levels(tmp_path: Path, capsys) -> None:
    assert main(["validate", "-C", str(tmp_path), "--stack", "nope"]) == 2
    err = capsys.readouterr().err
    assert "error CFG" in err and err.splitlines()[-1] == "stack nope: invalid: 1 error, 0 warnings"


def test_check_policy_summary_on_stderr(capsys) -> None:
    assert main(["check-policy", "policies"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and out.err == "2 policies valid (2 permission)\n"


def test_lint_findings_on_stdout_summary_on_stderr_for_every_format(capsys) -> None:
    for fmt in ("text", "json", "sarif", "markdown"):
        assert main(["lint", "--format", fmt]) == 0
        out = capsys.readouterr()
        assert out.err.endswith("Lint: no findings.\n"), fmt
        assert "SPEC018" not in out.out, fmt
        if fmt in ("json", "sarif"):
            json.loads(out.out)


def test_diff_summary_line(capsys) -> None:
    assert main(["diff"]) == 0
    out = capsys.readouterr()
    assert out.out.endswith("no permission changes\n")
    assert out.err.endswith("Diff: no permission changes.\n")


def test_diff_summary_counts_changes_by_kind(tmp_path: Path, capsys) -> None:
    lock = tmp_path / "old.lock.json"
    data = json.loads((ROOT / "permissions.dev.lock.json").read_text())
    del data["principals"]["user/alice"]
    lock.write_text(json.dumps(data))
    assert main(["diff", "--against", str(lock), "--format", "json"]) == 0
    out = capsys.readouterr()
    added = json.loads(out.out)["summary"]["grants_added"]
    assert added > 0
    assert out.err.splitlines()[-1] == f"Diff: 1 created, 0 destroyed, {added} grants added, 0 escalations."


def test_simulate_requests_summary_counts_decisions(tmp_path: Path, capsys) -> None:
    requests = tmp_path / "r.jsonl"
    requests.write_text(
        '{"principal": "user/ims-app", "action": "ice:GetMediaInfo", "resource": "*"}\n'
        '{"principal": "user/ims-app", "action": "sts:AssumeRole", '
        '"resource": "acs:ram::1234567890123456:role/ims-sts-role"}\n'
    )
    assert main(["simulate", "--requests", str(requests)]) == 0
    out = capsys.readouterr()
    assert [json.loads(line)["decision"] for line in out.out.splitlines()] == ["ImplicitDeny", "Allow"]
    assert out.err.splitlines()[-1] == "Simulate: 2 requests: 1 Allow, 0 ExplicitDeny, 1 ImplicitDeny."


def test_lock_check_status_on_stderr(capsys) -> None:
    assert main(["lock", "--check"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and out.err.endswith("permissions.dev.lock.json: up to date\n")


def test_plan_closes_with_a_terraform_like_line(capsys) -> None:
    assert main(["plan"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("ramstack plan: stack dev") and "SPEC018" not in out.out
    resources = int(out.out.split("Resources to create: ")[1].split("\n")[0])
    assert out.err.splitlines()[-1] == f"Plan: {resources} to add, 0 to change, 0 to destroy."


def test_is_terminal_is_false_for_streams_that_cannot_say() -> None:
    import io

    from ramstack.ui.terminal import is_terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    closed = io.StringIO()
    closed.close()
    assert is_terminal(Tty()) and not is_terminal(io.StringIO())
    assert not is_terminal(closed) and not is_terminal(object())

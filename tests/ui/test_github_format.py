"""`--format github`: GitHub workflow commands for validate, lint and diff, escaped per the runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.diagnostics import Diagnostic, Level, Location
from ramstack.report.github import command, diagnostics, escape_data, escape_property
from tests.conftest import ROOT


def test_escaping_follows_the_runner() -> None:
    assert escape_data("100%\r\nnext, a:b") == "100%25%0D%0Anext, a:b"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"
    line = command("error", "x\ny", title="T:1", file="p,q.yaml", line=3, col=4)
    assert line == "::error file=p%2Cq.yaml,line=3,col=4,title=T%3A1::x%0Ay\n"


def test_unlocated_diagnostics_have_no_file() -> None:
    out = diagnostics([Diagnostic(Location("<command line>"), Level.ERROR, "CLI001", "bad", "fix it")])
    assert out == "::error title=CLI001::bad (fix: fix it)\n"


def test_validate_github(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["validate", "--format", "github"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("::warning file=access.yaml,line=17,col=3,title=SPEC018::user 'alice'")
    assert "SPEC018" not in out.err and "valid:" in out.err


RISKY = "users:\n  bob:\n    console_login: {mfa_required: false}\n"


def test_lint_github(project, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(project(RISKY))
    assert main(["lint", "--stack", "test", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("::error file=access.yaml,line=3,col=35,title=LP501::HIGH user/bob signs in")
        and "(fix: " in line
        for line in lines
    ), lines
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)


def test_diff_github(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    data = json.loads((ROOT / "permissions.dev.lock.json").read_text())
    del data["principals"]["user/alice"]
    lock = tmp_path / "old.lock.json"
    lock.write_text(json.dumps(data))
    assert main(["diff", "--against", str(lock), "--format", "github"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "::notice title=ramstack diff::user/alice: created" in lines
    assert any(line.startswith("::notice title=ramstack diff::user/alice: added: Allow ") for line in lines)


def test_validate_github_escapes_file_and_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    # a spec file whose name holds the property separators, a user name holding the escape character
    (tmp_path / "Pulumi.test.yaml").write_text(
        'config:\n  alicloud:region: cn-hangzhou\n  ramstack:accountId: "1234567890123456"\n'
        '  ramstack:spec: "acc,ess:x.yaml"\n'
    )
    (tmp_path / "acc,ess:x.yaml").write_text('users:\n  "bob%":\n    access_key: true\n')
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--stack", "test", "--format", "github"]) == 2
    out = capsys.readouterr()
    line = out.out.splitlines()[0]
    assert line.startswith("::error file=acc%2Cess%3Ax.yaml,line=2,col=3,title=SPEC004::user name 'bob%25'")
    assert "%0A" not in line and "bob%'" not in line
    assert out.err.strip() == "stack test: invalid: 1 error, 0 warnings"

"""Progress: shown on stderr only on a terminal or with --progress, never with --no-progress or
--quiet, never on stdout; the verb's output is the same with or without it."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.ui import progress
from tests.conftest import ROOT


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _reset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.setattr(progress, "DELAY", 0.0)  # show from the first tick
    progress.configure("auto")


@pytest.mark.parametrize(
    ("mode", "quiet", "tty", "expected"),
    [
        ("auto", False, True, True),
        ("auto", False, False, False),
        ("always", False, False, True),
        ("never", False, True, False),
        ("auto", True, True, False),
        ("always", True, True, False),
    ],
)
def test_when_progress_shows(
    monkeypatch: pytest.MonkeyPatch, mode: str, quiet: bool, tty: bool, expected: bool
) -> None:
    monkeypatch.setattr(sys, "stderr", Tty() if tty else io.StringIO())
    progress.configure(mode, quiet=quiet)
    assert progress.enabled() is expected


def test_a_task_draws_on_stderr_and_ticks_outside_a_task_do_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    err, out = Tty(), Tty()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(sys, "stdout", out)
    progress.tick()  # no task open: nothing happens
    with progress.task("plan: registering resources", unit="resources"):
        for _ in range(3):
            progress.tick()
        with progress.task("inner", unit="files", total=2):  # shares the outer's display
            progress.tick()
    assert "plan: registering resources" in err.getvalue() and "resources" in err.getvalue()
    assert out.getvalue() == ""
    assert progress._ACTIVE == []
    assert sys.stderr is err  # the live display gave stderr back


def test_not_on_a_terminal_nothing_is_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with progress.task("lint", unit="rules"):
        progress.tick(5)
    assert err.getvalue() == ""


def _plan(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_plan_with_progress_keeps_stdout_and_adds_only_progress_to_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = _plan(["plan", "--format", "json"], capsys)
    shown = _plan(["plan", "--format", "json", "--progress"], capsys)
    assert (shown[0], shown[1]) == (code, out)
    assert "plan: registering resources" in shown[2] and "plan: registering" not in err
    assert shown[2].rstrip().endswith(err.rstrip().splitlines()[-1])  # the summary line still closes it
    quiet = _plan(["plan", "--format", "json", "--progress", "--quiet"], capsys)
    assert quiet[1] == out and "registering" not in quiet[2]
    assert "registering" not in _plan(["plan", "--format", "json", "--no-progress"], capsys)[2]


def test_lint_of_many_files_shows_its_progress(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = []
    for i in range(5):
        path = tmp_path / f"p{i}.json"
        path.write_text(
            '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:GetObject", "Resource": "*"}]}'
        )
        files.append(str(path))
    plain = _plan(["lint", "--policy", *files], capsys)
    code, out, err = _plan(["--progress", "lint", "--policy", *files], capsys)
    assert (code, out) == plain[:2]
    assert "lint: reading policy files" in err and "5/5 files" in err


def test_import_and_drift_count_each_api_call(monkeypatch: pytest.MonkeyPatch) -> None:
    from ramstack.commands.live import counted

    class Account:
        def call(self, service: str, action: str, params: object) -> dict[str, object]:
            if action == "Fail":
                raise RuntimeError(action)
            return {"action": f"{service}:{action}"}

    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(progress, "DELAY", 3600.0)  # counted, never drawn
    with progress.task("drift: reading the account", unit="API calls"):
        transport = counted(Account())
        assert transport.call("ram", "GetRole", {}) == {"action": "ram:GetRole"}
        with pytest.raises(RuntimeError):
            transport.call("ram", "Fail", {})  # a failed call was still a call
        assert progress._ACTIVE[-1].done == 2
    assert err.getvalue() == ""

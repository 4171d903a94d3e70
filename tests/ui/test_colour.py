"""Colour: when a stream is coloured (--color, NO_COLOR, FORCE_COLOR, TERM, a terminal), what gets
which style, and that painting never changes a character of the text."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.ui import colour
from tests.conftest import ROOT

ESC = "\x1b["


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def _in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("TERM", raising=False)
    colour.configure("auto")


@pytest.mark.parametrize(
    ("mode", "env", "tty", "expected"),
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),  # empty means unset (no-color.org)
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "0"}, True, False),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, True, False),
        ("auto", {"TERM": "dumb"}, True, False),
        ("always", {"NO_COLOR": "1"}, False, True),  # the flag is the user's explicit choice
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_when_a_stream_is_coloured(mode: str, env: dict[str, str], tty: bool, expected: bool) -> None:
    colour.configure(mode)
    stream = Tty() if tty else io.StringIO()
    assert colour.wanted(stream, env) is expected


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError):
        colour.configure("sometimes")


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def _changed_lock(tmp_path: Path) -> Path:
    """A lock file from which alice is gone and ims-app lost a grant: the diff adds and removes."""
    data = json.loads((ROOT / "permissions.dev.lock.json").read_text())
    del data["principals"]["user/alice"]
    data["principals"]["user/ghost"] = data["principals"]["user/ims-app"]
    lock = tmp_path / "old.lock.json"
    lock.write_text(json.dumps(data))
    return lock


VERBS = [
    ["validate"],
    ["check-policy", "policies"],
    ["check-policy", "--kind", "trust", "policies/ims-read-only.yaml"],
    ["lint"],
    ["lint", "--policy", "policies/ims-read-only.yaml", "--fail-on", "info"],
    ["simulate", "--principal", "user/ims-app", "--action", "ice:GetMediaInfo", "--resource", "*"],
    ["simulate", "--principal", "user/alice", "--action", "ice:GetMediaInfo", "--resource", "*"],
    ["diff"],
    ["rules"],
]


@pytest.mark.parametrize("argv", VERBS, ids=lambda a: " ".join(a))
def test_colour_only_adds_escape_codes(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    plain = run([*argv], capsys)
    assert ESC not in plain[1] + plain[2]  # capture is not a terminal: no colour by default
    assert run(["--color", "never", *argv], capsys) == plain
    code, out, err = run([*argv, "--color", "always"], capsys)
    assert (code, colour.strip(out), colour.strip(err)) == plain


def test_diff_colours_added_removed_and_destroyed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lock = _changed_lock(tmp_path)
    plain = run(["diff", "--against", str(lock)], capsys)
    code, out, err = run(["--color=always", "diff", "--against", str(lock)], capsys)
    assert (code, colour.strip(out), colour.strip(err)) == plain
    assert "!! DESTROYED user/ghost" in plain[1]
    lines = dict(zip(plain[1].splitlines(), out.splitlines(), strict=True))
    destroyed = next(k for k in lines if k.startswith("!! DESTROYED"))
    assert lines[destroyed].startswith(ESC + "1;37;41m")  # bold white on red
    added = next(k for k in lines if k.startswith("  + "))
    assert lines[added].startswith(ESC + "32m")  # green
    removed = next(k for k in lines if k.startswith("  - "))
    assert lines[removed].startswith(ESC + "31m")  # red
    assert ESC in err  # the summary line: destroyed counts in red


def test_markdown_and_json_are_never_coloured(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lock = _changed_lock(tmp_path)
    for fmt in ("markdown", "json"):
        _, out, _ = run(["--color", "always", "diff", "--against", str(lock), "--format", fmt], capsys)
        assert ESC not in out, fmt


def test_errors_red_warnings_yellow(capsys: pytest.CaptureFixture[str]) -> None:
    _, _, err = run(["validate", "--color", "always"], capsys)
    assert f"{ESC}33mwarning SPEC018{ESC}0m" in err
    code, _, err = run(
        ["check-policy", "--kind", "trust", "policies/ims-read-only.yaml", "--color", "always"], capsys
    )
    assert code == 2 and f"{ESC}1;31merror POL012{ESC}0m" in err


def test_force_color_and_no_color_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ESC in run(["validate"], capsys)[2]
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESC not in run(["validate"], capsys)[2]
    assert ESC in run(["validate", "--color", "always"], capsys)[2]


def test_every_kind_keeps_the_text() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for kind in colour.RULES:
        painted = colour.render(text, kind)  # type: ignore[arg-type]
        assert colour.strip(painted) == text, kind


def test_a_pipe_never_imports_rich() -> None:
    probe = (
        "import contextlib, io, sys\nfrom ramstack.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    main(['check-policy', 'policies/ims-read-only.yaml', '--var', 'appSourceIp=1.2.3.4'])\n"
        "    main(['lint'])\n"
        "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_lint_findings_coloured_by_severity(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["lint", "--policy", "examples/iot-readonly/policies/iot-read-write.json", "--fail-on", "info"]
    plain = run(argv, capsys)
    code, out, err = run(["--color", "always", *argv], capsys)
    assert (code, colour.strip(out), colour.strip(err)) == plain
    assert "MEDIUM LP202" in plain[1] and f"{ESC}33mMEDIUM LP202{ESC}0m" in out


def test_plan_colours_the_effect_column_only() -> None:
    text = "user/alice\n  effect  action\n  Allow   ice:Get*  75  *\n  Deny    ram:*     1   *\n"
    painted = colour.render(text, "plan")
    assert f"  {ESC}32mAllow{ESC}0m   ice:Get*" in painted and f"  {ESC}31mDeny{ESC}0m" in painted
    assert painted.startswith(f"{ESC}1muser/alice{ESC}0m\n")


def test_replay_breakage_stands_out() -> None:
    text = (
        "replayed 5 recorded calls (3 distinct) of spec principals: 2 would now be denied\n"
        "  BREAKS role/app: oss:GetObject on * x2, last 2026-11-30T10:00:00Z\n"
        "    no statement allows oss:GetObject on *\n"
    )
    painted = colour.render(text, "activity")
    assert colour.strip(painted) == text
    assert f"{ESC}1;31m2 would now be denied{ESC}0m" in painted
    assert f"{ESC}1;37;41m  BREAKS role/app" in painted

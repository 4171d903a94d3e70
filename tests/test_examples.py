"""The seed examples: they validate, lint clean at the default threshold, and the deliberately
wide choices the guides make are reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from ramstack.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(p.parent.name for p in (ROOT / "examples").glob("*/Pulumi.example.yaml"))
WIDE_ON_PURPOSE = {"vod-upload": {"LP207"}, "imm": {"LP301"}}


def test_every_seed_has_an_example() -> None:
    assert {"ims-sts", "vod-upload", "imm", "iot-readonly", "iot-cross-account", "github-deploy"} <= set(
        EXAMPLES
    )


@pytest.mark.parametrize("example", EXAMPLES)
def test_example_validates_and_lints_clean_at_high(example: str, capsys) -> None:
    folder = str(ROOT / "examples" / example)
    assert main(["validate", "-C", folder, "--stack", "example"]) == 0
    assert main(["lint", "-C", folder, "--stack", "example"]) == 0
    capsys.readouterr()
    main(["lint", "-C", folder, "--stack", "example", "--fail-on", "info"])
    reported = {line.split()[2].rstrip(":") for line in capsys.readouterr().out.splitlines() if " LP" in line}
    assert WIDE_ON_PURPOSE.get(example, set()) <= reported


def test_vod_session_policy_is_valid_and_lints_clean(capsys) -> None:
    session = str(ROOT / "examples/vod-upload/session/vod-create-upload-only.yaml")
    assert main(["check-policy", session]) == 0
    assert main(["lint", "--policy", session, "--fail-on", "info"]) == 0


@pytest.mark.parametrize("example", ["github-deploy", "vod-upload"])
def test_plan_with_dash_c_runs_the_example_from_anywhere(example: str, capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "-C", str(ROOT / "examples" / example), "--stack", "example"]) == 0
    assert "Resources to create:" in capsys.readouterr().out

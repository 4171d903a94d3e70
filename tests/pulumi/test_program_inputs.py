"""The stack program refuses plain-text passwords itself, and reports config and spec mistakes together."""

from __future__ import annotations

from pathlib import Path

import pulumi

from tests.pulumi.conftest import ROOT, RunStack


def test_the_program_refuses_passwords_the_engine_does_not_hold_as_secret(run_stack: RunStack) -> None:
    run = run_stack(
        extra_config={"ramstack:passwords": {"alice": "Hunter2-Plain-Text!"}}, capture_errors=True
    )
    assert isinstance(run.error, pulumi.RunError)
    message = str(run.error)
    assert "CFG005" in message and "plain text" in message
    assert "Hunter2" not in message
    assert run.monitor.registrations == []


def test_a_config_mistake_does_not_hide_spec_errors_in_the_program(
    run_stack: RunStack, tmp_path: Path
) -> None:
    stack = (
        (ROOT / "Pulumi.dev.yaml").read_text().replace("config:\n", "config:\n  ramstack:unknownKey: 1\n", 1)
    )
    (tmp_path / "Pulumi.dev.yaml").write_text(stack)
    (tmp_path / "access.yaml").write_text("users:\n  alice:\n    groups: [nope]\n")
    run = run_stack(tmp_path, capture_errors=True)
    assert isinstance(run.error, pulumi.RunError)
    message = str(run.error)
    assert "CFG004" in message and "access.yaml:3:14: error SPEC005" in message
    assert run.monitor.registrations == []

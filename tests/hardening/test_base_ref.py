"""`diff --base-ref` when a pull request introduces ramstack, and when the base spec is broken."""

from __future__ import annotations

import subprocess
from pathlib import Path

from ramstack.cli import main


def _commit(dev: Path, message: str) -> None:
    for argv in (["add", "-A", "."], ["commit", "-q", "--allow-empty", "-m", message]):
        subprocess.run(
            ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *argv],
            cwd=dev,
            check=True,
            capture_output=True,
        )


def test_first_adoption_a_base_with_stack_config_but_no_spec_means_everything_is_new(
    dev: Path, capsys
) -> None:
    subprocess.run(["git", "init", "-q"], cwd=dev, check=True)
    spec = (dev / "access.yaml").read_text()
    (dev / "access.yaml").unlink()
    _commit(dev, "pulumi project, no spec yet")
    (dev / "access.yaml").write_text(spec)
    assert main(["diff", "--base-ref", "HEAD", "--exit-code"]) == 1
    captured = capsys.readouterr()
    assert "user/ims-app (created)" in captured.out and "GIT002" not in captured.out + captured.err


def test_an_invalid_base_shows_its_own_diagnostics(dev: Path, capsys) -> None:
    subprocess.run(["git", "init", "-q"], cwd=dev, check=True)
    good = (dev / "access.yaml").read_text()
    (dev / "access.yaml").write_text(good.replace("users:\n", "users:\n  bob:\n    groups: [nope]\n", 1))
    _commit(dev, "broken base")
    (dev / "access.yaml").write_text(good)
    assert main(["diff", "--base-ref", "HEAD"]) == 2
    out = capsys.readouterr().err
    assert "error GIT002" in out
    [spec005] = [line for line in out.splitlines() if "SPEC005" in line]
    assert spec005.startswith("HEAD:access.yaml:") and "error SPEC005" in spec005 and "bob" in spec005
    assert "/tmp" not in out and "ramstack-base-" not in out

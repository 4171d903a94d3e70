"""Inputs that used to be accepted silently: each is now a located error."""

from __future__ import annotations

from pathlib import Path

from ramstack.cli import main


def test_a_symlink_loop_in_policies_is_reported_where_it_is(dev: Path, capsys) -> None:
    (dev / "policies" / "loop.yaml").symlink_to("loop.yaml")
    (dev / "policies" / "dangling.json").symlink_to("nowhere.json")
    assert main(["validate"]) == 2
    out = capsys.readouterr().err
    assert "policies/dangling.json:1:1: error IO004" in out
    assert "policies/loop.yaml:1:1: error IO004" in out


def test_validate_checks_lint_yaml(dev: Path, capsys) -> None:
    (dev / "policies" / "lint.yaml").write_text("severity:\n  LP301: severe\n")
    assert main(["validate"]) == 2
    assert "policies/lint.yaml:2:" in capsys.readouterr().err
    assert main(["validate", "--format", "json"]) == 2
    assert '"code": "LINT004"' in capsys.readouterr().out


def test_check_policy_reports_a_symlink_loop_in_a_folder(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "loop.json").symlink_to("loop.json")
    (tmp_path / "ok.json").write_text(
        '{"Version": "1", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}'
    )
    assert main(["check-policy", "."]) == 2
    assert "loop.json:1:1: error IO003" in capsys.readouterr().err


def test_a_fifo_or_device_as_input_is_refused_without_blocking(dev: Path, capsys) -> None:
    import os

    os.mkfifo(dev / "policies" / "pipe.json")  # reading it would wait for a writer forever
    (dev / "policies" / "zero.yaml").symlink_to("/dev/zero")  # reading it would never end
    assert main(["validate"]) == 2
    out = capsys.readouterr().err
    assert "policies/pipe.json:1:1: error IO004: pipe.json is not a regular file" in out
    assert "policies/zero.yaml:1:1: error IO004: zero.yaml is not a regular file" in out
    (dev / "policies" / "pipe.json").unlink()
    (dev / "policies" / "zero.yaml").unlink()
    requests = dev / "requests.jsonl"
    os.mkfifo(requests)
    assert main(["simulate", "--principal", "user/ims-app", "--requests", str(requests)]) == 2
    assert "SIM007" in capsys.readouterr().err
    os.mkfifo(dev / "spec.yaml")  # the spec itself, named by the stack config
    stack = dev / "Pulumi.dev.yaml"
    stack.write_text(stack.read_text().replace("ramstack:spec: access.yaml", "ramstack:spec: spec.yaml"))
    assert main(["validate"]) == 2
    assert "spec.yaml:1:1: error IO003: cannot read file: not a regular file" in capsys.readouterr().err

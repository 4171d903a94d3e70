"""`ramstack verify` against `ramstack serve`: a row per check, exit 1 on a failure, no secret printed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from ramstack.cli import main
from tests.live.conftest import ACCOUNT, FLOW_SPEC, Serve, Served


def _outputs(served: Served, path: Path, **overrides: dict[str, str]) -> Path:
    """What `pulumi stack output --json --show-secrets` prints for the stack program's exports."""
    keys = served["access_keys"]
    data = {
        "access_key_ids": {user: key["id"] for user, key in keys.items()},
        "access_key_secrets": {user: key["secret"] for user, key in keys.items()},
        "role_arns": {name: f"acs:ram::{ACCOUNT}:role/{name}" for name in ("reader", "locked")},
        "user_names": {user: user for user in keys},
        "oidc_provider_arns": {},
        **overrides,
    }
    path.write_text(json.dumps(data, indent=2))
    return path


@dataclass
class _Run:
    returncode: int
    stdout: str
    stderr: str


def _verify(
    capsys: pytest.CaptureFixture[str], project: Path, served: Served, outputs: Path, *args: str
) -> _Run:
    """In-process: verify takes its credentials from the outputs file, not from the environment."""
    argv = ["verify", "-C", str(project), "--stack", "test", "--outputs", str(outputs)]
    rc = main([*argv, "--endpoint", served["endpoint"], *args])
    out, err = capsys.readouterr()
    return _Run(rc, out, err)


def test_verify_passes_then_fails_when_the_account_differs_from_the_spec(
    serve: Serve, flow_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    served = serve(flow_project, "test")
    outputs = _outputs(served, tmp_path / "outputs.json")
    ok = _verify(capsys, flow_project, served, outputs, "--format", "json")
    assert ok.returncode == 0, ok.stderr
    report = json.loads(ok.stdout)
    rows = {(c["user"], c["check"], c["role"]): c["result"] for c in report["checks"]}
    assert rows == {
        ("user/app", "key", None): "pass",
        ("user/app", "assume", "role/reader"): "pass",
        ("user/app", "refused", "role/locked"): "pass",
        ("user/other", "key", None): "pass",
        ("user/other", "refused", "role/reader"): "pass",
        ("user/other", "refused", "role/locked"): "pass",
    }
    # The spec now lets `other` assume `reader`, but the account was provisioned without it.
    changed = FLOW_SPEC.replace("      users: [app]", "      users: [app, other]").replace(
        "  other:\n    access_key: true\n", "  other:\n    access_key: true\n    assume_roles: [reader]\n"
    )
    (flow_project / "access.yaml").write_text(changed)
    broken = _outputs(
        served,
        tmp_path / "broken.json",
        access_key_secrets={"app": "not-the-secret", **{"other": served["access_keys"]["other"]["secret"]}},
    )
    failed = _verify(capsys, flow_project, served, broken)
    assert failed.returncode == 1, failed.stderr
    lines = failed.stdout.splitlines()
    assert lines[0].startswith("verify stack test:") and "failed" in lines[0]
    assert any(
        line.startswith("FAIL") and "user/app" in line and "SignatureDoesNotMatch" in line for line in lines
    )
    assert any(
        line.startswith("FAIL") and "user/other" in line and "assume role/reader" in line for line in lines
    )
    markdown = _verify(capsys, flow_project, served, broken, "--format", "markdown")
    assert (
        markdown.returncode == 1 and "| ❌ fail | `user/other` | assume | `role/reader` |" in markdown.stdout
    )
    for result in (ok, failed, markdown):
        for key in served["access_keys"].values():
            assert key["secret"] not in result.stdout + result.stderr


def test_outputs_file_problems_are_located(
    flow_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["verify", "-C", str(flow_project), "--stack", "test", "--endpoint", "127.0.0.1:9", "--outputs"]
    not_json = tmp_path / "o.json"
    not_json.write_text('{\n  "access_key_ids": {"app": "LTAI"},\n}\n')
    assert main([*base, str(not_json)]) == 2
    assert f"{not_json}:3:1: error VERIFY001: not JSON" in capsys.readouterr().err
    hidden = tmp_path / "hidden.json"
    hidden.write_text(json.dumps({"access_key_ids": {"app": "LTAI"}, "access_key_secrets": "[secret]"}))
    assert main([*base, str(hidden)]) == 2
    err = capsys.readouterr().err
    assert "error VERIFY002" in err and "--show-secrets" in err
    assert main([*base, str(tmp_path / "missing.json")]) == 2
    assert "error IO001" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("outputs", "field", "line"),
    [
        ('{\n  "access_key_ids": {},\n  "role_arns": [1]\n}\n', "role_arns", 3),
        (
            '{\n  "access_key_ids": {},\n  "access_key_encrypted_secrets": ["x"]\n}\n',
            "access_key_encrypted_secrets",
            3,
        ),
        ('{\n  "access_key_ids": {"app": 7},\n  "access_key_secrets": {}\n}\n', "access_key_ids", 2),
        (
            '{\n  "access_key_ids": {"app": "LTAI"},\n  "access_key_secrets": {"app": ["s3cr3t"]}\n}\n',
            "access_key_secrets",
            3,
        ),
        ('{"role_arns": {"reader": {"nested": 1}}}', "role_arns", 1),
    ],
    ids=["role-arns-list", "encrypted-list", "id-not-string", "secret-not-string", "arn-not-string"],
)
def test_outputs_of_the_wrong_shape_are_located_errors(
    flow_project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    outputs: str,
    field: str,
    line: int,
) -> None:
    path = tmp_path / "outputs.json"
    path.write_text(outputs)
    args = ["verify", "-C", str(flow_project), "--stack", "test", "--endpoint", "127.0.0.1:9"]
    assert main([*args, "--outputs", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:{line}:" in err and f"error VERIFY001: {field} must be" in err
    assert "Traceback" not in err and "s3cr3t" not in err


def test_deeply_nested_outputs_are_a_located_error(
    flow_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "outputs.json"
    path.write_text('{"role_arns": ' + "[" * 100_000 + "]" * 100_000 + "}")
    args = ["verify", "-C", str(flow_project), "--stack", "test", "--endpoint", "127.0.0.1:9"]
    assert main([*args, "--outputs", str(path)]) == 2
    assert "error VERIFY001" in capsys.readouterr().err

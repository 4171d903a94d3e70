"""`ramstack assume`: pre-checks (located, nothing sent), then AssumeRole with the official STS client
and the standard credential chain (a subprocess: the chain reads the environment at import time)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.live.sdk import StaticCredentials, Target, client, models
from tests.live.conftest import ACCOUNT, ROOT, Serve, Served, child_env


def _assume(served: Served, project: Path, user: str | None, *args: str) -> subprocess.CompletedProcess[str]:
    extra = {}
    if user is not None:
        key_id, secret = served.key(user)
        extra = {"ALIBABA_CLOUD_ACCESS_KEY_ID": key_id, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": secret}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "ramstack",
            "assume",
            "-C",
            str(project),
            "--stack",
            "test",
            "--endpoint",
            served["endpoint"],
            *args,
        ],
        cwd=ROOT,
        env=child_env(**extra),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_assume_prints_credentials_that_work_and_explains_refusals(
    serve: Serve,
    flow_project: Path,
    credential_env: Callable[[str | None, str | None], None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    served = serve(flow_project, "test")
    # Once as users run it: a fresh process whose environment holds the AccessKey.
    env_out = _assume(served, flow_project, "app", "--role", "role/reader", "--session-name", "ci-1")
    assert env_out.returncode == 0, env_out.stderr
    exported = dict(line.removeprefix("export ").split("=", 1) for line in env_out.stdout.splitlines())
    assert list(exported) == [
        "ALIBABA_CLOUD_ACCESS_KEY_ID",
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        "ALIBABA_CLOUD_SECURITY_TOKEN",
    ]
    static = StaticCredentials(*exported.values())
    me = client("sts", Target(served["endpoint"]), static).get_caller_identity().body
    assert me.arn == f"acs:ram::{ACCOUNT}:role/reader/ci-1"
    assert served.key("app")[1] not in env_out.stderr

    # The rest in-process (the chain's environment patched, see `credential_env`): fast.
    base = ["assume", "-C", str(flow_project), "--stack", "test", "--endpoint", served["endpoint"]]

    def run(user: str | None, *args: str) -> tuple[int, str, str]:
        credential_env(*(served.key(user) if user else (None, None)))
        rc = main([*base, *args])
        out, err = capsys.readouterr()
        assert served.key("app")[1] not in err and served.key("other")[1] not in err
        return rc, out, err

    # --policy narrows the credentials (the canonical document is sent); json has the expiration.
    policy = flow_project / "get-user-only.yaml"
    policy.write_text(
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: ram:GetUser\n    Resource: "*"\n'
    )
    role_arn = f"acs:ram::{ACCOUNT}:role/reader"
    rc, out, err = run(
        "app",
        "--role",
        role_arn,
        "--session-name",
        "narrow",
        "--policy",
        str(policy),
        "--format",
        "json",
        "--duration",
        "900",
    )
    assert rc == 0, err
    data = json.loads(out)
    assert data["assumed_role_arn"] == f"{role_arn}/narrow" and data["expiration"]
    narrowed = client(
        "ram",
        Target(served["endpoint"]),
        StaticCredentials(data["access_key_id"], data["access_key_secret"], data["security_token"]),
    )
    with pytest.raises(Exception, match="NoPermission"):
        narrowed.list_users(models("ram").ListUsersRequest())

    # A role that does not trust the caller: one located message naming the cause (the trust side).
    rc, out, err = run("app", "--role", "role/locked", "--session-name", "probe")
    assert rc == 1 and out == ""
    assert err.startswith(f"{flow_project / 'access.yaml'}:")
    assert "error LIVE001: NoPermission" in err
    assert "trust policy of role/locked does not admit user/app" in err
    # `other` is trusted by `locked` but may assume nothing: the identity side.
    rc, out, err = run("other", "--role", "role/locked", "--session-name", "probe")
    assert rc == 1 and "identity policies of user/other do not allow sts:AssumeRole on role/locked" in err

    # A role outside the spec (full ARN) that does not exist: the API's code, with a fix.
    rc, out, err = run("app", "--role", f"acs:ram::{ACCOUNT}:role/nosuch", "--session-name", "probe")
    assert rc == 1 and "error LIVE001: EntityNotExist.Role" in err and "(fix: check the name or ARN" in err
    # A wrong secret: the signature fails, and the fix points at the credential chain.
    credential_env(served.key("app")[0], "not-the-secret")
    assert main([*base, "--role", "role/reader", "--session-name", "probe"]) == 1
    err = capsys.readouterr().err
    assert "error LIVE001: SignatureDoesNotMatch" in err and "(fix: check the credential chain" in err, err

    # No credentials anywhere in the chain: a usage error, nothing printed to stdout.
    rc, out, err = run(None, "--role", "role/reader", "--session-name", "x1")
    assert rc == 2 and "LIVE003" in err and out == ""


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--role", "role/reader", "--session-name", "a"], "ASSUME001"),
        (["--role", "role/reader", "--session-name", "bad name!"], "ASSUME001"),
        (["--role", "role/reader", "--session-name", "ok1", "--duration", "899"], "ASSUME003"),
        (["--role", "role/reader", "--session-name", "ok1", "--duration", "7201"], "ASSUME003"),
        (["--role", "reader", "--session-name", "ok1"], "ASSUME002"),
        (["--role", "role/nosuch", "--session-name", "ok1"], "ASSUME002"),
        (["--role", "acs:ram::abc:role/reader", "--session-name", "ok1"], "ASSUME002"),
    ],
)
def test_precheck_errors_are_located_and_send_nothing(
    flow_project: Path, capsys: pytest.CaptureFixture[str], args: list[str], code: str
) -> None:
    # Port 9 (discard) on loopback: were anything sent, the error would be LIVE002, not the pre-check.
    rc = main(["assume", "-C", str(flow_project), "--stack", "test", "--endpoint", "127.0.0.1:9", *args])
    err = capsys.readouterr().err
    assert rc == 2 and f"<command line>:1:1: error {code}:" in err and "LIVE" not in err


def test_session_policy_file_is_validated_and_its_size_checked(
    flow_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = flow_project / "bad.yaml"
    bad.write_text(
        'Version: "1"\nStatement:\n  - Effect: Permit\n    Action: ram:GetUser\n    Resource: "*"\n'
    )
    base = [
        "assume",
        "-C",
        str(flow_project),
        "--stack",
        "test",
        "--endpoint",
        "127.0.0.1:9",
        "--role",
        "role/reader",
        "--session-name",
        "ok1",
        "--policy",
    ]
    assert main([*base, str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:3:13: error POL006" in err
    actions = "\n".join(f"      - ram:GetUser{i:04d}" for i in range(120))
    big = flow_project / "big.yaml"
    big.write_text(
        f'Version: "1"\nStatement:\n  - Effect: Allow\n    Resource: "*"\n    Action:\n{actions}\n'
    )
    assert main([*base, str(big)]) == 2
    err = capsys.readouterr().err
    assert "error ASSUME004: session policy is" in err and "STS allows 2048" in err


def test_a_refused_role_outside_the_spec_does_not_blame_the_spec(flow_project: Path) -> None:
    from ramstack.commands.common import find_project
    from ramstack.diagnostics import Diagnostics
    from ramstack.live.assume import explain_refusal
    from ramstack.live.sdk import LiveError
    from ramstack.spec.config import load_stack_config
    from ramstack.spec.inputs import load_with_config

    diags = Diagnostics()
    config = load_stack_config(find_project(flow_project, "test"), "test", diags)
    assert config is not None
    spec = load_with_config(config, diags, config_failed=False)
    assert spec is not None
    refusal = LiveError("LIVE001", "NoPermission: denied", host="sts", api_code="NoPermission")
    found = explain_refusal(refusal, "acs:ram::1234567890123456:role/nosuch", None, spec)
    assert "is not declared in the spec" in found.message and "may not exist" in found.message
    assert found.fix and "check the role exists" in found.fix

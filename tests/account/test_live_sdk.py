"""import and drift end to end over HTTP: Alibaba's official SDK clients against `ramstack serve`'s
endpoint (signatures verified, every call authorised), an account populated by hand through the
RAM SDK as the console would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ramstack.account.as_spec import live_as_spec
from ramstack.account.reader import read_account
from ramstack.commands.drift import report
from ramstack.commands.import_account import import_account
from ramstack.diagnostics import Diagnostics
from ramstack.effective import compute_effective
from ramstack.fakecloud import DEFAULT_SYSTEM_POLICIES, FakeCloud
from ramstack.permdiff import diff_permissions
from ramstack.spec.catalog import system_policy_names
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from tests.account.conftest import ACCOUNT

pytest.importorskip("alibabacloud_ram20150501")

from ramstack.live import sdk
from ramstack.live.transport import SdkTransport
from ramstack.serve.endpoint import Endpoint
from ramstack.serve.server import EndpointServer


@pytest.fixture
def served() -> Iterator[tuple[SdkTransport, FakeCloud]]:
    cloud = FakeCloud(account_id=ACCOUNT, system_policies=DEFAULT_SYSTEM_POLICIES | system_policy_names())
    root = cloud.call("ram", "CreateAccessKey", {})["AccessKey"]  # the account owner's key
    server = EndpointServer(Endpoint(cloud))
    server.start()
    try:
        credentials = sdk.StaticCredentials(root["AccessKeyId"], root["AccessKeySecret"])
        yield SdkTransport(sdk.Target(server.address), credentials), cloud
    finally:
        server.stop()


def by_hand(sdk_transport: SdkTransport) -> None:
    def ram(action: str, **params: object) -> None:
        sdk_transport.call("ram", action, params)

    ram("CreateUser", UserName="app", DisplayName="Application")
    ram("CreateUser", UserName="carol", DisplayName="Carol")
    ram("CreateLoginProfile", UserName="carol", Password="Console-Made-987", MFABindRequired=True)
    ram("CreateGroup", GroupName="viewers")
    ram("AddUserToGroup", GroupName="viewers", UserName="carol")
    ram("AttachPolicyToGroup", GroupName="viewers", PolicyType="System", PolicyName="AliyunOSSReadOnlyAccess")
    document = {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": "oss:PutObject", "Resource": "*"}],
    }
    ram("CreatePolicy", PolicyName="upload", PolicyDocument=json.dumps(document))
    trust = {
        "Statement": [
            {
                "Action": "sts:AssumeRole",
                "Effect": "Allow",
                "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:user/app"]},
            }
        ],
        "Version": "1",
    }
    ram("CreateRole", RoleName="uploader", AssumeRolePolicyDocument=json.dumps(trust))
    ram("AttachPolicyToRole", RoleName="uploader", PolicyType="Custom", PolicyName="upload")
    ram("AttachPolicyToUser", UserName="app", PolicyType="System", PolicyName="AliyunSTSAssumeRoleAccess")


def test_import_drift_over_the_sdk(
    served: tuple[SdkTransport, FakeCloud], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    transport, _ = served
    by_hand(transport)
    assert import_account(transport, tmp_path, "dev", "cn-hangzhou") == 0  # account id from GetCallerIdentity
    diags = Diagnostics()
    config = load_stack_config(tmp_path, "dev", diags)
    assert config is not None
    spec = load_spec(config, diags)
    assert not diags.has_errors
    live, _ = live_as_spec(read_account(transport))
    assert diff_permissions(compute_effective(live), compute_effective(spec)).empty
    assert spec.user_map["app"].allow_assume_any_role
    capsys.readouterr()

    assert report(transport, spec, "dev", "text") == 0
    assert "no drift" in capsys.readouterr().out

    transport.call(
        "ram",
        "AttachPolicyToRole",
        {"RoleName": "uploader", "PolicyType": "System", "PolicyName": "AliyunOSSFullAccess"},
    )
    assert report(transport, spec, "dev", "text") == 1
    out = capsys.readouterr().out
    assert (
        "+ attachment of System policy AliyunOSSFullAccess exists in the account but not in the spec" in out
    )


def _cli(args: list[str], cwd: Path, key: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m ramstack ...` with the key in the environment (the credential chain reads it at
    import time), no proxies and no ECS metadata lookup."""
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy")}
    env |= {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": key["AccessKeyId"],
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": key["AccessKeySecret"],
        "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
        "ALIBABA_CLOUD_CLI_PROFILE_DISABLED": "true",
        "ALIBABA_CLOUD_CREDENTIALS_FILE": str(cwd / "no-such-credentials.ini"),
    }
    env.pop("PULUMI_STACK", None)
    return subprocess.run(
        [sys.executable, "-m", "ramstack", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_verbs_on_the_command_line(tmp_path: Path) -> None:
    cloud = FakeCloud(account_id=ACCOUNT, system_policies=DEFAULT_SYSTEM_POLICIES | system_policy_names())
    root = cloud.call("ram", "CreateAccessKey", {})["AccessKey"]
    server = EndpointServer(Endpoint(cloud))
    server.start()
    try:
        transport = SdkTransport(
            sdk.Target(server.address), sdk.StaticCredentials(root["AccessKeyId"], root["AccessKeySecret"])
        )
        by_hand(transport)
        out = tmp_path / "adopted"
        done = _cli(
            ["import", "--endpoint", server.address, "--out", str(out), "--stack", "prod"], tmp_path, root
        )
        assert done.returncode == 0, done.stderr
        assert (out / "Pulumi.prod.yaml").is_file() and (out / "import.json").is_file()
        assert root["AccessKeySecret"] not in done.stdout + done.stderr

        drift_args = ["drift", "--stack", "prod", "--endpoint", server.address, "--format", "json"]
        done = _cli(drift_args, out, root)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout)["drift"] is False

        cloud.call("ram", "AddUserToGroup", {"GroupName": "viewers", "UserName": "app"})  # outside the stack
        done = _cli(drift_args, out, root)
        assert done.returncode == 1
        items = json.loads(done.stdout)["items"]
        assert items == [{"subject": "user/app", "kind": "unmanaged", "what": "membership in group viewers"}]

        other = FakeCloud(account_id="9876543210987654", seed="other").call("ram", "CreateAccessKey", {})[
            "AccessKey"
        ]
        done = _cli(drift_args, out, other)  # a key the endpoint does not know
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert "cannot read the account" in done.stderr

        stack_file = out / "Pulumi.prod.yaml"
        stack_file.write_text(stack_file.read_text().replace(ACCOUNT, "9876543210987654"))
        done = _cli(drift_args, out, root)  # the stack is another account's: no report of everything
        assert done.returncode == 2 and "DRIFT001" in done.stderr and done.stdout == ""
        stack_file.write_text(stack_file.read_text().replace("9876543210987654", ACCOUNT))
    finally:
        server.stop()
    done = _cli(drift_args, out, root)  # nobody listens any more
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "LIVE002" in done.stderr

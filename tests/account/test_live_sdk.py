"""import and drift end to end over HTTP: Alibaba's official SDK clients against `ramstack serve`'s
endpoint (signatures verified, every call authorised), an account populated by hand through the
RAM SDK as the console would."""

from __future__ import annotations

import json
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

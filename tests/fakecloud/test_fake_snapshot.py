"""Snapshot shape and ordering, and that secrets never leave through snapshot, repr, str, call log or logs."""

from __future__ import annotations

import json
import logging

import pytest

from ramstack.fakecloud import REDACTED, FakeCloud, ManualClock, Secret

from .helpers import may_assume, permission, role_arn, trust, user_arn, user_with_key

PASSWORD = "Sup3r-Secret-Pass"


def _populated() -> tuple[FakeCloud, list[str]]:
    """A cloud with one of everything; returns it and every secret it handed out."""
    cloud = FakeCloud(clock=ManualClock())
    secrets: list[str] = []
    for name in ("zoe", "adam"):
        cloud.ram.create_user(user_name=name)
        secrets.append(cloud.ram.create_access_key(user_name=name)["AccessKey"]["AccessKeySecret"])
    secrets.append(cloud.ram.create_access_key()["AccessKey"]["AccessKeySecret"])
    cloud.ram.create_login_profile(user_name="adam", password=PASSWORD)
    secrets.append(PASSWORD)
    cloud.ram.create_group(group_name="devs")
    cloud.ram.add_user_to_group(user_name="zoe", group_name="devs")
    cloud.ram.add_user_to_group(user_name="adam", group_name="devs")
    cloud.ram.create_policy(policy_name="p", policy_document=permission())
    cloud.ram.create_policy_version(policy_name="p", policy_document=permission("oss:PutObject"))
    cloud.ram.attach_policy_to_group(policy_type="Custom", policy_name="p", group_name="devs")
    cloud.ram.create_role(role_name="deployer", assume_role_policy_document=trust(user_arn("zoe")))
    cloud.ram.attach_policy_to_role(
        policy_type="System", policy_name="AliyunOSSFullAccess", role_name="deployer"
    )
    cloud.ims.create_oidc_provider(
        oidc_provider_name="gh", issuer_url="https://token.actions.githubusercontent.com"
    )
    may_assume(cloud, "user/zoe")
    zoe_key = cloud.ram.list_access_keys(user_name="zoe")["AccessKeys"]["AccessKey"][0]["AccessKeyId"]
    creds = cloud.sts.assume_role(
        caller_access_key_id=zoe_key, role_arn=role_arn("deployer"), role_session_name="s1"
    )["Credentials"]
    secrets += [creds["AccessKeySecret"], creds["SecurityToken"]]
    cloud.ram.update_login_profile(user_name="adam", password=PASSWORD + "2")
    secrets.append(PASSWORD + "2")
    return cloud, secrets


def test_snapshot_contents() -> None:
    cloud, _ = _populated()
    snap = cloud.snapshot()
    assert [u["UserName"] for u in snap["Users"]] == ["adam", "zoe"]
    adam = snap["Users"][0]
    assert adam["LoginProfile"]["Password"] == REDACTED
    assert adam["AccessKeys"][0]["AccessKeySecret"] == REDACTED
    assert adam["Groups"] == ["devs"]
    assert snap["RootAccessKeys"][0]["AccessKeySecret"] == REDACTED
    assert snap["Groups"][0]["Users"] == ["adam", "zoe"]
    assert snap["Groups"][0]["Policies"] == [{"PolicyType": "Custom", "PolicyName": "p"}]
    assert snap["Roles"][0]["Policies"] == [{"PolicyType": "System", "PolicyName": "AliyunOSSFullAccess"}]
    assert [v["VersionId"] for v in snap["Policies"][0]["Versions"]] == ["v1", "v2"]
    assert snap["Policies"][0]["AttachmentCount"] == 1
    assert snap["SystemPoliciesInUse"] == ["AliyunOSSFullAccess", "AliyunSTSAssumeRoleAccess"]
    assert snap["OIDCProviders"][0]["OIDCProviderName"] == "gh"
    session = snap["Sessions"][0]
    assert (session["AccessKeySecret"], session["SecurityToken"]) == (REDACTED, REDACTED)


def test_snapshot_is_plain_json_and_stable() -> None:
    a, _ = _populated()
    b, _ = _populated()
    text = json.dumps(a.snapshot(), sort_keys=False)
    assert text == json.dumps(b.snapshot(), sort_keys=False)
    assert a.snapshot() == a.snapshot()


def test_snapshot_is_a_copy() -> None:
    cloud, _ = _populated()
    snap = cloud.snapshot()
    snap["Users"].clear()
    assert cloud.snapshot()["Users"]


def test_no_secret_in_snapshot_repr_calls_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="ramstack.fakecloud"):
        cloud, secrets = _populated()
    state = cloud._ctx.state
    surfaces = {
        "snapshot": json.dumps(cloud.snapshot()),
        "repr": repr(cloud),
        "str": str(cloud),
        "state repr": repr(state),
        "calls": repr(cloud.calls),
        "logs": caplog.text,
    }
    assert caplog.records, "calls are logged"
    for surface, text in surfaces.items():
        for secret in secrets:
            assert secret not in text, f"a secret leaked through {surface}"
    login_calls = [c for c in cloud.calls if c.action in ("CreateLoginProfile", "UpdateLoginProfile")]
    assert all(c.params["password"] == REDACTED for c in login_calls)


def test_secret_wrapper() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in f"{secret} {secret!r} {secret:>20}"
    assert secret.reveal() == "hunter2"
    assert secret == Secret("hunter2") and secret != Secret("other")
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(secret)


def test_repr_counts() -> None:
    cloud = FakeCloud()
    user_with_key(cloud, "u")
    assert repr(cloud) == (
        "FakeCloud(account_id='1234567890123456', users=1, groups=0, roles=0, policies=0, access_keys=1,"
        " oidc_providers=0, sessions=0)"
    )

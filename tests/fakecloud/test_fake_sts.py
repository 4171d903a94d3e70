"""STS AssumeRole and GetCallerIdentity: trust decisions, durations, chaining."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ramstack.fakecloud import CloudError, FakeCloud, ManualClock

from .helpers import (
    ACCOUNT,
    may_assume,
    permission,
    role_arn,
    root_arn,
    root_key,
    trust,
    user_arn,
    user_with_key,
)


def _setup(cloud: FakeCloud, document: str, **role: Any) -> str:
    key = user_with_key(cloud, "alice")
    may_assume(cloud)
    cloud.ram.create_role(role_name="deployer", assume_role_policy_document=document, **role)
    return key


def _assume(cloud: FakeCloud, key: str, role: str = "deployer", **kw: Any) -> dict[str, Any]:
    return cloud.sts.assume_role(
        caller_access_key_id=key, role_arn=role_arn(role), role_session_name="ci-1", **kw
    )


@pytest.mark.parametrize(
    "document",
    [
        trust(user_arn("alice")),
        trust(root_arn()),
        trust(user_arn("alice"), action=["sts:AssumeRole"]),
        trust(user_arn("alice"), action="sts:*"),
        trust(user_arn("alice"), action="*"),
    ],
    ids=["user", "account-root", "action-list", "sts-wildcard", "star"],
)
def test_trusted_callers_assume(cloud: FakeCloud, document: str) -> None:
    key = _setup(cloud, document)
    out = _assume(cloud, key)
    assert out["AssumedRoleUser"]["Arn"] == f"acs:ram::{ACCOUNT}:role/deployer/ci-1"
    assert set(out["Credentials"]) == {"AccessKeyId", "AccessKeySecret", "SecurityToken", "Expiration"}


@pytest.mark.parametrize(
    "document",
    [
        trust(user_arn("alice", account="9999999999999999")),
        trust(root_arn("9999999999999999")),
        json.dumps(
            {
                "Version": "1",
                "Statement": [
                    {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": [root_arn()]}},
                    {"Effect": "Deny", "Action": "sts:AssumeRole", "Principal": {"RAM": [user_arn("alice")]}},
                ],
            }
        ),
    ],
    ids=["other-account-user", "other-account-root", "explicit-deny"],
)
def test_untrusted_callers_refused(document: str) -> None:
    cloud = FakeCloud(check_trust_principals=False)
    key = _setup(cloud, document)
    with pytest.raises(CloudError) as info:
        _assume(cloud, key)
    assert (info.value.code, info.value.http_status) == ("NoPermission", 403)


def test_expiration_and_duration(clock: ManualClock, cloud: FakeCloud) -> None:
    key = _setup(cloud, trust(user_arn("alice")), max_session_duration=7200)
    clock.advance(minutes=5)
    out = _assume(cloud, key, duration_seconds=7200)
    assert out["Credentials"]["Expiration"] == "2025-01-01T02:05:00Z"
    assert _assume(cloud, key, duration_seconds=900)["Credentials"]["Expiration"] == "2025-01-01T00:20:00Z"


def test_session_policy_within_limits_accepted(cloud: FakeCloud) -> None:
    key = _setup(cloud, trust(user_arn("alice")))
    out = _assume(cloud, key, policy=permission("oss:GetObject", "acs:oss:*:*:b/*"), external_id="abc-123")
    assert out["Credentials"]["AccessKeyId"].startswith("STS.")


SET_SOURCE = ["sts:AssumeRole", "sts:SetSourceIdentity"]


def test_source_identity_is_echoed(cloud: FakeCloud) -> None:
    key = _setup(cloud, trust(user_arn("alice"), action=SET_SOURCE))
    cloud.ram.create_policy(policy_name="set-source", policy_document=permission("sts:SetSourceIdentity"))
    cloud.ram.attach_policy_to_user(policy_type="Custom", policy_name="set-source", user_name="alice")
    assert _assume(cloud, key, source_identity="alice@corp")["SourceIdentity"] == "alice@corp"
    assert "SourceIdentity" not in _assume(cloud, key)


@pytest.mark.parametrize("missing", ["trust", "identity"])
def test_setting_a_source_identity_needs_both_policies(cloud: FakeCloud, missing: str) -> None:
    key = _setup(
        cloud, trust(user_arn("alice"), action=["sts:AssumeRole"] if missing == "trust" else SET_SOURCE)
    )
    if missing != "identity":
        cloud.ram.create_policy(policy_name="set-source", policy_document=permission("sts:SetSourceIdentity"))
        cloud.ram.attach_policy_to_user(policy_type="Custom", policy_name="set-source", user_name="alice")
    assert "Credentials" in _assume(cloud, key)
    with pytest.raises(CloudError, match="NoPermission"):
        _assume(cloud, key, source_identity="alice@corp")


def test_create_role_accepts_set_source_identity_beside_assume_role(cloud: FakeCloud) -> None:
    # the document of the Terraform provider's acceptance test (resource_alicloud_ram_role_test.go)
    document = (
        '{"Statement": [{"Action": ["sts:AssumeRole","sts:SetSourceIdentity"],"Effect": "Allow",'
        '"Principal": {"Service": ["apigateway.aliyuncs.com","ecs.aliyuncs.com"]}}],"Version": "1"}'
    )
    cloud.ram.create_role(role_name="svc", assume_role_policy_document=document)
    assert cloud.ram.get_role(role_name="svc")["Role"]["AssumeRolePolicyDocument"] == document


def test_role_chaining(cloud: FakeCloud) -> None:
    key = _setup(cloud, trust(user_arn("alice")))
    cloud.ram.create_role(role_name="target", assume_role_policy_document=trust(role_arn("deployer")))
    may_assume(cloud, "role/deployer")
    first = _assume(cloud, key)["Credentials"]["AccessKeyId"]
    second = _assume(cloud, first, role="target")
    assert second["AssumedRoleUser"]["Arn"] == f"acs:ram::{ACCOUNT}:role/target/ci-1"
    # alice herself is not trusted by `target`
    with pytest.raises(CloudError, match=r"NoPermission"):
        _assume(cloud, key, role="target")


def test_root_cannot_assume_even_if_trusted(cloud: FakeCloud) -> None:
    _setup(cloud, trust(root_arn()))
    with pytest.raises(CloudError) as info:
        _assume(cloud, root_key(cloud))
    assert info.value.code == "NoPermission"
    assert "root" in info.value.message


def test_get_caller_identity_for_each_kind(cloud: FakeCloud) -> None:
    key = _setup(cloud, trust(user_arn("alice")))
    user_id = cloud.ram.get_user(user_name="alice")["User"]["UserId"]
    role_id = cloud.ram.get_role(role_name="deployer")["Role"]["RoleId"]
    me = cloud.sts.get_caller_identity(caller_access_key_id=key)
    assert {k: me[k] for k in ("IdentityType", "Arn", "UserId", "PrincipalId", "AccountId")} == {
        "IdentityType": "RAMUser",
        "Arn": user_arn("alice"),
        "UserId": user_id,
        "PrincipalId": user_id,
        "AccountId": ACCOUNT,
    }
    root = cloud.sts.get_caller_identity(caller_access_key_id=root_key(cloud))
    assert (root["IdentityType"], root["Arn"]) == ("Account", root_arn())
    session = _assume(cloud, key)["Credentials"]["AccessKeyId"]
    assumed = cloud.sts.get_caller_identity(caller_access_key_id=session)
    assert (assumed["IdentityType"], assumed["RoleId"], assumed["PrincipalId"]) == (
        "AssumedRoleUser",
        role_id,
        f"{role_id}:ci-1",
    )


def test_session_valid_until_just_before_expiration(clock: ManualClock, cloud: FakeCloud) -> None:
    key = _setup(cloud, trust(user_arn("alice")))
    session = _assume(cloud, key, duration_seconds=900)["Credentials"]["AccessKeyId"]
    clock.advance(899)
    cloud.sts.get_caller_identity(caller_access_key_id=session)
    clock.advance(1)
    with pytest.raises(CloudError, match=r"InvalidSecurityToken\.Expired"):
        cloud.sts.get_caller_identity(caller_access_key_id=session)


def test_duration_upper_bound_is_the_role_maximum(cloud: FakeCloud) -> None:
    key = _setup(cloud, trust(user_arn("alice")), max_session_duration=43200)
    _assume(cloud, key, duration_seconds=43200)
    with pytest.raises(CloudError, match=r"InvalidParameter\.DurationSeconds"):
        _assume(cloud, key, duration_seconds=43201)


def test_session_policy_at_size_limit_accepted(cloud: FakeCloud) -> None:
    from .helpers import sized_permission

    key = _setup(cloud, trust(user_arn("alice")))
    _assume(cloud, key, policy=sized_permission(2048))

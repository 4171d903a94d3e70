"""Calls by wire names (`FakeCloud.call`), as the loopback HTTP server will make them."""

from __future__ import annotations

import pytest

from ramstack.fakecloud import CloudError, FakeCloud
from ramstack.fakecloud.dispatch import to_pascal, to_snake

from .helpers import may_assume, permission, role_arn, trust, user_arn, user_with_key


@pytest.mark.parametrize(
    ("wire", "snake"),
    [
        ("UserName", "user_name"),
        ("OIDCProviderName", "oidc_provider_name"),
        ("MFABindRequired", "mfa_bind_required"),
        ("NewAssumeRolePolicyDocument", "new_assume_role_policy_document"),
        ("UserAccessKeyId", "user_access_key_id"),
        ("IssuerUrl", "issuer_url"),
    ],
)
def test_name_conversion_round_trips(wire: str, snake: str) -> None:
    assert to_snake(wire) == snake
    assert to_pascal(snake) == wire


def test_strings_are_coerced(cloud: FakeCloud) -> None:
    role = cloud.call(
        "ram",
        "CreateRole",
        {
            "RoleName": "r",
            "AssumeRolePolicyDocument": trust(Service=["ecs.aliyuncs.com"]),
            "MaxSessionDuration": "7200",
        },
    )
    assert role["Role"]["MaxSessionDuration"] == 7200
    cloud.call("ram", "CreatePolicy", {"PolicyName": "p", "PolicyDocument": permission()})
    version = cloud.call(
        "RAM",
        "CreatePolicyVersion",
        {"PolicyName": "p", "PolicyDocument": permission(), "SetAsDefault": "TRUE"},
    )
    assert version["PolicyVersion"]["IsDefaultVersion"] is True


def test_unknown_parameters_are_ignored(cloud: FakeCloud) -> None:
    out = cloud.call("ram", "CreateUser", {"UserName": "u", "Format": "JSON", "SignatureNonce": "x"})
    assert out["User"]["UserName"] == "u"


def test_ims_list_parameters_stay_comma_separated(cloud: FakeCloud) -> None:
    out = cloud.call(
        "ims",
        "CreateOIDCProvider",
        {
            "OIDCProviderName": "gh",
            "IssuerUrl": "https://a.example",
            "ClientIds": "a,b",
            "IssuanceLimitTime": "3",
        },
    )
    assert (out["OIDCProvider"]["ClientIds"], out["OIDCProvider"]["IssuanceLimitTime"]) == ("a,b", 3)


def test_sts_caller_comes_from_the_signer_not_the_parameters(cloud: FakeCloud) -> None:
    key = user_with_key(cloud, "alice")
    may_assume(cloud)
    cloud.ram.create_role(role_name="r", assume_role_policy_document=trust(user_arn("alice")))
    params = {"RoleArn": role_arn("r"), "RoleSessionName": "s1", "DurationSeconds": "900"}
    out = cloud.call("sts", "AssumeRole", params, caller_access_key_id=key)
    assert out["AssumedRoleUser"]["Arn"].endswith(":role/r/s1")
    with pytest.raises(CloudError) as info:
        cloud.call("sts", "AssumeRole", {**params, "CallerAccessKeyId": key})
    assert info.value.code == "MissingAccessKeyId"


@pytest.mark.parametrize(
    ("service", "action", "params", "code"),
    [
        ("ram", "CreateUsers", {}, "InvalidAction.NotFound"),
        ("ram", "CreateUser", {}, "MissingUserName"),
        ("ims", "CreateOIDCProvider", {"OIDCProviderName": "gh"}, "MissingIssuerUrl"),
        (
            "ram",
            "CreateRole",
            {"RoleName": "r", "AssumeRolePolicyDocument": "{}", "MaxSessionDuration": "1h"},
            "InvalidParameter.MaxSessionDuration",
        ),
        (
            "ram",
            "DeletePolicy",
            {"PolicyName": "p", "CascadingDelete": "yes"},
            "InvalidParameter.CascadingDelete",
        ),
        ("ram", "GetUser", {"UserName": "ghost"}, "EntityNotExist.User"),
    ],
)
def test_wire_errors(cloud: FakeCloud, service: str, action: str, params: dict[str, str], code: str) -> None:
    with pytest.raises(CloudError) as info:
        cloud.call(service, action, params)
    assert info.value.code == code


def test_unknown_service(cloud: FakeCloud) -> None:
    with pytest.raises(ValueError, match="unknown service"):
        cloud.call("ecs", "DescribeInstances")


def test_error_body(cloud: FakeCloud) -> None:
    with pytest.raises(CloudError) as info:
        cloud.call("ram", "GetUser", {"UserName": "ghost"})
    body = info.value.to_dict()
    assert body["Code"] == "EntityNotExist.User" and body["RequestId"] == cloud.calls[-1].request_id
    assert body["HostId"] == "ram.aliyuncs.com"

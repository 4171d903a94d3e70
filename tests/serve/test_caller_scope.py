"""What a call acts on and is authorised on: AccessKey operations without UserName act on the calling
RAM user (never on the account's own keys), and system policies are `acs:ram:*:system:policy/<name>`."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ramstack.serve.resources import required_permissions
from tests.serve.test_endpoint import ACCOUNT, Account


def _grant(account: Account, name: str, actions: list[str], resources: list[str]) -> None:
    statement = {"Effect": "Allow", "Action": actions, "Resource": resources}
    account.cloud.ram.create_policy(
        policy_name=name, policy_document=json.dumps({"Version": "1", "Statement": [statement]})
    )
    account.cloud.ram.attach_policy_to_user(policy_type="Custom", policy_name=name, user_name="app")


def _key_ids(account: Account, user_name: str | None = None) -> list[str]:
    listed = account.cloud.ram.list_access_keys(user_name=user_name)["AccessKeys"]["AccessKey"]
    return [k["AccessKeyId"] for k in listed]


@pytest.fixture
def account() -> Account:
    return Account()


def test_create_access_key_without_user_name_creates_the_callers_own_key(account: Account) -> None:
    _grant(account, "keys", ["ram:CreateAccessKey"], ["*"])
    root_keys = _key_ids(account)
    status, body = account.call("ram", "CreateAccessKey", {})
    assert status == 200, body
    new = (body["AccessKey"]["AccessKeyId"], body["AccessKey"]["AccessKeySecret"])
    assert new[0] in _key_ids(account, "app") and _key_ids(account) == root_keys
    me = account.call("sts", "GetCallerIdentity", key=new)[1]
    assert me["IdentityType"] == "RAMUser" and me["Arn"] == f"acs:ram::{ACCOUNT}:user/app"
    # The new key has app's rights, not the account owner's.
    assert account.call("ram", "CreateUser", {"UserName": "evil"}, key=new)[0] == 403


def test_key_operations_without_user_name_never_reach_the_account_keys(account: Account) -> None:
    _grant(account, "keys", ["ram:ListAccessKeys", "ram:UpdateAccessKey", "ram:DeleteAccessKey"], ["*"])
    status, body = account.call("ram", "ListAccessKeys", {})
    assert status == 200 and [k["AccessKeyId"] for k in body["AccessKeys"]["AccessKey"]] == [account.key_id]
    for action, params in (
        ("UpdateAccessKey", {"UserAccessKeyId": account.root[0], "Status": "Inactive"}),
        ("DeleteAccessKey", {"UserAccessKeyId": account.root[0]}),
    ):
        status, body = account.call("ram", action, params)
        assert (status, body["Code"]) == (404, "EntityNotExist.User.AccessKey")
    assert account.call("sts", "GetCallerIdentity", key=account.root)[0] == 200
    # Its own key, by id alone, it may disable.
    params = {"UserAccessKeyId": account.key_id, "Status": "Inactive"}
    assert account.call("ram", "UpdateAccessKey", params)[0] == 200
    assert account.call("sts", "GetCallerIdentity")[1]["Code"] == "InvalidAccessKeyId.Inactive"


def test_own_key_calls_are_authorised_on_the_callers_user_arn(account: Account) -> None:
    _grant(account, "other-keys", ["ram:CreateAccessKey"], [f"acs:ram:*:{ACCOUNT}:user/other"])
    status, body = account.call("ram", "CreateAccessKey", {})
    assert status == 403 and body["AccessDeniedDetail"]["AuthAction"] == "ram:CreateAccessKey"
    _grant(account, "own-keys", ["ram:CreateAccessKey"], [f"acs:ram:*:{ACCOUNT}:user/app"])
    assert account.call("ram", "CreateAccessKey", {})[0] == 200


def test_an_sts_session_must_name_the_user(account: Account) -> None:
    _grant(account, "keys", ["ram:*"], ["*"])
    account.cloud.ram.attach_policy_to_role(policy_type="Custom", policy_name="keys", role_name="reader")
    creds = account.assume("reader")
    key, token = (creds["AccessKeyId"], creds["AccessKeySecret"]), creds["SecurityToken"]
    before = _key_ids(account)
    status, body = account.call("ram", "CreateAccessKey", {}, key=key, token=token)
    assert (status, body["Code"]) == (400, "MissingUserName")
    assert _key_ids(account) == before


def test_in_process_calls_signed_by_a_user_act_on_that_user() -> None:
    account = Account()
    made = account.cloud.ram.create_access_key(caller_access_key_id=account.key_id)["AccessKey"]
    assert made["AccessKeyId"] in _key_ids(account, "app")
    # No signer named (the Pulumi provider's calls): the account's own keys, as before.
    root = account.cloud.ram.create_access_key()["AccessKey"]
    assert root["AccessKeyId"] in _key_ids(account)


def _attach_admin(account: Account, policy_type: str = "System", name: str = "AdministratorAccess") -> Any:
    params = {"PolicyType": policy_type, "PolicyName": name, "UserName": "app"}
    return account.call("ram", "AttachPolicyToUser", params)


def test_a_grant_on_the_accounts_policies_does_not_cover_system_policies(account: Account) -> None:
    _grant(
        account,
        "attach-custom",
        ["ram:AttachPolicyToUser"],
        [f"acs:ram:*:{ACCOUNT}:user/app", f"acs:ram:*:{ACCOUNT}:policy/*"],
    )
    status, body = _attach_admin(account)
    assert status == 403 and body["Code"] == "NoPermission"
    assert account.call("ram", "CreateUser", {"UserName": "x1"})[0] == 403
    # The account's own policies it may attach.
    assert _attach_admin(account, "Custom", "ram-read")[0] == 200


def test_a_grant_on_the_system_policy_arn_allows_attaching_it(account: Account) -> None:
    _grant(
        account,
        "attach-system",
        ["ram:AttachPolicyToUser"],
        [f"acs:ram:*:{ACCOUNT}:user/app", "acs:ram:*:system:policy/AliyunOSSReadOnlyAccess"],
    )
    assert _attach_admin(account, "System", "AliyunOSSReadOnlyAccess")[0] == 200
    assert _attach_admin(account)[0] == 403
    assert _attach_admin(account, "Custom", "ram-read")[0] == 403


def test_required_permissions_name_the_policy_by_its_type() -> None:
    from ramstack.policy.arn import policy_arn

    system = required_permissions(
        "ram", "GetPolicy", {"PolicyType": "System", "PolicyName": "AdministratorAccess"}, ACCOUNT
    )
    assert system == [("ram:GetPolicy", "acs:ram:*:system:policy/AdministratorAccess")]
    custom = required_permissions("ram", "DeletePolicy", {"PolicyName": "p"}, ACCOUNT)
    assert custom == [("ram:DeletePolicy", f"acs:ram:*:{ACCOUNT}:policy/p")]
    assert policy_arn(ACCOUNT, "System", "X") == "acs:ram::system:policy/X"
    own = required_permissions("ram", "ListAccessKeys", {}, ACCOUNT, caller_user="app")
    assert own == [("ram:ListAccessKeys", f"acs:ram:*:{ACCOUNT}:user/app")]

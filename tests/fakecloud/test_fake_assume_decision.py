"""AssumeRole decided as RAM does, always: identity policies AND trust policy, conditions evaluated."""

from __future__ import annotations

import json

import pytest

from ramstack.fakecloud import CloudError, FakeCloud

ACCOUNT = "1234567890123456"


def trust(user: str, *, mfa: bool = False) -> str:
    statement: dict[str, object] = {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:user/{user}"]},
    }
    if mfa:
        statement["Condition"] = {"Bool": {"acs:MFAPresent": "true"}}
    return json.dumps({"Version": "1", "Statement": [statement]})


def setup(cloud: FakeCloud, *, grant: str | None, mfa: bool = False) -> str:
    cloud.ram.create_user(user_name="bob")
    cloud.ram.create_role(role_name="app", assume_role_policy_document=trust("bob", mfa=mfa))
    if grant == "scoped":
        cloud.ram.create_policy(
            policy_name="assume-app",
            policy_document=json.dumps(
                {
                    "Version": "1",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Resource": f"acs:ram::{ACCOUNT}:role/app",
                        }
                    ],
                }
            ),
        )
        cloud.ram.attach_policy_to_user(policy_type="Custom", policy_name="assume-app", user_name="bob")
    elif grant == "system":
        cloud.ram.attach_policy_to_user(
            policy_type="System", policy_name="AliyunSTSAssumeRoleAccess", user_name="bob"
        )
    return str(cloud.ram.create_access_key(user_name="bob")["AccessKey"]["AccessKeyId"])


def assume(cloud: FakeCloud, key: str) -> dict[str, object]:
    return cloud.sts.assume_role(
        caller_access_key_id=key, role_arn=f"acs:ram::{ACCOUNT}:role/app", role_session_name="s1"
    )


@pytest.mark.parametrize("grant", ["scoped", "system"])
def test_trusted_caller_with_a_grant_may_assume(grant: str) -> None:
    cloud = FakeCloud()
    result = assume(cloud, setup(cloud, grant=grant))
    assert result["AssumedRoleUser"]["Arn"] == f"acs:ram::{ACCOUNT}:role/app/s1"  # type: ignore[index]


def test_trusted_caller_without_a_grant_is_refused() -> None:
    cloud = FakeCloud()
    key = setup(cloud, grant=None)
    with pytest.raises(CloudError) as raised:
        assume(cloud, key)
    assert raised.value.code == "NoPermission"


def test_mfa_condition_of_the_trust_policy_is_evaluated() -> None:
    cloud = FakeCloud()
    key = setup(cloud, grant="scoped", mfa=True)
    with pytest.raises(CloudError) as raised:
        assume(cloud, key)  # an AccessKey call carries acs:MFAPresent "false"
    assert raised.value.code == "NoPermission"


def test_a_group_grant_counts() -> None:
    cloud = FakeCloud()
    key = setup(cloud, grant=None)
    cloud.ram.create_group(group_name="ops")
    cloud.ram.add_user_to_group(user_name="bob", group_name="ops")
    cloud.ram.attach_policy_to_group(
        policy_type="System", policy_name="AliyunSTSAssumeRoleAccess", group_name="ops"
    )
    assert "Credentials" in assume(cloud, key)


def test_an_explicit_deny_in_the_identity_policies_wins() -> None:
    cloud = FakeCloud()
    key = setup(cloud, grant="system")
    deny = {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": f"acs:ram::{ACCOUNT}:role/app"}
    cloud.ram.create_policy(
        policy_name="no-app", policy_document=json.dumps({"Version": "1", "Statement": [deny]})
    )
    cloud.ram.attach_policy_to_user(policy_type="Custom", policy_name="no-app", user_name="bob")
    with pytest.raises(CloudError, match="NoPermission"):
        assume(cloud, key)


def test_the_session_policy_of_a_chained_caller_narrows_its_grant() -> None:
    cloud = FakeCloud()
    key = setup(cloud, grant="system")
    role_trust = json.dumps(
        {
            "Version": "1",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:role/app"]},
                }
            ],
        }
    )
    cloud.ram.create_role(role_name="next", assume_role_policy_document=role_trust)
    cloud.ram.attach_policy_to_role(
        policy_type="System", policy_name="AliyunSTSAssumeRoleAccess", role_name="app"
    )
    narrow = json.dumps(
        {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:GetObject", "Resource": "*"}]}
    )

    def chain(policy: str | None) -> dict[str, object]:
        first = cloud.sts.assume_role(
            caller_access_key_id=key,
            role_arn=f"acs:ram::{ACCOUNT}:role/app",
            role_session_name="s1",
            **({} if policy is None else {"policy": policy}),
        )
        return cloud.sts.assume_role(
            caller_access_key_id=str(first["Credentials"]["AccessKeyId"]),
            role_arn=f"acs:ram::{ACCOUNT}:role/next",
            role_session_name="s2",
        )

    assert "Credentials" in chain(None)
    with pytest.raises(CloudError, match="NoPermission"):
        chain(narrow)


def test_an_external_id_condition_of_the_trust_policy_is_evaluated() -> None:
    cloud = FakeCloud()
    key = setup(cloud, grant="system")
    statement = json.loads(trust("bob"))["Statement"][0]
    statement["Condition"] = {"StringEquals": {"sts:ExternalId": "abcd1234"}}
    cloud.ram.update_role(
        role_name="app",
        new_assume_role_policy_document=json.dumps({"Version": "1", "Statement": [statement]}),
    )
    arn = f"acs:ram::{ACCOUNT}:role/app"
    with pytest.raises(CloudError, match="NoPermission"):
        cloud.sts.assume_role(caller_access_key_id=key, role_arn=arn, role_session_name="s1")
    with pytest.raises(CloudError, match="NoPermission"):
        cloud.sts.assume_role(
            caller_access_key_id=key, role_arn=arn, role_session_name="s1", external_id="other-id"
        )
    assert "Credentials" in cloud.sts.assume_role(
        caller_access_key_id=key, role_arn=arn, role_session_name="s1", external_id="abcd1234"
    )

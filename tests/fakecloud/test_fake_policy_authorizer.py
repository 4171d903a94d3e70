"""AssumeRole decided as RAM does: identity policies AND trust policy, conditions evaluated."""

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
    cloud = FakeCloud.with_policy_evaluation()
    result = assume(cloud, setup(cloud, grant=grant))
    assert result["AssumedRoleUser"]["Arn"] == f"acs:ram::{ACCOUNT}:role/app/s1"  # type: ignore[index]


def test_trusted_caller_without_a_grant_is_refused() -> None:
    cloud = FakeCloud.with_policy_evaluation()
    key = setup(cloud, grant=None)
    with pytest.raises(CloudError) as raised:
        assume(cloud, key)
    assert raised.value.code == "NoPermission"


def test_mfa_condition_of_the_trust_policy_is_evaluated() -> None:
    cloud = FakeCloud.with_policy_evaluation()
    key = setup(cloud, grant="scoped", mfa=True)
    with pytest.raises(CloudError) as raised:
        assume(cloud, key)  # an AccessKey call carries acs:MFAPresent "false"
    assert raised.value.code == "NoPermission"


def test_the_default_fake_only_checks_trust_names() -> None:
    cloud = FakeCloud()
    assert "Credentials" in assume(cloud, setup(cloud, grant=None))

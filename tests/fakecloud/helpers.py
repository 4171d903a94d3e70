"""Document builders and shortcuts shared by the fake-cloud tests."""

from __future__ import annotations

import json
from typing import Any

from ramstack.fakecloud import DEFAULT_ACCOUNT_ID, FakeCloud

ACCOUNT = DEFAULT_ACCOUNT_ID


def user_arn(name: str, account: str = ACCOUNT) -> str:
    return f"acs:ram::{account}:user/{name}"


def role_arn(name: str, account: str = ACCOUNT) -> str:
    return f"acs:ram::{account}:role/{name}"


def root_arn(account: str = ACCOUNT) -> str:
    return f"acs:ram::{account}:root"


def trust(*ram: str, effect: str = "Allow", action: Any = "sts:AssumeRole", **principal: Any) -> str:
    """A trust policy with one statement; RAM principals positional, other principal kinds by keyword."""
    principals: dict[str, Any] = dict(principal)
    if ram:
        principals["RAM"] = list(ram)
    statement = {"Effect": effect, "Action": action, "Principal": principals}
    return json.dumps({"Version": "1", "Statement": [statement]})


def service_trust(service: str = "ecs.aliyuncs.com") -> str:
    return trust(Service=[service])


def permission(action: str = "oss:GetObject", resource: str = "*", effect: str = "Allow") -> str:
    return json.dumps(
        {"Version": "1", "Statement": [{"Effect": effect, "Action": action, "Resource": resource}]}
    )


def sized_permission(size: int) -> str:
    """A valid permission document of exactly `size` UTF-8 bytes (padding inside the Resource)."""
    base = permission(resource="acs:oss:*:*:b/")
    pad = size - len(base.encode())
    assert pad >= 0
    return permission(resource="acs:oss:*:*:b/" + "x" * pad)


def user_with_key(cloud: FakeCloud, name: str = "alice") -> str:
    """Create a user with an access key; return the AccessKeyId."""
    cloud.ram.create_user(user_name=name)
    return str(cloud.ram.create_access_key(user_name=name)["AccessKey"]["AccessKeyId"])


def root_key(cloud: FakeCloud) -> str:
    return str(cloud.ram.create_access_key()["AccessKey"]["AccessKeyId"])


def may_assume(cloud: FakeCloud, principal: str = "user/alice") -> None:
    """Grant `user/NAME` or `role/NAME` sts:AssumeRole on any role (AliyunSTSAssumeRoleAccess): the
    identity half of RAM's AssumeRole decision, which the fake always checks."""
    kind, _, name = principal.partition("/")
    attach = cloud.ram.attach_policy_to_user if kind == "user" else cloud.ram.attach_policy_to_role
    attach(policy_type="System", policy_name="AliyunSTSAssumeRoleAccess", **{f"{kind}_name": name})

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from ramstack.account.transport import FakeCloudTransport
from ramstack.fakecloud import DEFAULT_SYSTEM_POLICIES, FakeCloud
from ramstack.spec.catalog import system_policy_names

ACCOUNT = "1234567890123456"
ISSUER = "https://token.actions.githubusercontent.com"


def new_cloud() -> FakeCloud:
    return FakeCloud(account_id=ACCOUNT, system_policies=DEFAULT_SYSTEM_POLICIES | system_policy_names())


def console_account() -> FakeCloud:
    """An account made by hand through the RAM and IMS APIs, as the console makes it: documents with
    the console's whitespace and scalar Action/Resource, a policy with a second default version."""
    cloud = new_cloud()

    def ram(action: str, **params: Any) -> dict[str, Any]:
        return cloud.call("ram", action, params)

    ram("CreateUser", UserName="app", DisplayName="Application", Comments="hands out STS tokens")
    ram("CreateAccessKey", UserName="app")
    ram("CreateUser", UserName="bob", DisplayName="Bob", Email="bob@example.com")
    ram("CreateLoginProfile", UserName="bob", Password="Hand-Made-1234", MFABindRequired=True)
    ram("CreateGroup", GroupName="readers", Comments="read-only people")
    ram("AddUserToGroup", GroupName="readers", UserName="bob")
    ram("AttachPolicyToGroup", GroupName="readers", PolicyType="System", PolicyName="AliyunOSSReadOnlyAccess")
    cloud.call(
        "ims",
        "CreateOIDCProvider",
        {"OIDCProviderName": "github", "IssuerUrl": ISSUER, "ClientIds": "sts.aliyuncs.com"},
    )
    ram(
        "CreatePolicy",
        PolicyName="oss-upload",
        Description="upload to one bucket",
        PolicyDocument=json.dumps(
            {
                "Version": "1",
                "Statement": [
                    {"Effect": "Allow", "Action": "oss:PutObject", "Resource": "acs:oss:*:*:media/*"}
                ],
            },
            indent=4,
        ),
    )
    ram(
        "CreatePolicyVersion",
        PolicyName="oss-upload",
        SetAsDefault=True,
        PolicyDocument=json.dumps(
            {
                "Statement": [
                    {
                        "Action": ["oss:PutObject", "oss:GetObject"],
                        "Resource": ["acs:oss:*:*:media/*"],
                        "Effect": "Allow",
                    }
                ],
                "Version": "1",
            }
        ),
    )
    ram(
        "CreatePolicy",
        PolicyName="assume-uploader",
        PolicyDocument=json.dumps(
            {
                "Version": "1",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Resource": f"acs:ram::{ACCOUNT}:role/uploader",
                    }
                ],
            }
        ),
    )
    ram(
        "CreateRole",
        RoleName="uploader",
        Description="STS role of the app",
        MaxSessionDuration=7200,
        AssumeRolePolicyDocument=json.dumps(
            {
                "Statement": [
                    {
                        "Action": "sts:AssumeRole",
                        "Effect": "Allow",
                        "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:user/app"]},
                    }
                ],
                "Version": "1",
            },
            indent=2,
        ),
    )
    ram("AttachPolicyToRole", RoleName="uploader", PolicyType="Custom", PolicyName="oss-upload")
    ram("AttachPolicyToUser", UserName="app", PolicyType="Custom", PolicyName="assume-uploader")
    ram(
        "CreateRole",
        RoleName="deployer",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "1",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Principal": {"Federated": [f"acs:ram::{ACCOUNT}:oidc-provider/github"]},
                        "Condition": {
                            "StringEquals": {
                                "oidc:iss": ISSUER,
                                "oidc:aud": "sts.aliyuncs.com",
                                "oidc:sub": "repo:acme/infra:ref:refs/heads/main",
                            }
                        },
                    }
                ],
            }
        ),
    )
    ram("AttachPolicyToRole", RoleName="deployer", PolicyType="System", PolicyName="AliyunVODFullAccess")
    # A trust the spec's trust: cannot say: RAM and Service principals in one statement, with a Deny.
    ram(
        "CreateRole",
        RoleName="mixed",
        AssumeRolePolicyDocument=json.dumps(
            {
                "Version": "1",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:root"], "Service": ["ecs.aliyuncs.com"]},
                    },
                    {
                        "Effect": "Deny",
                        "Action": "sts:AssumeRole",
                        "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:user/bob"]},
                    },
                ],
            }
        ),
    )
    return cloud


@pytest.fixture
def console() -> FakeCloud:
    return console_account()


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # The SDK applies proxies even to 127.0.0.1 (live-sdk.md §3), and must never ask ECS metadata.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ALIBABA_CLOUD_ECS_METADATA_DISABLED", "true")


class PagingTransport(FakeCloudTransport):
    """The fake answers lists in one page; this one pages them as RAM does (Marker, IsTruncated)
    and records the markers it was sent."""

    def __init__(self, cloud: FakeCloud, page: int = 1) -> None:
        super().__init__(cloud)
        self.page = page
        self.markers: list[str] = []

    def call(self, service: str, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
        response = super().call(
            service, action, {k: v for k, v in params.items() if k not in ("Marker", "MaxItems")}
        )
        if "IsTruncated" not in response:
            return response
        (wrapper,) = [k for k, v in response.items() if isinstance(v, dict)]
        (item,) = response[wrapper]
        everything = response[wrapper][item]
        marker = params.get("Marker")
        if marker:
            self.markers.append(str(marker))
        start = int(str(marker).removeprefix("page-")) if marker else 0
        chunk = everything[start : start + self.page]
        out = {**response, wrapper: {item: chunk}, "IsTruncated": start + self.page < len(everything)}
        if out["IsTruncated"]:
            out["Marker"] = f"page-{start + self.page}"
        return out

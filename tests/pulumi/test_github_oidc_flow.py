"""The GitHub deploy flow end to end: `pulumi up` of examples/github-deploy on the fake, then a
workflow's OIDC token assumes the `github:` role through AssumeRoleWithOIDC, as
aliyun/configure-aliyun-credentials-action does; tokens of other repositories or branches fail."""

from __future__ import annotations

from typing import Any

import pytest

from ramstack.fakecloud import CloudError, FakeCloud, ManualClock

from .conftest import ROOT, RunStack

ISSUER = "https://token.actions.githubusercontent.com"
ACCOUNT = "1234567890123456"
REPO = "example-org/access-infra"


def _assume(cloud: FakeCloud, clock: ManualClock, sub: str, aud: str = "sts.aliyuncs.com") -> dict[str, Any]:
    now = int(clock().timestamp())
    # Signed by the fake's stand-in for GitHub's key, which the fake's STS trusts for this issuer.
    token = cloud.oidc_issuer(ISSUER).mint({"aud": aud, "sub": sub, "iat": now, "exp": now + 600})
    # The wire call the credentials SDK sends, unsigned (live-sdk.md capture C7).
    return cloud.call(
        "sts",
        "AssumeRoleWithOIDC",
        {
            "RoleArn": f"acs:ram::{ACCOUNT}:role/ci-deployer",
            "OIDCProviderArn": f"acs:ram::{ACCOUNT}:oidc-provider/github",
            "OIDCToken": token,
            "RoleSessionName": "github-action-session",
            "DurationSeconds": "1800",
        },
    )


@pytest.fixture
def deployed(run_stack: RunStack) -> tuple[FakeCloud, ManualClock]:
    clock = ManualClock()
    cloud = FakeCloud(clock=clock)
    run_stack(ROOT / "examples" / "github-deploy", "example", cloud=cloud)
    assert "ci-deployer" in {r["RoleName"] for r in cloud.snapshot()["Roles"]}
    return cloud, clock


def test_a_workflow_on_main_assumes_the_deploy_role(deployed: tuple[FakeCloud, ManualClock]) -> None:
    cloud, clock = deployed
    out = _assume(cloud, clock, f"repo:{REPO}:ref:refs/heads/main")
    assert out["AssumedRoleUser"]["Arn"] == f"acs:ram::{ACCOUNT}:role/ci-deployer/github-action-session"
    assert out["Credentials"]["Expiration"] == "2025-01-01T00:30:00Z"
    me = cloud.sts.get_caller_identity(caller_access_key_id=out["Credentials"]["AccessKeyId"])
    assert me["IdentityType"] == "AssumedRoleUser"


@pytest.mark.parametrize(
    ("sub", "aud", "code"),
    [
        (
            "repo:example-org/other-repo:ref:refs/heads/main",
            "sts.aliyuncs.com",
            "AuthenticationFail.NoPermission",
        ),
        (f"repo:{REPO}:ref:refs/heads/feature", "sts.aliyuncs.com", "AuthenticationFail.NoPermission"),
        (f"repo:{REPO}:pull_request", "sts.aliyuncs.com", "AuthenticationFail.NoPermission"),
        (f"repo:{REPO}:environment:production", "sts.aliyuncs.com", "AuthenticationFail.NoPermission"),
        (
            f"repo:{REPO}:ref:refs/heads/main",
            "https://github.com/example-org",
            "AuthenticationFail.OIDCToken.AudienceNotMatch",
        ),
    ],
    ids=["other-repository", "other-branch", "pull-request", "environment", "default-audience"],
)
def test_other_workflows_are_refused(
    deployed: tuple[FakeCloud, ManualClock], sub: str, aud: str, code: str
) -> None:
    cloud, clock = deployed
    with pytest.raises(CloudError) as raised:
        _assume(cloud, clock, sub, aud)
    assert raised.value.code == code

"""IMS OIDC providers."""

from __future__ import annotations

import pytest

from ramstack.fakecloud import CloudError, FakeCloud

from .helpers import ACCOUNT

GITHUB = "https://token.actions.githubusercontent.com"


def test_oidc_provider_lifecycle(cloud: FakeCloud) -> None:
    created = cloud.ims.create_oidc_provider(
        oidc_provider_name="github",
        issuer_url=GITHUB,
        client_ids="sts.aliyuncs.com, sts.cn-hangzhou.aliyuncs.com",
        fingerprints=["6938fd4d98bab03faadb97b34396831e3780aea1"],
        issuance_limit_time=12,
        description="GitHub Actions",
    )["OIDCProvider"]
    assert created["Arn"] == f"acs:ram::{ACCOUNT}:oidc-provider/github"
    assert created["ClientIds"] == "sts.aliyuncs.com,sts.cn-hangzhou.aliyuncs.com"
    assert created["Fingerprints"] == "6938fd4d98bab03faadb97b34396831e3780aea1"
    assert (created["IssuanceLimitTime"], created["AccountId"]) == (12, ACCOUNT)
    assert cloud.ims.get_oidc_provider(oidc_provider_name="github")["OIDCProvider"] == created
    updated = cloud.ims.update_oidc_provider(
        oidc_provider_name="github",
        client_ids=["sts.aliyuncs.com"],
        issuance_limit_time=1,
        new_description="x",
    )["OIDCProvider"]
    assert (updated["ClientIds"], updated["IssuanceLimitTime"], updated["Description"]) == (
        "sts.aliyuncs.com",
        1,
        "x",
    )
    listed = cloud.ims.list_oidc_providers()["OIDCProviders"]["OIDCProvider"]
    assert [p["OIDCProviderName"] for p in listed] == ["github"]
    cloud.ims.delete_oidc_provider(oidc_provider_name="github")
    with pytest.raises(CloudError, match=r"EntityNotExist\.OIDCProvider"):
        cloud.ims.get_oidc_provider(oidc_provider_name="github")


def test_minimal_provider(cloud: FakeCloud) -> None:
    created = cloud.ims.create_oidc_provider(
        oidc_provider_name="a.b-c_d", issuer_url="https://issuer.example/path"
    )
    assert created["OIDCProvider"]["ClientIds"] == ""


@pytest.mark.parametrize(
    "url", ["https://", "https://a.example#frag", "https://user@a.example", "https://" + "a" * 250]
)
def test_bad_issuer_urls(cloud: FakeCloud, url: str) -> None:
    with pytest.raises(CloudError) as info:
        cloud.ims.create_oidc_provider(oidc_provider_name="gh", issuer_url=url)
    assert info.value.code == "InvalidParameter.IssuerUrl"


def test_update_validates_issuance_limit(cloud: FakeCloud) -> None:
    cloud.ims.create_oidc_provider(oidc_provider_name="gh", issuer_url=GITHUB)
    with pytest.raises(CloudError, match=r"InvalidParameter\.IssuanceLimitTime"):
        cloud.ims.update_oidc_provider(oidc_provider_name="gh", issuance_limit_time=0)


def test_provider_can_be_recreated_after_delete(cloud: FakeCloud) -> None:
    cloud.ims.create_oidc_provider(oidc_provider_name="gh", issuer_url=GITHUB)
    cloud.ims.delete_oidc_provider(oidc_provider_name="gh")
    cloud.ims.create_oidc_provider(oidc_provider_name="gh", issuer_url=GITHUB)

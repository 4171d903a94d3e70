"""Components on their own: type tokens, parenting, and the refusals that keep them least-privilege."""

from __future__ import annotations

from dataclasses import replace

import pulumi
import pytest

from ramstack.components.assume_grant import ScopedAssumeGrant
from ramstack.components.custom_policy import RamCustomPolicy
from ramstack.components.github_deploy_role import check_github_scope
from ramstack.components.mock_cloud import FakeCloudMocks
from ramstack.components.mock_runtime import mock_runtime
from ramstack.components.oidc_provider import RamOidcProvider
from ramstack.policy.validate import parse_policy_dict
from ramstack.spec.model import CustomPolicy, GithubTrust, OidcProvider, Role, Trust
from ramstack.spec.trust import trust_policy_dict

ACCOUNT = "1234567890123456"
PROVIDER = OidcProvider("github", "https://token.actions.githubusercontent.com", ("sts.aliyuncs.com",))


def deploy_role(github: GithubTrust) -> Role:
    document = parse_policy_dict(trust_policy_dict(Trust(), github, ACCOUNT, {"github": PROVIDER}), "trust")
    return Role("ci-deployer", Trust(), document, github=github)


def test_github_role_needs_exactly_one_scope() -> None:
    check_github_scope(deploy_role(GithubTrust("github", "org/repo", branch="main")))
    check_github_scope(deploy_role(GithubTrust("github", "org/repo", environment="prod")))
    with pytest.raises(ValueError, match="exactly one of branch or environment"):
        check_github_scope(deploy_role(GithubTrust("github", "org/repo")))
    with pytest.raises(ValueError, match="exactly one of branch or environment"):
        check_github_scope(deploy_role(GithubTrust("github", "org/repo", branch="main", environment="prod")))


def test_github_role_refuses_a_trust_without_oidc_conditions() -> None:
    role = deploy_role(GithubTrust("github", "org/repo", branch="main"))
    bare = parse_policy_dict(
        {
            "Version": "1",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"Federated": f"acs:ram::{ACCOUNT}:oidc-provider/github"},
                    "Condition": {"StringEquals": {"oidc:iss": PROVIDER.issuer_url}},
                }
            ],
        },
        "trust",
    )
    with pytest.raises(ValueError, match="oidc:aud, oidc:sub"):
        check_github_scope(replace(role, trust_document=bare))


def grant(resources: list[str]) -> CustomPolicy:
    document = parse_policy_dict(
        {
            "Version": "1",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": resources}],
        },
        "permission",
    )
    return CustomPolicy("ramstack-assume-user-app", document, generated_for="user/app")


@pytest.mark.parametrize("resources", [["*"], [f"acs:ram::{ACCOUNT}:role/*"]])
def test_scoped_grant_refuses_wildcards(resources: list[str]) -> None:
    with mock_runtime(FakeCloudMocks()), pytest.raises(ValueError, match="named roles only"):
        ScopedAssumeGrant("g", grant(resources), principal_name="app", roles=[])


def test_components_have_their_token_and_parent_their_children() -> None:
    mocks = FakeCloudMocks()
    policy = CustomPolicy(
        "app-read",
        parse_policy_dict(
            {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:GetObject", "Resource": "*"}]},
            "permission",
        ),
    )
    with mock_runtime(mocks) as monitor:

        @pulumi.runtime.test
        def build() -> None:
            RamCustomPolicy("app-read", policy)
            RamOidcProvider("github", PROVIDER)

        build()
    urns = sorted(r.urn for r in monitor.registrations)
    assert urns == sorted(
        [
            "urn:pulumi:dev::ramstack::pulumi:pulumi:Stack$ramstack:ram:CustomPolicy::app-read",
            "urn:pulumi:dev::ramstack::ramstack:ram:CustomPolicy$alicloud:ram/policy:Policy::app-read",
            "urn:pulumi:dev::ramstack::pulumi:pulumi:Stack$ramstack:ims:OidcProvider::github",
            "urn:pulumi:dev::ramstack::ramstack:ims:OidcProvider$alicloud:ims/oidcProvider:OidcProvider::github",
        ]
    )
    assert (
        mocks.cloud.ram.get_policy(policy_name="app-read", policy_type="Custom")["Policy"]["PolicyName"]
        == "app-read"
    )

"""STS AssumeRoleWithOIDC and AssumeRoleWithSAML: the IdP, the token or assertion, and the trust."""

from __future__ import annotations

import functools
import json
from datetime import timedelta
from typing import Any

import pytest

from ramstack.fakecloud import CloudError, FakeCloud, ManualClock
from ramstack.fakecloud.oidc_issuer import OidcIssuer
from ramstack.fakecloud.oidc_token import make_token
from ramstack.fakecloud.saml_assertion import make_metadata, make_response

from .helpers import ACCOUNT, role_arn

ISSUER = "https://token.actions.githubusercontent.com"
PROVIDER_ARN = f"acs:ram::{ACCOUNT}:oidc-provider/github"
SUBJECT = "repo:my-org/infra:ref:refs/heads/main"
SAML_ISSUER = "https://idp.example.com/saml"
SAML_PROVIDER_ARN = f"acs:ram::{ACCOUNT}:saml-provider/corp"


def oidc_trust(sub: str = SUBJECT, operator: str = "StringEquals") -> str:
    condition = {
        "StringEquals": {"oidc:iss": ISSUER, "oidc:aud": "sts.aliyuncs.com"},
        operator: {"oidc:sub": sub},
    }
    if operator == "StringEquals":
        condition = {"StringEquals": {"oidc:iss": ISSUER, "oidc:aud": "sts.aliyuncs.com", "oidc:sub": sub}}
    statement = {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Principal": {"Federated": [PROVIDER_ARN]},
        "Condition": condition,
    }
    return json.dumps({"Version": "1", "Statement": [statement]})


@functools.cache
def issuer() -> OidcIssuer:
    """GitHub's stand-in: one key for the module (generating one per test is slow)."""
    return OidcIssuer.generate(ISSUER)


@pytest.fixture
def oidc_cloud(clock: ManualClock) -> FakeCloud:
    cloud = FakeCloud(clock=clock)
    cloud.trust_oidc_keys(ISSUER, {"keys": [issuer().public_key.to_jwk()]})  # the issuer's JWKS
    cloud.ims.create_oidc_provider(
        oidc_provider_name="github", issuer_url=ISSUER, client_ids="sts.aliyuncs.com", issuance_limit_time=1
    )
    cloud.ram.create_role(role_name="ci", assume_role_policy_document=oidc_trust())
    return cloud


def token(clock: ManualClock, **claims: Any) -> str:
    now = int(clock().timestamp())
    base: dict[str, Any] = {
        "iss": ISSUER,
        "aud": "sts.aliyuncs.com",
        "sub": SUBJECT,
        "iat": now,
        "exp": now + 300,
    }
    return issuer().mint({**base, **claims})


def with_oidc(cloud: FakeCloud, oidc_token: str, **kw: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "oidc_provider_arn": PROVIDER_ARN,
        "role_arn": role_arn("ci"),
        "oidc_token": oidc_token,
        "role_session_name": "gha-run-1",
        **kw,
    }
    return cloud.sts.assume_role_with_oidc(**params)


def test_a_matching_token_assumes_the_role(clock: ManualClock, oidc_cloud: FakeCloud) -> None:
    out = with_oidc(oidc_cloud, token(clock), duration_seconds=900)
    assert out["AssumedRoleUser"]["Arn"] == f"acs:ram::{ACCOUNT}:role/ci/gha-run-1"
    assert out["Credentials"]["Expiration"] == "2025-01-01T00:15:00Z"
    assert out["OIDCTokenInfo"] == {
        "Subject": SUBJECT,
        "Issuer": ISSUER,
        "ClientIds": "sts.aliyuncs.com",
        "IssuanceTime": "2025-01-01T00:00:00Z",
        "ExpirationTime": "2025-01-01T00:05:00Z",
        "VerificationInfo": "Success",
    }
    me = oidc_cloud.sts.get_caller_identity(caller_access_key_id=out["Credentials"]["AccessKeyId"])
    assert (me["IdentityType"], me["Arn"]) == ("AssumedRoleUser", out["AssumedRoleUser"]["Arn"])


def test_the_unsigned_wire_call_works(clock: ManualClock, oidc_cloud: FakeCloud) -> None:
    out = oidc_cloud.call(
        "sts",
        "AssumeRoleWithOIDC",
        {
            "OIDCProviderArn": PROVIDER_ARN,
            "RoleArn": role_arn("ci"),
            "OIDCToken": token(clock),
            "RoleSessionName": "gha-run-1",
            "DurationSeconds": "3600",
        },
    )
    assert out["Credentials"]["AccessKeyId"].startswith("STS.")


@pytest.mark.parametrize(
    ("claims", "code"),
    [
        ({"sub": "repo:other-org/infra:ref:refs/heads/main"}, "AuthenticationFail.NoPermission"),
        ({"sub": "repo:my-org/infra:ref:refs/heads/feature"}, "AuthenticationFail.NoPermission"),
        ({"aud": "someone-else"}, "AuthenticationFail.OIDCToken.AudienceNotMatch"),
        ({"iss": "https://evil.example.com"}, "AuthenticationFail.OIDCToken.Invalid"),
        ({"exp": 1735689600}, "AuthenticationFail.OIDCToken.Expired"),  # exactly now
        ({"iat": 1735689600 - 3601}, "AuthenticationFail.OIDCToken.Expired"),  # beyond IssuanceLimitTime
        ({"exp": "soon"}, "AuthenticationFail.OIDCToken.Invalid"),
        ({"exp": 10**30}, "AuthenticationFail.OIDCToken.Invalid"),
        ({"iat": -1}, "AuthenticationFail.OIDCToken.Invalid"),
    ],
    ids=[
        "other-repo",
        "other-branch",
        "audience",
        "issuer",
        "expired",
        "issued-too-early",
        "bad-exp",
        "huge-exp",
        "negative-iat",
    ],
)
def test_tokens_that_do_not_match_are_refused(
    clock: ManualClock, oidc_cloud: FakeCloud, claims: dict[str, Any], code: str
) -> None:
    with pytest.raises(CloudError) as raised:
        with_oidc(oidc_cloud, token(clock, **claims))
    assert (raised.value.code, raised.value.http_status) == (code, 401)
    assert not oidc_cloud.snapshot()["Sessions"]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "can not empty"),
        ("abcd.efgh", "3 parts"),
        ("e30.e30.sig.x", "3 parts"),
        ("!!!.e30.sig", "base64"),
        (make_token({"iss": ISSUER}, algorithm="HS256"), "HS256"),
        (make_token({"iss": ISSUER}, algorithm="none"), "none"),
    ],
)
def test_malformed_tokens(oidc_cloud: FakeCloud, raw: str | None, message: str) -> None:
    with pytest.raises(CloudError, match=message) as raised:
        with_oidc(oidc_cloud, raw)  # type: ignore[arg-type]
    assert raised.value.code == "AuthenticationFail.OIDCToken.Invalid"


def test_unknown_provider_and_role(clock: ManualClock, oidc_cloud: FakeCloud) -> None:
    for arn in (f"acs:ram::{ACCOUNT}:oidc-provider/gitlab", "acs:ram::9999999999999999:oidc-provider/github"):
        with pytest.raises(CloudError, match="No such OIDC Provider") as raised:
            with_oidc(oidc_cloud, token(clock), oidc_provider_arn=arn)
        assert raised.value.code == "AuthenticationFail.NoPermission"
    with pytest.raises(CloudError) as missing:
        with_oidc(oidc_cloud, token(clock), role_arn=role_arn("ghost"))
    assert missing.value.code == "EntityNotExist.Role"


def test_session_policy_and_duration_are_checked(clock: ManualClock, oidc_cloud: FakeCloud) -> None:
    with pytest.raises(CloudError, match=r"InvalidParameter\.DurationSeconds"):
        with_oidc(oidc_cloud, token(clock), duration_seconds=3601)
    with pytest.raises(CloudError, match=r"InvalidParameter\.PolicyGrammar"):
        with_oidc(oidc_cloud, token(clock), policy="{")
    with pytest.raises(CloudError, match=r"InvalidParameter\.RoleSessionName"):
        with_oidc(oidc_cloud, token(clock), role_session_name="a b")


def test_a_role_trusting_ram_users_is_not_assumable_with_oidc(
    clock: ManualClock, oidc_cloud: FakeCloud
) -> None:
    trust = {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:root"]},
    }
    oidc_cloud.ram.create_role(
        role_name="users-only", assume_role_policy_document=json.dumps({"Version": "1", "Statement": [trust]})
    )
    with pytest.raises(CloudError, match=r"AuthenticationFail\.NoPermission"):
        with_oidc(oidc_cloud, token(clock), role_arn=role_arn("users-only"))


def test_string_like_subjects(clock: ManualClock, oidc_cloud: FakeCloud) -> None:
    oidc_cloud.ram.update_role(
        role_name="ci", new_assume_role_policy_document=oidc_trust("repo:my-org/infra:*", "StringLike")
    )
    assert "Credentials" in with_oidc(oidc_cloud, token(clock, sub="repo:my-org/infra:pull_request"))
    with pytest.raises(CloudError, match=r"AuthenticationFail\.NoPermission"):
        with_oidc(oidc_cloud, token(clock, sub="repo:my-org/infra2:pull_request"))


# --- SAML -------------------------------------------------------------------------------------------


def saml_trust() -> str:
    statement = {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Principal": {"Federated": [SAML_PROVIDER_ARN]},
        "Condition": {"StringEquals": {"saml:recipient": "https://signin.aliyun.com/saml-role/sso"}},
    }
    return json.dumps({"Version": "1", "Statement": [statement]})


@pytest.fixture
def saml_cloud(clock: ManualClock) -> FakeCloud:
    cloud = FakeCloud(clock=clock)
    cloud.ims.create_saml_provider(
        saml_provider_name="corp", encoded_saml_metadata_document=make_metadata(SAML_ISSUER)
    )
    cloud.ram.create_role(role_name="sso-admin", assume_role_policy_document=saml_trust())
    return cloud


def assertion(clock: ManualClock, **kw: Any) -> str:
    args: dict[str, Any] = {
        "issuer": SAML_ISSUER,
        "roles": [(role_arn("sso-admin"), SAML_PROVIDER_ARN)],
        "role_session_name": "alice@example.com",
        "not_on_or_after": clock() + timedelta(minutes=5),
        **kw,
    }
    return make_response(**args)


def with_saml(cloud: FakeCloud, saml_assertion: str | None, **kw: Any) -> dict[str, Any]:
    params = {"saml_provider_arn": SAML_PROVIDER_ARN, "role_arn": role_arn("sso-admin"), **kw}
    return cloud.sts.assume_role_with_saml(saml_assertion=saml_assertion, **params)


def test_a_valid_assertion_assumes_the_role(clock: ManualClock, saml_cloud: FakeCloud) -> None:
    out = with_saml(saml_cloud, assertion(clock))
    assert out["AssumedRoleUser"]["Arn"] == f"acs:ram::{ACCOUNT}:role/sso-admin/alice@example.com"
    assert out["SAMLAssertionInfo"] == {
        "SubjectType": "persistent",
        "Subject": "alice@example.com",
        "Recipient": "https://signin.aliyun.com/saml-role/sso",
        "Issuer": SAML_ISSUER,
    }
    wire = saml_cloud.call(
        "sts",
        "AssumeRoleWithSAML",
        {
            "SAMLProviderArn": SAML_PROVIDER_ARN,
            "RoleArn": role_arn("sso-admin"),
            "SAMLAssertion": assertion(clock),
        },
    )
    assert wire["Credentials"]["AccessKeyId"].startswith("STS.")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"issuer": "https://other-idp.example.com"}, "AuthenticationFail.SAMLAssertion.Invalid"),
        ({"recipient": "https://attacker.example.com/acs"}, "AuthenticationFail.SAMLAssertion.Invalid"),
        ({"audience": "urn:other"}, "AuthenticationFail.SAMLAssertion.Invalid"),
        ({"signed": False}, "AuthenticationFail.SAMLAssertion.Invalid"),
        ({"role_session_name": "a"}, "AuthenticationFail.SAMLAssertion.Invalid"),
        ({"roles": [(role_arn("other"), SAML_PROVIDER_ARN)]}, "AuthenticationFail.SAMLAssertion.Invalid"),
        ({"not_on_or_after": ManualClock()()}, "AuthenticationFail.SAMLAssertion.Expired"),
    ],
    ids=["issuer", "recipient", "audience", "unsigned", "session-name", "role-not-listed", "expired"],
)
def test_assertions_that_do_not_match_are_refused(
    clock: ManualClock, saml_cloud: FakeCloud, change: dict[str, Any], code: str
) -> None:
    with pytest.raises(CloudError) as raised:
        with_saml(saml_cloud, assertion(clock, **change))
    assert (raised.value.code, raised.value.http_status) == (code, 401)


def test_saml_request_errors(clock: ManualClock, saml_cloud: FakeCloud) -> None:
    with pytest.raises(CloudError, match=r"MissingParameter\.SAMLAssertion"):
        with_saml(saml_cloud, None)
    with pytest.raises(CloudError, match=r"EntityNotExist\.SAMLProvider"):
        with_saml(saml_cloud, assertion(clock), saml_provider_arn=f"acs:ram::{ACCOUNT}:saml-provider/x")
    with pytest.raises(CloudError, match=r"EntityNotExist\.RoleArn"):
        with_saml(saml_cloud, assertion(clock), role_arn=role_arn("ghost"))
    with pytest.raises(CloudError, match=r"AuthenticationFail\.SAMLAssertion\.Invalid"):
        with_saml(saml_cloud, "not base64 at all!")
    doctype = __import__("base64").b64encode(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>').decode()
    with pytest.raises(CloudError, match=r"AuthenticationFail\.SAMLAssertion\.Invalid"):
        with_saml(saml_cloud, doctype)


def test_saml_trust_is_evaluated(clock: ManualClock, saml_cloud: FakeCloud) -> None:
    statement = json.loads(saml_trust())["Statement"][0]
    statement["Condition"] = {
        "StringEquals": {"saml:recipient": "https://signin.alibabacloud.com/saml-role/sso"}
    }
    saml_cloud.ram.update_role(
        role_name="sso-admin",
        new_assume_role_policy_document=json.dumps({"Version": "1", "Statement": [statement]}),
    )
    with pytest.raises(CloudError, match=r"AuthenticationFail\.NoPermission"):
        with_saml(saml_cloud, assertion(clock))


def test_saml_providers_in_ims(saml_cloud: FakeCloud) -> None:
    listed = saml_cloud.ims.list_saml_providers()["SAMLProviders"]["SAMLProvider"]
    assert [(p["SAMLProviderName"], p["Arn"]) for p in listed] == [("corp", SAML_PROVIDER_ARN)]
    with pytest.raises(CloudError, match=r"EntityAlreadyExists\.SAMLProvider"):
        saml_cloud.ims.create_saml_provider(
            saml_provider_name="corp", encoded_saml_metadata_document=make_metadata(SAML_ISSUER)
        )
    with pytest.raises(CloudError, match=r"InvalidParameter\.EncodedSAMLMetadataDocument"):
        saml_cloud.ims.create_saml_provider(saml_provider_name="x", encoded_saml_metadata_document="bm9wZQ==")
    with pytest.raises(CloudError, match=r"InvalidParameter\.SAMLProviderName"):
        saml_cloud.ims.create_saml_provider(
            saml_provider_name="-x", encoded_saml_metadata_document=make_metadata(SAML_ISSUER)
        )
    # a trust policy may name it only while it exists
    saml_cloud.ims.delete_saml_provider(saml_provider_name="corp")
    with pytest.raises(CloudError, match=r"InvalidParameter\.AssumeRolePolicyDocument"):
        saml_cloud.ram.create_role(role_name="again", assume_role_policy_document=saml_trust())

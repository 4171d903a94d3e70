from __future__ import annotations

from typing import Any

import pytest

from ramstack.account.trust_import import trust_from_document
from ramstack.spec.model import OidcProvider, OidcTrust, Trust
from ramstack.spec.trust import trust_policy_dict
from tests.account.conftest import ACCOUNT, ISSUER

PROVIDERS = {"github": OidcProvider("github", ISSUER, ("sts.aliyuncs.com",))}


@pytest.mark.parametrize(
    "trust",
    [
        Trust(users=("app",)),
        Trust(users=("app",), roles=("ops",), accounts=("9876543210987654",), require_mfa=True),
        Trust(arns=("acs:ram::9876543210987654:role/other",), services=("ecs.aliyuncs.com",)),
        Trust(oidc=(OidcTrust("github", ("sts.aliyuncs.com",), ("repo:a/b:ref:refs/heads/*",)),)),
    ],
)
def test_every_trust_the_spec_writes_is_recovered(trust: Trust) -> None:
    document = trust_policy_dict(trust, None, ACCOUNT, PROVIDERS)
    assert trust_from_document(document, ACCOUNT, {"app"}, {"ops"}, PROVIDERS) == trust


def _ram(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "1", "Statement": list(statements)}


ALLOW = {
    "Effect": "Allow",
    "Action": "sts:AssumeRole",
    "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:user/app"]},
}


@pytest.mark.parametrize(
    "document",
    [
        _ram(ALLOW, {**ALLOW, "Effect": "Deny"}),
        _ram({**ALLOW, "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}}),
        _ram({**ALLOW, "Principal": {"RAM": ALLOW["Principal"]["RAM"], "Service": ["ecs.aliyuncs.com"]}}),
        _ram(ALLOW, {**ALLOW, "Condition": {"Bool": {"acs:MFAPresent": "true"}}}),  # MFA for some only
        _ram({**ALLOW, "Action": ["sts:AssumeRole", "sts:SetSourceIdentity"]}),
        "not a document",
    ],
)
def test_anything_else_is_not_approximated(document: Any) -> None:
    assert trust_from_document(document, ACCOUNT, {"app"}, set(), PROVIDERS) is None

"""ARNs of RAM entities (reference §1, §5)."""

from __future__ import annotations

import re

from ramstack.policy import arn

_ROLE_ARN = re.compile(r"acs:ram::(?P<account>[^:]+):role/(?P<name>[^/]+)")


def root_arn(account_id: str) -> str:
    return f"acs:ram::{account_id}:root"


def user_arn(account_id: str, user_name: str) -> str:
    return f"acs:ram::{account_id}:user/{user_name}"


def role_arn(account_id: str, role_name: str) -> str:
    return f"acs:ram::{account_id}:role/{role_name}"


def assumed_role_arn(account_id: str, role_name: str, session_name: str) -> str:
    return f"acs:ram::{account_id}:role/{role_name}/{session_name}"


def policy_arn(account_id: str, policy_type: str, policy_name: str) -> str:
    return arn.policy_arn(account_id, policy_type, policy_name)


def oidc_provider_arn(account_id: str, name: str) -> str:
    return f"acs:ram::{account_id}:oidc-provider/{name}"


def saml_provider_arn(account_id: str, name: str) -> str:
    return f"acs:ram::{account_id}:saml-provider/{name}"


def parse_role_arn(arn: str) -> tuple[str, str] | None:
    """(account id, role name) of `acs:ram::<uid>:role/<name>`, or None when `arn` has another shape."""
    match = _ROLE_ARN.fullmatch(arn)
    return (match["account"], match["name"]) if match else None

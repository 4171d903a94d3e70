"""Parameter checks that fail with the API's own codes (names via ramstack.names)."""

from __future__ import annotations

import dataclasses
import re

from ramstack import names
from ramstack.fakecloud.errors import CloudError, invalid
from ramstack.fakecloud.state import PolicyType

POLICY_TYPES: tuple[PolicyType, ...] = ("System", "Custom")

_VERSION_ID = re.compile(r"v[1-9][0-9]*")


def check_name(rule: names.NameRule, value: str, field: str | None = None) -> None:
    """Raise `InvalidParameter.<field>.Length` / `.InvalidChars` when `value` breaks `rule`.

    `field` renames the parameter (e.g. `NewUserName` for UpdateUser) in both code and message.
    """
    if field is not None and field != rule.field:
        rule = dataclasses.replace(rule, field=field)
    problem = rule.problem(value)
    if problem is not None:
        suffix, message = problem
        raise CloudError(rule.error_code(suffix), message)


def check_optional(rule: names.NameRule, value: str | None, field: str | None = None) -> None:
    """As `check_name`, but absent (None or empty) values are accepted."""
    if value:
        check_name(rule, value, field)


def check_contact(mobile_phone: str | None, email: str | None) -> None:
    if mobile_phone and not names.MOBILE_PHONE.fullmatch(mobile_phone):
        raise invalid(
            "MobilePhone.Format", f"MobilePhone must be <country code>-<number>, got {mobile_phone!r}"
        )
    if email and not names.EMAIL.fullmatch(email):
        raise invalid("Email.Format", f"Email is not a valid address: {email!r}")


def check_policy_type(value: str) -> PolicyType:
    for policy_type in POLICY_TYPES:
        if value == policy_type:  # case-sensitive, like the API
            return policy_type
    raise invalid("PolicyType", f"PolicyType must be System or Custom, got {value!r}")


def check_version_id(value: str) -> None:
    if not _VERSION_ID.fullmatch(value):
        raise invalid("VersionId.Format", f"VersionId must look like v1, v2, ..., got {value!r}")


def check_max_session_duration(value: int, field: str = "MaxSessionDuration") -> None:
    low, high = names.MAX_SESSION_DURATION
    if not low <= value <= high:
        raise invalid(field, f"{field} must be between {low} and {high} seconds, got {value}")


def check_one_of(field: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        # UNCONFIRMED: the exact code for an out-of-enum value; `InvalidParameter.<Field>` by analogy.
        raise invalid(field, f"{field} must be one of {', '.join(allowed)}, got {value!r}")

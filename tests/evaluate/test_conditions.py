"""Every condition-operator family, qualifiers, IfExists/Null, absent keys, several values/keys."""

from __future__ import annotations

from typing import Any

import pytest

from ramstack.evaluate import DEFAULT_OPTIONS, EvalOptions, PolicySet, Request

from ._helpers import allow, deny, named, verdict

AWS = EvalOptions(missing_key="aws")


def met(
    operator: str,
    key: str,
    values: Any,
    context: dict[str, Any] | None,
    options: EvalOptions = DEFAULT_OPTIONS,
) -> bool:
    statement = allow("oss:GetObject", Condition={operator: {key: values}})
    return verdict([statement], "oss:GetObject", context=context, options=options) == "Allow"


CASES: list[tuple[str, Any, Any, bool]] = [
    # String
    ("StringEquals", "a", "a", True),
    ("StringEquals", "a", "A", False),
    ("StringEquals", ["a", "b"], "b", True),  # several values: OR
    ("StringNotEquals", "a", "b", True),
    ("StringNotEquals", ["a", "b"], "b", False),
    ("StringNotEquals", "a", "a", False),
    ("StringEqualsIgnoreCase", "Hello", "hELLO", True),
    ("StringEqualsIgnoreCase", "Hello", "hell", False),
    ("StringNotEqualsIgnoreCase", "Hello", "HELLO", False),
    ("StringNotEqualsIgnoreCase", "Hello", "bye", True),
    ("StringLike", "repo:org/*", "repo:org/app:ref:main", True),
    ("StringLike", "repo:org/*", "repo:other/app", False),
    ("StringLike", "v?", "v1", True),
    ("StringLike", "v?", "v12", False),
    ("StringLike", "A*", "a1", False),  # Like is case-sensitive
    ("StringLike", "*", "", True),
    ("StringNotLike", "tmp/*", "tmp/x", False),
    ("StringNotLike", ["tmp/*", "cache/*"], "home/x", True),
    # Numeric
    ("NumericEquals", "10", "10", True),
    ("NumericEquals", 10, "10.0", True),
    ("NumericEquals", "10", "11", False),
    ("NumericNotEquals", "10", "11", True),
    ("NumericNotEquals", "10", "10", False),
    ("NumericLessThan", "10", "9.5", True),
    ("NumericLessThan", "10", "10", False),
    ("NumericLessThanEquals", "10", "10", True),
    ("NumericGreaterThan", "10", "10", False),
    ("NumericGreaterThan", "10", "11", True),
    ("NumericGreaterThanEquals", "10", "10", True),
    ("NumericGreaterThanEquals", "10", "9", False),
    ("NumericEquals", "10", "ten", False),  # unreadable request value meets nothing
    ("NumericNotEquals", "10", "ten", False),
    # Date (ISO 8601, offsets honoured, no offset = UTC)
    ("DateEquals", "2024-01-01T08:00:00+08:00", "2024-01-01T00:00:00Z", True),
    ("DateNotEquals", "2024-01-01T08:00:00+08:00", "2024-01-01T00:00:00Z", False),
    ("DateLessThan", "2024-01-01T00:00:00Z", "2023-12-31T23:59:59Z", True),
    ("DateLessThan", "2024-01-01T00:00:00Z", "2024-01-01T07:00:00+08:00", True),
    ("DateLessThan", "2024-01-01T00:00:00Z", "2024-01-01T09:00:00+08:00", False),
    ("DateLessThanEquals", "2024-01-01T00:00:00Z", "2024-01-01T00:00:00", True),
    ("DateGreaterThan", "2024-01-01T00:00:00Z", "2024-01-01T00:00:01Z", True),
    ("DateGreaterThan", "2024-01-01", "2023-12-31T23:00:00-02:00", True),
    ("DateGreaterThanEquals", "2024-01-01T00:00:00Z", "2023-12-31T00:00:00Z", False),
    ("DateEquals", "2024-01-01T00:00:00Z", "yesterday", False),
    # Bool
    ("Bool", "true", "true", True),
    ("Bool", "true", "TRUE", True),
    ("Bool", "true", "false", False),
    ("Bool", True, "true", True),
    ("Bool", "false", "maybe", False),
    # IP
    ("IpAddress", "192.168.0.1", "192.168.0.1", True),
    ("IpAddress", "192.168.0.1", "192.168.0.2", False),
    ("IpAddress", "10.0.0.0/8", "10.255.1.2", True),
    ("IpAddress", "10.0.0.0/8", "11.0.0.1", False),
    ("IpAddress", ["10.0.0.0/8", "203.0.113.7"], "203.0.113.7", True),
    ("IpAddress", "2001:db8::/32", "2001:db8::1", True),
    ("IpAddress", "2001:db8::/32", "10.0.0.1", False),
    ("IpAddress", "10.0.0.0/8", "not-an-ip", False),
    ("NotIpAddress", "10.0.0.0/8", "11.0.0.1", True),
    ("NotIpAddress", "10.0.0.0/8", "10.0.0.1", False),
    ("NotIpAddress", "10.0.0.0/8", "not-an-ip", False),
]


@pytest.mark.parametrize(("operator", "values", "request_value", "expected"), CASES)
def test_operator_families(operator: str, values: Any, request_value: str, expected: bool) -> None:
    assert met(operator, "acs:Key", values, {"acs:Key": request_value}) is expected


POSITIVE = [
    "StringEquals",
    "StringEqualsIgnoreCase",
    "StringLike",
    "NumericEquals",
    "NumericLessThan",
    "DateEquals",
    "DateGreaterThan",
    "Bool",
    "IpAddress",
]
NEGATED = [
    "StringNotEquals",
    "StringNotEqualsIgnoreCase",
    "StringNotLike",
    "NumericNotEquals",
    "DateNotEquals",
    "NotIpAddress",
]
SAMPLE = {
    "String": "x",
    "Numeric": "1",
    "Date": "2024-01-01T00:00:00Z",
    "Bool": "true",
    "IpAddress": "10.0.0.0/8",
    "NotIpAddress": "10.0.0.0/8",
}


def _sample(operator: str) -> str:
    for prefix, value in SAMPLE.items():
        if operator.startswith(prefix) or operator == prefix:
            return value
    return SAMPLE["IpAddress"]


@pytest.mark.parametrize("operator", POSITIVE + NEGATED)
def test_absent_key_is_unmet_by_default(operator: str) -> None:
    assert met(operator, "acs:Key", _sample(operator), {"other": "x"}) is False


@pytest.mark.parametrize("operator", POSITIVE)
def test_absent_key_positive_operators_unmet_in_aws_mode(operator: str) -> None:
    assert met(operator, "acs:Key", _sample(operator), None, AWS) is False


@pytest.mark.parametrize("operator", NEGATED)
def test_absent_key_negated_operators_met_in_aws_mode(operator: str) -> None:
    assert met(operator, "acs:Key", _sample(operator), None, AWS) is True


def test_absent_key_is_named_in_the_reason_and_decision() -> None:
    statement = allow("oss:GetObject", Condition={"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}})
    decision = PolicySet([named("p", statement)]).evaluate(Request.of("oss:GetObject", "*"))
    assert decision.decision == "ImplicitDeny"
    assert decision.missing_keys == ("acs:SourceIp",)
    assert "acs:SourceIp absent from the request context" in decision.reason
    assert "missing_key=unmet" in decision.reason


def test_negated_deny_on_absent_key_depends_on_mode() -> None:
    statements = [allow("oss:*"), deny("oss:*", Condition={"NotIpAddress": {"acs:SourceIp": "10.0.0.0/8"}})]
    default = PolicySet([named("p", *statements)]).evaluate(Request.of("oss:GetObject", "*"))
    assert default.decision == "Allow"
    assert default.missing_keys == ("acs:SourceIp",)
    assert "Deny not applied" in default.reason
    aws = PolicySet([named("p", *statements)], AWS).evaluate(Request.of("oss:GetObject", "*"))
    assert aws.decision == "ExplicitDeny"
    assert "missing_key=aws" in aws.reason


@pytest.mark.parametrize(
    ("operator", "values", "request_values", "expected"),
    [
        ("ForAnyValue:StringEquals", ["a", "b"], ["c", "b"], True),
        ("ForAnyValue:StringEquals", ["a", "b"], ["c", "d"], False),
        ("ForAllValues:StringEquals", ["a", "b"], ["a", "b"], True),
        ("ForAllValues:StringEquals", ["a", "b"], ["a", "c"], False),
        ("ForAnyValue:StringNotEquals", ["a"], ["a", "c"], True),
        ("ForAnyValue:StringNotEquals", ["a"], ["a", "a"], False),
        ("ForAllValues:StringNotEquals", ["a"], ["b", "c"], True),
        ("ForAllValues:StringNotEquals", ["a"], ["b", "a"], False),
        ("ForAllValues:StringLike", ["dev-*"], ["dev-1", "dev-2"], True),
        ("ForAllValues:StringLike", ["dev-*"], ["dev-1", "prod-2"], False),
        ("ForAnyValue:StringEqualsIgnoreCase", ["ADMIN"], ["user", "admin"], True),
        ("ForAnyValue:NumericGreaterThan", ["5"], ["1", "9"], True),
        ("ForAllValues:NumericGreaterThan", ["5"], ["1", "9"], False),
        ("ForAnyValue:IpAddress", ["10.0.0.0/8"], ["1.1.1.1", "10.1.1.1"], True),
        ("ForAllValues:IpAddress", ["10.0.0.0/8"], ["1.1.1.1", "10.1.1.1"], False),
        # unqualified: positive = some value matches, negated = no value matches
        ("StringEquals", ["a"], ["b", "a"], True),
        ("StringNotEquals", ["a"], ["b", "a"], False),
        ("StringNotEquals", ["a"], ["b", "c"], True),
    ],
)
def test_qualifiers_on_multi_valued_keys(
    operator: str, values: list, request_values: list, expected: bool
) -> None:
    assert met(operator, "acs:Tags", values, {"acs:Tags": request_values}) is expected


@pytest.mark.parametrize(
    ("operator", "options", "expected"),
    [
        ("ForAnyValue:StringEquals", EvalOptions(), False),
        ("ForAllValues:StringEquals", EvalOptions(), False),
        ("ForAnyValue:StringEquals", AWS, False),
        ("ForAllValues:StringEquals", AWS, True),
        ("ForAnyValue:StringNotEquals", AWS, False),
    ],
)
def test_qualifiers_on_absent_key(operator: str, options: EvalOptions, expected: bool) -> None:
    assert met(operator, "acs:Tags", ["a"], None, options) is expected


@pytest.mark.parametrize(
    ("operator", "context", "expected"),
    [
        ("StringEqualsIfExists", None, True),
        ("StringEqualsIfExists", {"acs:Key": "a"}, True),
        ("StringEqualsIfExists", {"acs:Key": "b"}, False),
        ("NotIpAddressIfExists", None, True),
    ],
)
def test_if_exists(operator: str, context: dict | None, expected: bool) -> None:
    values = "10.0.0.0/8" if "Ip" in operator else "a"
    assert met(operator, "acs:Key", values, context) is expected


@pytest.mark.parametrize(
    ("value", "context", "expected"),
    [
        ("true", None, True),
        ("true", {"acs:Key": "x"}, False),
        ("false", None, False),
        ("false", {"acs:Key": "x"}, True),
    ],
)
def test_null(value: str, context: dict | None, expected: bool) -> None:
    assert met("Null", "acs:Key", value, context) is expected


def test_several_keys_and_operators_are_and() -> None:
    condition = {
        "StringEquals": {"acs:A": "1", "acs:B": "2"},
        "Bool": {"acs:SecureTransport": "true"},
    }
    statement = allow("oss:GetObject", Condition=condition)
    full = {"acs:A": "1", "acs:B": "2", "acs:SecureTransport": "true"}
    assert verdict([statement], "oss:GetObject", context=full) == "Allow"
    for key in full:
        partial = dict(full)
        partial[key] = "0"
        assert verdict([statement], "oss:GetObject", context=partial) == "ImplicitDeny", key


@pytest.mark.parametrize(
    ("case_sensitive", "request_key", "expected"),
    [
        (False, "acs:sourceip", True),
        (False, "ACS:SOURCEIP", True),
        (True, "acs:sourceip", False),
        (True, "acs:SourceIp", True),
    ],
)
def test_condition_key_case_option(case_sensitive: bool, request_key: str, expected: bool) -> None:
    options = EvalOptions(case_sensitive_keys=case_sensitive)
    assert met("IpAddress", "acs:SourceIp", "10.0.0.1", {request_key: "10.0.0.1"}, options) is expected

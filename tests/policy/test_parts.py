"""The building blocks shared with the evaluator: actions, wildcards, ARNs, principals, operators."""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from ramstack.policy.actions import Action, action_matches, action_problem, parse_action, wildcard_regex
from ramstack.policy.arn import (
    Arn,
    RamEntity,
    check_federated_principal,
    check_ram_principal,
    check_resource,
    check_service_principal,
    oidc_provider_arn,
    parse_arn,
    parse_ram_entity,
    role_arn,
    root_arn,
    saml_provider_arn,
    user_arn,
)
from ramstack.policy.conditions import (
    Family,
    check_value,
    parse_bool,
    parse_date,
    parse_ip,
    parse_number,
    parse_operator,
    split_operator,
)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("*", Action("*", "*")),
        ("oss:GetObject", Action("oss", "GetObject")),
        ("yundun-*:*", Action("yundun-*", "*")),
        ("*:Describe*", Action("*", "Describe*")),
        ("vpc:*VSwitch*", Action("vpc", "*VSwitch*")),
        ("ecs:Describe?nstances", Action("ecs", "Describe?nstances")),
        ("oss:", None),
        (":GetObject", None),
        ("GetObject", None),
        ("oss:Get-Object", None),
        ("oss:Get:Object", None),
        (" oss:GetObject", None),
        ("oss_x:Get", None),
    ],
)
def test_parse_action(text: str, parsed: Action | None) -> None:
    assert parse_action(text) == parsed
    assert (action_problem(text) is None) == (parsed is not None)


@pytest.mark.parametrize(
    ("pattern", "value", "ignore_case", "matches"),
    [
        ("oss:Get*", "oss:GetObject", False, True),
        ("oss:Get*", "oss:Get", False, True),
        ("oss:Get*", "oss:getobject", False, False),
        ("oss:Get*", "oss:getobject", True, True),
        ("oss:Get?bject", "oss:GetObject", False, True),
        ("oss:Get?bject", "oss:Getbject", False, False),
        ("a.b", "axb", False, False),
        ("a+b(c)", "a+b(c)", False, True),
        ("*", "", False, True),
        ("*", "any\nthing", False, True),
        ("acs:oss:*:*:bucket/*", "acs:oss:*:*:bucket/dir/file", False, True),
        ("acs:oss:*:*:bucket/*", "acs:oss:*:*:other/file", False, False),
        ("abc", "abcd", False, False),
        ("abc", "xabc", False, False),
    ],
)
def test_wildcard_regex(pattern: str, value: str, ignore_case: bool, matches: bool) -> None:
    regex = wildcard_regex(pattern, ignore_case=ignore_case)
    assert (regex.match(value) is not None) == matches
    assert (regex.fullmatch(value) is not None) == matches


def test_action_matches_ignores_case() -> None:
    assert action_matches("OSS:get*", "oss:GetObject")
    assert action_matches("*:Describe*", "ecs:DescribeInstances")
    assert not action_matches("ecs:Describe*", "ecs:RunInstances")


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("acs:oss:*:*:bucket/a:b", Arn("oss", "*", "*", "bucket/a:b")),
        ("acs:ram::123:role/x", Arn("ram", "", "123", "role/x")),
        ("acs:mns:*:*:/queues/q", Arn("mns", "*", "*", "/queues/q")),
        ("acs:oss:*:*", None),
        ("arn:oss:*:*:b", None),
        ("*", None),
    ],
)
def test_parse_arn(text: str, parsed: Arn | None) -> None:
    assert parse_arn(text) == parsed
    if parsed is not None:
        assert str(parsed) == text


@pytest.mark.parametrize(
    ("text", "severities"),
    [
        ("*", []),
        ("acs:ram:*:system:policy/AliyunOSSFullAccess", []),
        ("acs:oss:oss-cn-hangzhou:1234567890123456:my-bucket/*", []),
        ("acs:log:*:*:project/log-project-dev-*/Logstore/app_*_log", []),
        ("acs:ecs:*:12*:instance/*", []),
        ("acs:log:*::project/p", ["warning"]),
        ("acs:oss:*:me:b", ["error"]),
        ("acs:oss:cn hz:*:b", ["error"]),
        ("acs::*:*:b", ["error"]),
        ("acs:oss:*:*:", ["error"]),
        ("acs:oss:*:*:a\nb", ["error"]),
        ("acs:oss:cn_hz:me:", ["error", "error", "error"]),
        ("", ["error"]),
        ("*  ", ["error"]),
    ],
)
def test_check_resource(text: str, severities: list[str]) -> None:
    assert [f.severity for f in check_resource(text)] == severities


def test_ram_entity_helpers() -> None:
    assert root_arn("1") == "acs:ram::1:root"
    assert user_arn("1", "alice") == "acs:ram::1:user/alice"
    assert role_arn("1", "ci") == "acs:ram::1:role/ci"
    assert oidc_provider_arn("1", "gh") == "acs:ram::1:oidc-provider/gh"
    assert saml_provider_arn("1", "idp") == "acs:ram::1:saml-provider/idp"
    assert parse_ram_entity("acs:ram::1:role/ci") == RamEntity("1", "role", "ci")
    assert parse_ram_entity("acs:ram:*:1:root") == RamEntity("1", "root", None, "*")
    assert parse_ram_entity("acs:ram::1:group/dev") is None
    assert parse_ram_entity("acs:oss::1:role/x") is None
    assert parse_ram_entity("acs:ram::1:role") is None


@pytest.mark.parametrize(
    ("check", "text", "severities"),
    [
        (check_ram_principal, "acs:ram::1234567890123456:root", []),
        (check_ram_principal, "acs:ram::1234567890123456:user/testuser", []),
        (check_ram_principal, "acs:ram::1234567890123456:role/ci.deploy", []),
        (check_ram_principal, "*", ["warning"]),
        (check_ram_principal, "acs:ram:*:1234567890123456:root", ["warning"]),
        (check_ram_principal, "acs:ram::1234567890123456:role/ci-*", ["warning"]),
        (check_ram_principal, "acs:ram::*:root", ["error"]),
        (check_ram_principal, "acs:ram::1:oidc-provider/x", ["error"]),
        (check_ram_principal, "acs:ram::1:role/a b", ["error"]),
        (check_ram_principal, "acs:ram::1:role/", ["error"]),
        (check_ram_principal, "1234567890123456", ["error"]),
        (check_federated_principal, "acs:ram::1:saml-provider/Azure-AD", []),
        (check_federated_principal, "acs:ram::1:oidc-provider/ack-rrsa-c1", []),
        (check_federated_principal, "acs:ram::1:root", ["error"]),
        (check_service_principal, "ecs.aliyuncs.com", []),
        (check_service_principal, "crossbackup.hbr.aliyuncs.com", []),
        (check_service_principal, "1234567890123456@log.aliyuncs.com", ["warning"]),
        (check_service_principal, "Ecs.aliyuncs.com", ["error"]),
        (check_service_principal, "ecs", ["error"]),
        (check_service_principal, "ecs.amazonaws.com", ["error"]),
    ],
)
def test_principals(check: Any, text: str, severities: list[str]) -> None:
    assert [f.severity for f in check(text)] == severities


@pytest.mark.parametrize(
    ("op", "split", "family", "qualifier", "if_exists"),
    [
        ("StringEquals", (None, "StringEquals"), Family.STRING, None, False),
        ("ForAnyValue:StringLike", ("ForAnyValue", "StringLike"), Family.STRING, "ForAnyValue", False),
        ("ForAllValues:StringEquals", ("ForAllValues", "StringEquals"), Family.STRING, "ForAllValues", False),
        ("NumericLessThanIfExists", (None, "NumericLessThanIfExists"), Family.NUMERIC, None, True),
        ("DateGreaterThanEquals", (None, "DateGreaterThanEquals"), Family.DATE, None, False),
        ("Bool", (None, "Bool"), Family.BOOL, None, False),
        ("NotIpAddress", (None, "NotIpAddress"), Family.IP, None, False),
        ("Null", (None, "Null"), Family.NULL, None, False),
    ],
)
def test_operators(
    op: str, split: tuple[str | None, str], family: Family, qualifier: str | None, if_exists: bool
) -> None:
    assert split_operator(op) == split
    parsed = parse_operator(op)
    assert parsed is not None
    assert (parsed.family, parsed.qualifier, parsed.if_exists) == (family, qualifier, if_exists)
    assert parsed.confirmed == (qualifier is None and not if_exists and family is not Family.NULL)


@pytest.mark.parametrize(
    "op", ["StringEqual", "stringequals", "Foo:StringEquals", "ForAnyValue:", "IfExists", "NullIfExists", ""]
)
def test_unknown_operators(op: str) -> None:
    assert parse_operator(op) is None


def test_operator_flags() -> None:
    like = parse_operator("StringNotLike")
    assert like is not None and like.base.like and like.base.negated and not like.base.ignore_case
    ignore = parse_operator("StringEqualsIgnoreCase")
    assert ignore is not None and ignore.base.ignore_case and not ignore.base.negated


def test_value_parsers() -> None:
    assert parse_number(3) == 3.0
    assert parse_number("2.5") == 2.5
    assert parse_number("-1e3") == -1000.0
    assert parse_number(True) is None
    assert parse_number("1e999") is None
    assert parse_number(float("nan")) is None
    assert parse_number("ten") is None
    assert parse_date("2019-08-12T17:00:00+08:00") == datetime(2019, 8, 12, 9, tzinfo=UTC)
    assert parse_date("2012-11-11T23:59:59Z") == datetime(2012, 11, 11, 23, 59, 59, tzinfo=UTC)
    assert parse_date("2012-11-11T23:59:59.5-05:30") == datetime(
        2012, 11, 11, 23, 59, 59, 500000, tzinfo=timezone(-timedelta(hours=5, minutes=30))
    )
    assert parse_date("2012-11-11") == datetime(2012, 11, 11)
    for bad in ["2012-11-11 10:00", "20121111", "2012-02-30", "yesterday", 1565600000]:
        assert parse_date(bad) is None
    assert parse_bool("true") is True and parse_bool(False) is False
    assert parse_bool("True") is None and parse_bool(1) is None
    assert parse_ip("10.0.0.1/8") == ipaddress.ip_network("10.0.0.0/8")
    assert parse_ip("121.0.27.1") == ipaddress.ip_network("121.0.27.1/32")
    assert parse_ip("2001:db8::/32") == ipaddress.ip_network("2001:db8::/32")
    for bad in ["10", "1.2.3", "10.0.0.0/33", "::g", 10]:
        assert parse_ip(bad) is None


@pytest.mark.parametrize(
    ("family", "value", "outcome"),
    [
        (Family.STRING, "x", None),
        (Family.STRING, 5, "type"),
        (Family.STRING, True, "type"),
        (Family.NUMERIC, "5", None),
        (Family.NUMERIC, 5.5, None),
        (Family.NUMERIC, "five", "value"),
        (Family.NUMERIC, True, "type"),
        (Family.DATE, "2019-08-12", None),
        (Family.DATE, "2019-08-12 10:00:00", "value"),
        (Family.DATE, 20190812, "type"),
        (Family.BOOL, "false", None),
        (Family.BOOL, "FALSE", "value"),
        (Family.BOOL, 0, "type"),
        (Family.IP, "10.0.0.0/8", None),
        (Family.IP, "10.0.0.0/99", "value"),
        (Family.IP, None, "type"),
        (Family.NULL, True, None),
        (Family.STRING, ["x"], "type"),
        (Family.STRING, {"x": 1}, "type"),
    ],
)
def test_check_value(family: Family, value: Any, outcome: str | None) -> None:
    problem = check_value(family, value)
    if outcome is None:
        assert problem is None
    else:
        assert problem is not None
        assert problem.wrong_type == (outcome == "type")
        assert problem.message and problem.fix

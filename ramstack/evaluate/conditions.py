"""Compile one `ConditionClause` (operator, key, values) into a test on the request's values.

Semantics (reference §1, "Multi-value semantics"): several policy values under one key are OR-ed;
keys and operators of one statement are AND-ed by the caller (`CompiledStatement`).

For each request value `v` the base test is "v matches at least one policy value" (StringEquals:
equal; StringLike: `*`/`?` match, case-sensitive; IgnoreCase: casefolded equality; Numeric / Date:
the comparison against some value; Bool: equal; IpAddress: inside some CIDR block or equal to a
plain IP). A negated operator (StringNotEquals, NotIpAddress, ...) is its positive twin's
complement: "v matches none of the policy values". A request value that cannot be read in the
operator's type (a non-number for Numeric, a non-ISO-8601 date, a non-IP) satisfies neither form.

Several request values (multi-valued keys):
    no qualifier, positive operator   met when some request value passes
    no qualifier, negated operator    met when every request value passes (none matches a value)
    ForAnyValue:                      met when some request value passes
    ForAllValues:                     met when every request value passes

An absent key: see `ramstack.evaluate.options` (`missing_key`); `...IfExists` is met on an absent
key; `Null: {key: true}` is met when the key is absent, `false` when present. Dates without an
offset are read as UTC.
"""

from __future__ import annotations

import ipaddress
import operator
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from ramstack.evaluate.matchers import PatternSet
from ramstack.evaluate.options import EvalOptions
from ramstack.evaluate.request import Request
from ramstack.policy.conditions import Family, ParsedOperator, parse_bool, parse_date, parse_ip, parse_number
from ramstack.policy.conditions import parse_operator as _parse_operator
from ramstack.policy.document import ConditionClause, ConditionValue

ValueTest = Callable[[str], bool | None]  # None: the request value is not of the operator's type
ClauseTest = Callable[[tuple[str, ...] | None], bool]

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq,
    "LessThan": operator.lt,
    "LessThanEquals": operator.le,
    "GreaterThan": operator.gt,
    "GreaterThanEquals": operator.ge,
}


@dataclass(frozen=True)
class CompiledCondition:
    clause: ConditionClause
    key: str  # as looked up: lowercased unless keys are case-sensitive
    case_sensitive: bool
    is_null: bool
    test: ClauseTest

    def met(self, request: Request) -> bool:
        return self.test(request.values(self.key, case_sensitive=self.case_sensitive))

    def key_absent(self, request: Request) -> bool:
        return request.values(self.key, case_sensitive=self.case_sensitive) is None


def compile_condition(clause: ConditionClause, options: EvalOptions) -> CompiledCondition:
    parsed = _parse_operator(clause.operator)
    if parsed is None:
        raise ValueError(f"unknown condition operator {clause.operator!r}")
    key = clause.key if options.case_sensitive_keys else clause.key.lower()
    if parsed.family is Family.NULL:
        test = _null_test(clause.values)
    else:
        test = _clause_test(parsed, _value_test(parsed, clause.values), options)
    return CompiledCondition(clause, key, options.case_sensitive_keys, parsed.family is Family.NULL, test)


def _clause_test(parsed: ParsedOperator, positive: ValueTest, options: EvalOptions) -> ClauseTest:
    negated = parsed.base.negated
    qualifier = parsed.qualifier
    if parsed.if_exists:
        on_missing = True
    elif options.missing_key == "aws":
        on_missing = qualifier == "ForAllValues" or (qualifier is None and negated)
    else:
        on_missing = False
    every = qualifier == "ForAllValues" or (qualifier is None and negated)

    if negated:

        def passes(value: str) -> bool:
            result = positive(value)
            return result is False

    else:

        def passes(value: str) -> bool:
            return positive(value) is True

    if every:

        def test(values: tuple[str, ...] | None) -> bool:
            if values is None:
                return on_missing
            return all(passes(v) for v in values)

    else:

        def test(values: tuple[str, ...] | None) -> bool:
            if values is None:
                return on_missing
            return any(passes(v) for v in values)

    return test


def _null_test(values: tuple[ConditionValue, ...]) -> ClauseTest:
    wanted = frozenset(b for b in (parse_bool(v) for v in values) if b is not None)

    def test(request_values: tuple[str, ...] | None) -> bool:
        return (request_values is None) in wanted

    return test


def _text(value: ConditionValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _value_test(parsed: ParsedOperator, values: tuple[ConditionValue, ...]) -> ValueTest:
    base = parsed.base
    family = base.family
    if family is Family.STRING:
        return _string_test(base.like, base.ignore_case, [_text(v) for v in values])
    if family is Family.BOOL:
        expected = frozenset(b for b in (parse_bool(v) for v in values) if b is not None)

        def bool_test(value: str) -> bool | None:
            got = parse_bool(value.lower())
            return None if got is None else got in expected

        return bool_test
    if family is Family.IP:
        networks = tuple(n for n in (parse_ip(v) for v in values) if n is not None)

        def ip_test(value: str) -> bool | None:
            address = _address(value)
            return None if address is None else any(address in n for n in networks)

        return ip_test
    comparison = "Equals" if base.negated else base.name[len(family.value) :]
    compare = _COMPARISONS[comparison]
    if family is Family.NUMERIC:
        numbers = tuple(n for n in (parse_number(v) for v in values) if n is not None)

        def number_test(value: str) -> bool | None:
            got = parse_number(value)
            return None if got is None else any(compare(got, n) for n in numbers)

        return number_test
    if family is Family.DATE:
        dates = tuple(d for d in (_date(v) for v in values) if d is not None)

        def date_test(value: str) -> bool | None:
            got = _date(value)
            return None if got is None else any(compare(got, d) for d in dates)

        return date_test
    raise AssertionError(f"unhandled family {family}")  # pragma: no cover


def _string_test(like: bool, ignore_case: bool, values: list[str]) -> ValueTest:
    if like:
        patterns = PatternSet.of(values, ignore_case=False)
        return patterns.matches
    if ignore_case:
        folded = frozenset(v.casefold() for v in values)
        return lambda value: value.casefold() in folded
    exact = frozenset(values)
    return exact.__contains__


@lru_cache(maxsize=65536)
def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def _date(value: ConditionValue) -> datetime | None:
    parsed = parse_date(value)
    if parsed is None:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed

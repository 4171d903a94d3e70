"""Condition operators of the RAM policy language (reference §1) and their value checkers.

RAM documents five operator families: String, Numeric, Date, Bool and IpAddress. The
`ForAnyValue:`/`ForAllValues:` qualifiers, the `...IfExists` suffix and the `Null` operator are
not documented for RAM (UNCONFIRMED): they are parsed here so real policies that use them load,
and the validator flags them as warnings.

The value parsers (`parse_number`, `parse_date`, `parse_bool`, `parse_ip`) are shared with the
offline evaluator, so a value the validator accepts is a value the evaluator can compare.
"""

from __future__ import annotations

import ipaddress
import math
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any


class Family(StrEnum):
    STRING = "String"
    NUMERIC = "Numeric"
    DATE = "Date"
    BOOL = "Bool"
    IP = "IpAddress"
    NULL = "Null"


@dataclass(frozen=True)
class Operator:
    """A base operator (no qualifier, no IfExists suffix)."""

    name: str
    family: Family
    negated: bool = False
    ignore_case: bool = False
    like: bool = False
    confirmed: bool = True  # documented for RAM


def _ops(*items: Operator) -> dict[str, Operator]:
    return {op.name: op for op in items}


BASE_OPERATORS: dict[str, Operator] = _ops(
    Operator("StringEquals", Family.STRING),
    Operator("StringNotEquals", Family.STRING, negated=True),
    Operator("StringEqualsIgnoreCase", Family.STRING, ignore_case=True),
    Operator("StringNotEqualsIgnoreCase", Family.STRING, negated=True, ignore_case=True),
    Operator("StringLike", Family.STRING, like=True),
    Operator("StringNotLike", Family.STRING, negated=True, like=True),
    Operator("NumericEquals", Family.NUMERIC),
    Operator("NumericNotEquals", Family.NUMERIC, negated=True),
    Operator("NumericLessThan", Family.NUMERIC),
    Operator("NumericLessThanEquals", Family.NUMERIC),
    Operator("NumericGreaterThan", Family.NUMERIC),
    Operator("NumericGreaterThanEquals", Family.NUMERIC),
    Operator("DateEquals", Family.DATE),
    Operator("DateNotEquals", Family.DATE, negated=True),
    Operator("DateLessThan", Family.DATE),
    Operator("DateLessThanEquals", Family.DATE),
    Operator("DateGreaterThan", Family.DATE),
    Operator("DateGreaterThanEquals", Family.DATE),
    Operator("Bool", Family.BOOL),
    Operator("IpAddress", Family.IP),
    Operator("NotIpAddress", Family.IP, negated=True),
    Operator("Null", Family.NULL, confirmed=False),
)

QUALIFIERS = ("ForAnyValue", "ForAllValues")
IF_EXISTS = "IfExists"


@dataclass(frozen=True)
class ParsedOperator:
    """An operator as written in a document, e.g. `ForAllValues:StringLikeIfExists`."""

    text: str
    qualifier: str | None  # "ForAnyValue", "ForAllValues" or None
    base: Operator
    if_exists: bool

    @property
    def family(self) -> Family:
        return self.base.family

    @property
    def confirmed(self) -> bool:
        """True when every part of the operator is documented for RAM."""
        return self.qualifier is None and not self.if_exists and self.base.confirmed


def split_operator(op: str) -> tuple[str | None, str]:
    """`"ForAnyValue:StringLike"` -> `("ForAnyValue", "StringLike")`; `"Bool"` -> `(None, "Bool")`.

    The qualifier is returned without its colon. Any other prefix before a colon is returned as the
    qualifier too, so callers can report it; `parse_operator` rejects it.
    """
    qualifier, sep, base = op.partition(":")
    if not sep:
        return None, op
    return qualifier, base


def parse_operator(op: str) -> ParsedOperator | None:
    """The operator's parts, or None when it is not a known operator (qualifier included)."""
    qualifier, base = split_operator(op)
    if qualifier is not None and qualifier not in QUALIFIERS:
        return None
    if_exists = False
    spec = BASE_OPERATORS.get(base)
    if spec is None and base.endswith(IF_EXISTS):
        spec = BASE_OPERATORS.get(base[: -len(IF_EXISTS)])
        if_exists = True
        if spec is not None and spec.family is Family.NULL:
            return None  # NullIfExists means nothing
    if spec is None:
        return None
    return ParsedOperator(op, qualifier, spec, if_exists)


def operator_names() -> list[str]:
    """Every base operator name plus the qualified forms (for "did you mean" suggestions)."""
    names = list(BASE_OPERATORS)
    names += [f"{q}:{n}" for q in QUALIFIERS for n in BASE_OPERATORS if n != "Null"]
    names += [f"{n}{IF_EXISTS}" for n in BASE_OPERATORS if n != "Null"]
    return names


# ---------------------------------------------------------------------------------------------
# value parsers


_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_DATE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:T[0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_IPV4ISH = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?:/[0-9]{1,2})?")


def parse_number(value: Any) -> float | None:
    """A JSON number or a numeric string as a float; None when it is neither (or not finite)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) and _NUMBER.fullmatch(value):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def parse_date(value: Any) -> datetime | None:
    """An ISO 8601 date or date-time string (`2019-08-12T17:00:00+08:00`, `...Z`); None otherwise."""
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_bool(value: Any) -> bool | None:
    """JSON true/false or the strings "true"/"false" (RAM's own examples quote them)."""
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    return None


def parse_ip(value: Any) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A plain IP address or a CIDR block, IPv4 or IPv6; None otherwise.

    Host bits in a CIDR are tolerated (`10.0.0.1/8` means `10.0.0.0/8`), as ipaddress's strict=False.
    """
    if not isinstance(value, str):
        return None
    return _parse_ip_text(value)


@lru_cache(maxsize=16384)
def _parse_ip_text(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """Cached (networks are immutable): validation, the lint rules and the evaluator each read the
    same blocks."""
    if ":" not in value and not _IPV4ISH.fullmatch(value):
        return None
    try:
        return ipaddress.ip_network(value, strict=False)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# value checking


@dataclass(frozen=True)
class ValueProblem:
    """Why a condition value does not suit its operator. `wrong_type` separates a value of the wrong
    JSON type (a number where a string is expected) from a string in the wrong format."""

    wrong_type: bool
    message: str
    fix: str


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


EXPECTED: dict[Family, str] = {
    Family.STRING: "a string",
    Family.NUMERIC: "a number",
    Family.DATE: "an ISO 8601 date-time string",
    Family.BOOL: "true or false",
    Family.IP: "an IP address or CIDR string",
    Family.NULL: "true or false",
}


def check_value(family: Family, value: Any) -> ValueProblem | None:
    """Check one scalar condition value against its operator family; None when it is fine."""
    kind = json_type(value)
    if kind not in ("string", "number", "boolean"):
        return ValueProblem(
            True,
            f"a condition value must be {EXPECTED[family]}; got {kind}",
            "write one value, or a flat list of values",
        )
    if family is Family.STRING:
        if isinstance(value, str):
            return None
        shown = "true" if value is True else "false" if value is False else repr(value)
        return ValueProblem(
            True, f"String operators compare strings; got {kind} {shown}", f'quote it: "{shown}"'
        )
    if family is Family.NUMERIC:
        if parse_number(value) is not None:
            return None
        if isinstance(value, str):
            return ValueProblem(
                False, f"{value!r} is not a number", "write a decimal number such as 10 or 2.5"
            )
        if isinstance(value, float):
            return ValueProblem(True, f"{value!r} is not a finite number", "write a finite decimal number")
        return ValueProblem(True, f"Numeric operators need a number; got {kind}", "write a number such as 10")
    if family is Family.DATE:
        if parse_date(value) is not None:
            return None
        if isinstance(value, str):
            fix = "write ISO 8601 such as 2019-08-12T17:00:00+08:00 or 2019-08-12T09:00:00Z"
            if " " in value.strip() and _DATE.fullmatch(value.strip().replace(" ", "T", 1)):
                fix = f"separate date and time with T: {value.strip().replace(' ', 'T', 1)!r}"
            return ValueProblem(False, f"{value!r} is not an ISO 8601 date-time", fix)
        return ValueProblem(
            True,
            f"Date operators need an ISO 8601 date-time string; got {kind}",
            'quote it: "2019-08-12T09:00:00Z"',
        )
    if family is Family.BOOL or family is Family.NULL:
        if parse_bool(value) is not None:
            return None
        if isinstance(value, str):
            if value.lower() in ("true", "false"):
                return ValueProblem(
                    False, f"{value!r} is not a boolean", f'write it in lower case: "{value.lower()}"'
                )
            return ValueProblem(False, f"{value!r} is not a boolean", 'write "true" or "false"')
        return ValueProblem(True, f"{family} needs true or false; got {kind}", 'write "true" or "false"')
    if family is Family.IP:
        if parse_ip(value) is not None:
            return None
        if isinstance(value, str):
            return ValueProblem(
                False,
                f"{value!r} is not an IP address or CIDR block",
                "write an address such as 203.0.113.7 or a block such as 203.0.113.0/24",
            )
        return ValueProblem(
            True, f"IP operators need an IP address or CIDR string; got {kind}", 'quote it: "203.0.113.0/24"'
        )
    raise AssertionError(f"unhandled family {family}")  # pragma: no cover

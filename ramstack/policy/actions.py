"""RAM actions (`<service>:<Operation>`) and the `*`/`?` wildcard matching they share with resources.

Grammar (reference §1): an action is `*` or `<ram-code>:<ActionName>`. Real system policies also put
wildcards into the service code (`yundun-*:*`, `*:Describe*`) and inside the operation
(`vpc:*VSwitch*`), so both halves accept `*` and `?`. Service codes are letters, digits and hyphens
(`amqp-open`); operations are letters and digits. Actions are "generally not case-sensitive" [S2],
so matching ignores case.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from functools import lru_cache

_SERVICE = re.compile(r"[A-Za-z0-9*?-]+")
_OPERATION = re.compile(r"[A-Za-z0-9*?]+")


@dataclass(frozen=True)
class Action:
    service: str
    operation: str

    def __str__(self) -> str:
        return f"{self.service}:{self.operation}"


@lru_cache(maxsize=16384)
def parse_action(text: str) -> Action | None:
    """`"oss:GetObject"` -> Action("oss", "GetObject"); `"*"` -> Action("*", "*"); None when malformed.
    Cached (an Action is immutable): validation and the lint rules parse the same actions often."""
    if text == "*":
        return Action("*", "*")
    service, sep, operation = text.partition(":")
    if not sep or not _SERVICE.fullmatch(service) or not _OPERATION.fullmatch(operation):
        return None
    return Action(service, operation)


def action_problem(text: str) -> tuple[str, str] | None:
    """(message, fix) explaining why `text` is not a well-formed action, or None when it is."""
    if parse_action(text) is not None:
        return None
    if text == "":
        return "action is an empty string", 'write "<service>:<Operation>", e.g. "oss:GetObject"'
    if text != text.strip():
        return f"action {text!r} has leading or trailing spaces", f'remove them: "{text.strip()}"'
    if ":" not in text:
        return (
            f"action {text!r} must be '<service>:<Operation>' or '*'",
            f'prefix the service code, e.g. "ecs:{text}"'
            if _OPERATION.fullmatch(text)
            else 'e.g. "oss:GetObject"',
        )
    service, _, operation = text.partition(":")
    if not service:
        return (
            f"action {text!r} has no service code before ':'",
            'e.g. "oss:GetObject"; "*:Get*" for every service',
        )
    if not _SERVICE.fullmatch(service):
        return (
            f"service code {service!r} of action {text!r} may contain only letters, digits, '-', '*' and '?'",
            'use the RAM code of the service, e.g. "oss", "ecs", "yundun-*"',
        )
    if not operation:
        return f"action {text!r} has no operation after ':'", f'write "{service}:*" for every operation'
    if ":" in operation:
        return (
            f"action {text!r} has more than one ':'",
            'write exactly one "<service>:<Operation>" per string',
        )
    return (
        f"operation {operation!r} of action {text!r} may contain only letters, digits, '*' and '?'",
        "write the operation name as the API documents it, e.g. DescribeInstances",
    )


@lru_cache(maxsize=4096)
def wildcard_regex(pattern: str, *, ignore_case: bool) -> re.Pattern[str]:
    """Compile a RAM wildcard pattern: `*` = any run of characters (also empty), `?` = exactly one.

    Every other character is literal. The regex is anchored at both ends, so `.match(s)` and
    `.fullmatch(s)` both mean "the whole of `s` matches".
    """
    parts = [".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern]
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.compile(r"\A" + "".join(parts) + r"\Z", flags)


def wildcard_match(pattern: str, text: str, *, ignore_case: bool) -> bool:
    """`wildcard_regex(pattern, ignore_case=...)` matches the whole of `text`. A pattern without
    wildcards (most actions and ARNs: every generated grant names its roles) is compared as text,
    with no regex compiled for it; ignoring case that way only for ASCII, where lowering both sides
    is exactly the regex's case folding."""
    if "*" not in pattern and "?" not in pattern:
        if not ignore_case:
            return pattern == text
        if pattern.isascii() and text.isascii():
            return pattern.lower() == text.lower()
    return wildcard_regex(pattern, ignore_case=ignore_case).match(text) is not None


def action_matches(pattern: str, action: str) -> bool:
    """Whether an action pattern from a policy covers a concrete action (case-insensitive)."""
    return wildcard_match(pattern, action, ignore_case=True)


_STAR, _ONE = "\x00", "\x01"  # stand-ins for the wildcards of the covered pattern


@functools.lru_cache(maxsize=4096)
def _subsumption_regex(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    # `*` matches anything (a covered `*` included); `?` one character but never a covered `*`,
    # which may stand for many.
    parts = [".*" if c == "*" else f"[^{_STAR}]" if c == "?" else re.escape(c) for c in pattern]
    return re.compile("".join(parts), re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def pattern_covers(pattern: str, other: str, *, ignore_case: bool) -> bool:
    """Whether every string that wildcard pattern `other` matches is also matched by `pattern`
    (`oss:*` covers `oss:Get*`; `b/?` does not cover `b/*`)."""
    encoded = other.replace("*", _STAR).replace("?", _ONE)
    return _subsumption_regex(pattern, ignore_case).fullmatch(encoded) is not None

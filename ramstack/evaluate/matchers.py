"""Compiled `*`/`?` pattern sets: the unit every Action, Resource and StringLike test is built from.

A set of patterns compiles once into four parts, checked cheapest first: "matches everything"
(a lone `*`), a frozenset of literal patterns (no wildcard: one hash lookup), the prefixes of
patterns whose only wildcard is a trailing `*` (one startswith), and one anchored regex alternating
the other wildcard patterns. `*` is any run of characters (also empty), `?` exactly one
(reference §1); every other character is literal.

Case: a case-insensitive set lowercases its patterns and expects the caller to lowercase the subject
once per request (cheaper than `re.IGNORECASE` on every pattern, and action names are ASCII).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

WILDCARDS = frozenset("*?")


def has_wildcard(pattern: str) -> bool:
    return "*" in pattern or "?" in pattern


def glob_regex_source(pattern: str) -> str:
    """The regex body for one pattern (unanchored)."""
    # re.escape writes `*` and `?` as `\*` and `\?`, and nothing else it writes ends that way
    return re.escape(pattern).replace(r"\*", ".*").replace(r"\?", ".")


def _always(_subject: str) -> bool:
    return True


def _tester(
    everything: bool, literals: frozenset[str], prefixes: tuple[str, ...], regex: re.Pattern[str] | None
) -> Callable[[str], bool]:
    """The cheapest callable answering "does the subject match" for this combination."""
    if everything:
        return _always
    if regex is None and not prefixes:
        return literals.__contains__
    if regex is None:
        if not literals:
            return lambda subject: subject.startswith(prefixes)
        return lambda subject: subject in literals or subject.startswith(prefixes)
    match = regex.match
    if not literals and not prefixes:
        return lambda subject: match(subject) is not None
    return lambda subject: subject in literals or subject.startswith(prefixes) or match(subject) is not None


@dataclass(frozen=True)
class PatternSet:
    """Whether a subject matches any of a set of patterns. Build with `PatternSet.of`.

    `matches(subject)`: the subject must already be lowercased when the set ignores case.
    """

    everything: bool
    literals: frozenset[str]
    prefixes: tuple[str, ...]  # patterns whose only wildcard is one trailing `*`: a startswith
    regex: re.Pattern[str] | None
    lowercase: bool
    matches: Callable[[str], bool] = field(compare=False, repr=False)

    @classmethod
    def of(cls, patterns: Iterable[str], *, ignore_case: bool) -> PatternSet:
        return _pattern_set(tuple(patterns), ignore_case)


@lru_cache(maxsize=16384)
def _pattern_set(patterns: tuple[str, ...], ignore_case: bool) -> PatternSet:
    """Built once per distinct pattern tuple: policies repeat the same Action and Resource lists
    (`*`, `acs:oss:*:<account>:*`, a service's `Get*`), and a regex compile costs more than a match."""
    items = [p.lower() if ignore_case else p for p in patterns]
    everything = any(p and set(p) <= {"*"} for p in items)
    literals = frozenset(p for p in items if not has_wildcard(p))
    wild = sorted({p for p in items if has_wildcard(p)})
    prefixes = tuple(p[:-1] for p in wild if p.endswith("*") and not has_wildcard(p[:-1]))
    regex = None
    rest = [p for p in wild if not (p.endswith("*") and not has_wildcard(p[:-1]))]
    if rest and not everything:
        body = "|".join(glob_regex_source(p) for p in rest)
        regex = re.compile(rf"\A(?:{body})\Z", re.DOTALL)
    if everything:
        prefixes = ()
    tester = _tester(everything, literals, prefixes, regex)
    return PatternSet(everything, literals, prefixes, regex, ignore_case, tester)

"""Edit distance for "is this a typo of a known name": shared by the policy and action catalogs."""

from __future__ import annotations

from collections.abc import Iterable


def distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of `a` and `b`, or `limit + 1` as soon as it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def typo_limit(word: str) -> int:
    """How many edits still read as a slip of the keyboard: 1 for short words, 2 from 10 characters."""
    return 2 if len(word) >= 10 else 1


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The closest choice within `typo_limit(word)` edits, compared case-insensitively (ties: the
    alphabetically first); None when nothing is that close."""
    limit = typo_limit(word)
    lowered = word.lower()
    found = sorted((distance(lowered, c.lower(), limit), c) for c in choices)
    return found[0][1] if found and found[0][0] <= limit else None

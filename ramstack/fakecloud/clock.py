"""Time for the fake: an injectable clock and the API's timestamp format."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; the default start is 2025-01-01T00:00:00Z."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = _utc(start or datetime(2025, 1, 1, tzinfo=UTC))

    def __call__(self) -> datetime:
        return self._now

    def advance(self, seconds: float = 0, **kwargs: float) -> datetime:
        """Move forward by `seconds` plus any `timedelta` keywords (minutes=, hours=, days=)."""
        self._now += timedelta(seconds=seconds, **kwargs)
        return self._now

    def set(self, when: datetime) -> None:
        self._now = _utc(when)

    def __repr__(self) -> str:
        return f"ManualClock({iso8601(self._now)})"


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def iso8601(when: datetime) -> str:
    """The API's timestamp format: UTC, seconds precision, `Z` suffix (`2020-10-12T09:12:00Z`)."""
    return _iso8601_of_second(when.replace(microsecond=0))


@functools.lru_cache(maxsize=256)
def _iso8601_of_second(when: datetime) -> str:
    # The text depends on the instant to the second only, so the many entities and views a run makes
    # within one second (a plan creates and lists thousands) share one strftime. Aware datetimes are
    # equal keys when they are the same instant, whatever their zone, and then format the same.
    return _utc(when).strftime("%Y-%m-%dT%H:%M:%SZ")

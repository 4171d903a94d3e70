"""The one source of "now" for what depends on today's date: relative windows (`--since 90d`).

Tests fix it (tests/conftest.py) so that no answer depends on the day the suite runs.
"""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)

"""Where the activity verbs get their events: the files given, else the project's store.

`read_activity` is the one plug-in point: `activity unused|generate|replay`, and every other verb
that reads activity, call it and get the same ActivityLog whichever the source.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ramstack.activity.log import ActivityLog, load_activity
from ramstack.diagnostics import Diagnostics, Location


def read_activity(
    events: Sequence[Path] | None,
    db: Path,
    diags: Diagnostics,
    *,
    account_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> ActivityLog | None:
    """The events of the files and folders in `events` (read, not stored) or, when none are given,
    those of the store at `db`. None, with a located error in `diags`, when the store is missing or
    unreadable (ACT020..ACT023)."""
    if events:
        return load_activity(events, diags, account_id=account_id, since=since, until=until)
    from ramstack.activity.store import StoreError, read

    try:
        return read(db, account_id=account_id, since=since, until=until)
    except StoreError as exc:
        diags.error(Location(str(db)), exc.code, exc.message, exc.fix)
        return None

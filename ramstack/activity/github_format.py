"""GitHub workflow commands for a replay (in `ramstack diff --replay --format github`): each call
the change would newly deny is an error annotation; a call it may deny (a system policy without a
document in the bundled catalog may grant it) a warning."""

from __future__ import annotations

from ramstack.activity.replay import ReplayResult
from ramstack.report.github import command


def replayed(result: ReplayResult) -> str:
    breaks = (
        command(
            "error",
            f"{b.principal}: {b.action} on {b.resource} would now be denied "
            f"({b.count} recorded calls, last {b.last_seen}): {b.reason}",
            title="BREAKS RECORDED CALLS",
        )
        for b in result.breaks
    )
    undecided = (
        command(
            "warning",
            f"{c.principal}: {c.action} on {c.resource} may now be denied "
            f"({c.count} recorded calls, last {c.last_seen}): {c.reason}",
            title="RECORDED CALLS UNDECIDED",
        )
        for c in result.undecided
    )
    return "".join([*breaks, *undecided])

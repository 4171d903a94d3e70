"""GitHub workflow commands for a replay (in `ramstack diff --replay --format github`): each call
the change would newly deny is an error annotation; a call it may deny (a system policy without a
document in the bundled catalog may grant it) a warning."""

from __future__ import annotations

from ramstack.activity.replay import ReplayedCall, ReplayResult
from ramstack.report.github import command


def replayed(result: ReplayResult) -> str:
    breaks = _annotations(result.breaks, "error", "would", "BREAKS RECORDED CALLS")
    return breaks + _annotations(result.undecided, "warning", "may", "RECORDED CALLS UNDECIDED")


def _annotations(calls: tuple[ReplayedCall, ...], level: str, verb: str, title: str) -> str:
    return "".join(
        command(
            level,
            f"{c.principal}: {c.action} on {c.resource} {verb} now be denied "
            f"({c.count} recorded calls, last {c.last_seen}): {c.reason}",
            title=title,
        )
        for c in calls
    )

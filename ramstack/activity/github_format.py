"""GitHub workflow commands for a replay (in `ramstack diff --replay --format github`): each call
the change would newly deny is an error annotation."""

from __future__ import annotations

from ramstack.activity.replay import ReplayResult
from ramstack.report.github import command


def replayed(result: ReplayResult) -> str:
    return "".join(
        command(
            "error",
            f"{b.principal}: {b.action} on {b.resource} would now be denied "
            f"({b.count} recorded calls, last {b.last_seen}): {b.reason}",
            title="BREAKS RECORDED CALLS",
        )
        for b in result.breaks
    )

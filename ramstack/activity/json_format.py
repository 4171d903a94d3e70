"""JSON reports of the activity verbs (stable keys, sorted)."""

from __future__ import annotations

from typing import Any

from ramstack.activity.generate import GeneratedPolicy
from ramstack.activity.log import ActivityLog
from ramstack.activity.replay import ReplayResult
from ramstack.activity.store import LoadResult
from ramstack.activity.unused import UnusedReport


def summary(log: ActivityLog) -> dict[str, Any]:
    return {
        "events": log.events,
        "outside_window": log.outside_window,
        "failed": log.failed,
        "distinct_uses": len(log.uses),
        "unknown_resource": log.unknown_resource,
        "principals": dict(sorted(log.principals.items())),
        "unmapped": [
            {"reason": r, "count": n, "first_at": str(log.unmapped_at[r])}
            for r, n in sorted(log.unmapped.items())
        ],
    }


def loaded(result: LoadResult, db: str) -> dict[str, Any]:
    return {
        "store": db,
        "files": result.files,
        "skipped": result.skipped,
        "events": result.events,
        "stored": result.stored,
        "duplicates": result.duplicates,
        "unmapped": dict(sorted(result.unmapped.items())),
    }


def unused(report: UnusedReport) -> dict[str, Any]:
    return {
        "principals": [p.to_json() for p in report.principals],
        "unknown_principals": [{"principal": s, "events": n} for s, n in report.unknown_principals],
    }


def generated(policy: GeneratedPolicy, subject: str) -> dict[str, Any]:
    return {
        "principal": subject,
        "calls": policy.calls,
        "notes": list(policy.notes),
        "document": policy.to_dict(),
    }


def replayed(result: ReplayResult) -> dict[str, Any]:
    return {
        "calls": result.calls,
        "decisions": result.decisions,
        "broken_calls": result.broken_calls,
        "breaks": [b.to_json() for b in result.breaks],
        "unexplained": [c.to_json() for c in result.unexplained],
        "undecided": [c.to_json() for c in result.undecided],
        "not_in_spec": list(result.not_in_spec),
    }

"""Plain-text reports of the activity verbs."""

from __future__ import annotations

from ramstack.activity.generate import GeneratedPolicy
from ramstack.activity.log import ActivityLog
from ramstack.activity.replay import ReplayedCall, ReplayResult
from ramstack.activity.store import LoadResult
from ramstack.activity.unused import UnusedReport
from ramstack.ui.listing import first_of


def summary(log: ActivityLog) -> str:
    lines = [f"events: {log.events} read, {log.outside_window} outside the window, {log.failed} failed calls"]
    if log.first and log.last:
        lines.append(f"window seen: {log.first:%Y-%m-%dT%H:%M:%SZ} .. {log.last:%Y-%m-%dT%H:%M:%SZ}")
    lines.append(
        f"distinct uses: {len(log.uses)}; calls with no resource in the event: {log.unknown_resource}"
    )
    for subject, count in sorted(log.principals.items()):
        lines.append(f"  {subject}: {count} events")
    if log.unmapped:
        lines.append(f"not mapped to a RAM action: {sum(log.unmapped.values())}")
        for reason, count in sorted(log.unmapped.items()):
            lines.append(f"  {count} x {reason} (first at {log.unmapped_at[reason]})")
    return "\n".join(lines) + "\n"


def loaded(result: LoadResult, db: str) -> str:
    lines = [
        f"stored {result.stored} of {result.events} events from {len(result.files)} files in {db}"
        + (f"; {result.duplicates} already stored (same eventId)" if result.duplicates else "")
    ]
    for path in result.skipped:
        lines.append(f"  already loaded (same content): {path}")
    if result.unmapped:
        lines.append(f"  of them not mapped to a RAM action: {sum(result.unmapped.values())}")
        for reason, count in sorted(result.unmapped.items()):
            lines.append(f"    {count} x {reason}")
    lines.append("the store now holds:")
    return "\n".join(lines) + "\n"


def unused(report: UnusedReport) -> str:
    lines: list[str] = []
    for p in report.principals:
        if not (p.grants or p.findings or p.not_checkable):
            lines.append(f"{p.subject}: every grant used ({p.calls} calls)")
            continue
        lines.append(f"{p.subject} ({p.calls} calls)")
        for code, message in p.findings:
            lines.append(f"  {code}: {message}")
        for g in p.grants:
            head = f"  unused: {g.action} on {g.resource}"
            if g.used:
                head += f" ({len(g.used)} used: {', '.join(g.used)})"
            lines.append(head)
            if g.unused and g.unused != (g.action,):
                lines.append(f"    never called: {first_of(g.unused)}")
            if not g.complete:
                lines.append("    the catalog cannot list every action this covers (service not catalogued)")
        for note in p.not_checkable:
            lines.append(f"  not checkable: {note}")
    for subject, count in report.unknown_principals:
        lines.append(f"not in the spec: {subject} ({count} events)")
    return "\n".join(lines) + "\n"


def generated(policy: GeneratedPolicy, subject: str) -> str:
    lines = [f"# least-privilege policy for {subject} from {policy.calls} recorded calls"]
    lines += [f"# note: {n}" for n in policy.notes]
    return "\n".join(lines) + "\n" + policy.to_json() + "\n"


def replayed(result: ReplayResult) -> str:
    lines = [
        f"replayed {result.calls} recorded calls ({result.decisions} distinct) of spec principals: "
        f"{result.broken_calls} would now be denied"
    ]
    for b in result.breaks:
        lines.append(f"  BREAKS {b.principal}: {b.action} on {b.resource} x{b.count}, last {b.last_seen}")
        lines.append(f"    {b.reason}")
    lines += _apart("undecided, permissions unknown", result.undecided)
    lines += _apart("not allowed by the base spec either", result.unexplained)
    for subject in result.not_in_spec:
        lines.append(f"not in the spec: {subject}")
    return "\n".join(lines) + "\n"


def _apart(title: str, calls: tuple[ReplayedCall, ...]) -> list[str]:
    """Recorded calls listed apart from the breakages, and not counted among them."""
    if not calls:
        return []
    lines = [f"{title} ({len(calls)}; not counted):"]
    lines += [f"  {c.principal}: {c.action} on {c.resource} x{c.count}: {c.reason}" for c in calls]
    return lines

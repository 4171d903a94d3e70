"""Closing summary lines, one shape for every verb (as terraform's "Plan: 3 to add, 0 to change,
0 to destroy."): a verb-named head, counts by kind, a full stop."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from ramstack.diagnostics import Diagnostic, Level

if TYPE_CHECKING:  # only a type here: importing it would load permdiff, effective and the evaluator
    from ramstack.permdiff.model import PermissionDiff


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def counts(head: str, parts: Mapping[str, int] | Iterable[tuple[str, int]]) -> str:
    items = parts.items() if isinstance(parts, Mapping) else parts
    return f"{head}: {', '.join(f'{n} {label}' for label, n in items)}."


def diagnostic_counts(items: Iterable[Diagnostic]) -> str:
    """`2 errors, 1 warning` (the levels of a validation run)."""
    levels = Counter(d.level for d in set(items))
    return f"{plural(levels[Level.ERROR], 'error')}, {plural(levels[Level.WARNING], 'warning')}"


def plan_line(resources: int) -> str:
    # The offline plan runs against an empty fake account, so everything is an add; the shape is kept
    # so the line reads like terraform's and pulumi's.
    return counts("Plan", [("to add", resources), ("to change", 0), ("to destroy", 0)])


def decisions_line(decisions: Iterable[str]) -> str:
    seen = Counter(decisions)
    order = ["Allow", "ExplicitDeny", "ImplicitDeny"]
    labels = order + sorted(k for k in seen if k not in order)
    total = sum(seen.values())
    return counts(f"Simulate: {plural(total, 'request')}", [(k, seen[k]) for k in labels])


def diff_line(diff: PermissionDiff) -> str:
    """Changes by kind: identities, grants (by change), trust, assumable roles, attributes, escalations."""
    if diff.empty:
        return "Diff: no permission changes."
    grants = Counter(c.kind for c in diff.grants)
    created = sum(1 for c in diff.identities if c.kind == "created")
    parts = [
        ("created", created),
        ("destroyed", len(diff.destroyed)),
        ("grants added", grants["added"]),
        ("removed", grants["removed"]),
        ("widened", grants["widened"]),
        ("narrowed", grants["narrowed"]),
        ("trust changes", len(diff.trust)),
        ("assume changes", len(diff.assumable)),
        ("attribute changes", len(diff.attributes)),
    ]
    # zero counts are left out (a long line of zeros hides what changed), except the two risky kinds
    shown = [(k, n) for k, n in parts if n or k == "destroyed"]
    return counts("Diff", [*shown, ("escalations", len(diff.escalations))])


def _listed(parts: Iterable[tuple[int, str, str | None]]) -> str:
    return ", ".join(plural(n, word, many) for n, word, many in parts)


def graph_line(kinds: Iterable[str], edges: Iterable[str]) -> str:
    """`Graph: 2 users, 1 group, 2 roles, 2 services reached; 7 edges.` (node kinds, edge count)."""
    seen = Counter(kinds)
    order: list[tuple[str, str, str | None]] = [("user", "user", None), ("group", "group", None)]
    order += [("role", "role", None)]
    order += [("oidc", "OIDC provider", None), ("api", "service reached", "services reached")]
    parts = [(seen[k], word, many) for k, word, many in order if seen[k] or k in ("user", "role")]
    return f"Graph: {_listed(parts)}; {plural(sum(1 for _ in edges), 'edge')}."


def rules_line(severities: Iterable[str]) -> str:
    """`Rules: 29 (5 critical, 7 high, 12 medium, 5 low).`"""
    seen = Counter(severities)
    order = ["critical", "high", "medium", "low", "info"]
    shown = ", ".join(f"{seen[s]} {s}" for s in order if seen[s])
    return f"Rules: {sum(seen.values())} ({shown})."


def drift_line(kinds: Iterable[str]) -> str:
    """`Drift: 1 unmanaged, 2 missing, 0 changed.` or `Drift: none, the account matches the spec.`"""
    seen = Counter(kinds)
    if not seen:
        return "Drift: none, the account matches the spec."
    return counts(
        "Drift",
        [("unmanaged", seen["unmanaged"]), ("missing", seen["missing"]), ("changed", seen["changed"])],
    )


def verify_line(results: Iterable[str]) -> str:
    """`Verify: 6 checks, 6 passed, 0 failed, 0 skipped.`"""
    seen = Counter(results)
    total = sum(seen.values())
    return (
        f"Verify: {plural(total, 'check')}, {seen['pass']} passed, {seen['fail']} failed, "
        f"{seen['skip']} skipped."
    )


def activity_load_line(events: int, principals: int, unmapped: int, outside: int) -> str:
    """`Activity: 120 events, 3 principals, 2 unmapped, 0 outside the window.`"""
    return (
        f"Activity: {plural(events, 'event')}, {plural(principals, 'principal')}, "
        f"{unmapped} unmapped, {outside} outside the window."
    )


def unused_line(principals: int, grants: int, findings: int) -> str:
    """`Unused: 2 principals with unused access: 3 grants, 1 finding.`"""
    if not grants and not findings:
        return "Unused: nothing unused in the window."
    return (
        f"Unused: {plural(principals, 'principal')} with unused access: {plural(grants, 'grant')}, "
        f"{plural(findings, 'finding')}."
    )


def generated_line(subject: str, statements: int, calls: int) -> str:
    return f"Generate: {plural(statements, 'statement')} for {subject} from {plural(calls, 'recorded call')}."


def replay_line(calls: int, decisions: int, broken: int, distinct: int, undecided: int = 0) -> str:
    """`Replay: 1,200 calls (40 decisions), 3 would be denied (2 distinct), 1 undecided.`"""
    return (
        f"Replay: {plural(calls, 'call')} ({plural(decisions, 'decision')}), "
        f"{broken} would be denied ({distinct} distinct)"
        + (f", {undecided} undecided." if undecided else ".")
    )


def files_line(head: str, files: int, where: str) -> str:
    """`Init: 9 files written to deploy.`"""
    return f"{head}: {plural(files, 'file')} written to {where}."

"""Closing summary lines, one shape for every verb (as terraform's "Plan: 3 to add, 0 to change,
0 to destroy."): a verb-named head, counts by kind, a full stop."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from ramstack.diagnostics import Diagnostic, Level
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

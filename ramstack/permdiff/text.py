"""Plain-text permission diff for terminals and CI logs."""

from __future__ import annotations

from ramstack.permdiff.model import PermissionDiff

MARK = {"added": "+", "removed": "-", "widened": "^", "narrowed": "v"}


def render(diff: PermissionDiff, title: str) -> str:
    if diff.empty:
        return f"{title}: no permission changes\n"
    lines = [f"{title}: permission changes"]
    for gone in diff.destroyed:
        lines.append(f"!! DESTROYED {gone.principal}: the identity and every grant it holds will be deleted")
    for risky in diff.escalations:
        lines.append(f"!! ESCALATION {risky.principal}: {risky.grant.describe()}")
    for subject in diff.principals():
        lines.append("")
        created = any(c.principal == subject and c.kind == "created" for c in diff.identities)
        destroyed = any(c.principal == subject and c.kind == "destroyed" for c in diff.identities)
        lines.append(f"{subject}{' (created)' if created else ''}{' (DESTROYED)' if destroyed else ''}")
        for g in (c for c in diff.grants if c.principal == subject):
            flag = "  [escalation]" if g.escalation else ""
            via = f"  ({', '.join(g.sources)})" if g.sources else ""
            lines.append(f"  {MARK[g.kind]} {g.describe()}{via}{flag}")
        for t in (c for c in diff.trust if c.role == subject):
            lines.append(f"  {'+' if t.kind == 'added' else '-'} trust: {t.describe()}")
        for a in (c for c in diff.assumable if c.principal == subject):
            lines.append(f"  {'+' if a.kind == 'added' else '-'} {a.describe()}")
        for at in (c for c in diff.attributes if c.principal == subject):
            lines.append(f"  ~ {at.describe()}")
    return "\n".join(lines) + "\n"

"""Plain-text drift report, for terminals and CI logs."""

from __future__ import annotations

from ramstack.account.drift import Drift
from ramstack.permdiff import text as permdiff_text

MARK = {"unmanaged": "+", "missing": "-", "changed": "~"}


def render(drift: Drift) -> str:
    head = f"stack {drift.stack}, account {drift.account_id}"
    if drift.empty:
        return f"{head}: no drift\n"
    lines = [f"{head}: drift ({len(drift.items)} difference(s); + only in the account, - only in the spec)"]
    subject = None
    for item in drift.items:
        if item.subject != subject:
            subject = item.subject
            lines.append(f"{subject}")
        lines.append(f"  {MARK[item.kind]} {item.describe()}")
    for name in drift.not_evaluated:
        lines.append(f"note: {name}: ramstack's grammar rejects the live document; it was not evaluated")
    lines.append("")
    title = "Effective permissions, spec -> account"
    return "\n".join(lines) + "\n" + permdiff_text.render(drift.permissions, title)

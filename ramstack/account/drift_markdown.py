"""Markdown drift report (an issue or pull-request comment)."""

from __future__ import annotations

from ramstack.account.drift import Drift
from ramstack.permdiff import markdown as permdiff_markdown

LABEL = {"unmanaged": "only in the account", "missing": "only in the spec", "changed": "changed"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(drift: Drift) -> str:
    out = [f"## Drift: stack `{drift.stack}`, account `{drift.account_id}`", ""]
    if drift.empty:
        out.append("No drift: the account matches the spec.")
        return "\n".join(out) + "\n"
    out += ["| subject | difference | what | spec | account |", "|---|---|---|---|---|"]
    for item in drift.items:
        out.append(
            f"| `{item.subject}` | {LABEL[item.kind]} | {_cell(item.what)} "
            f"| {_cell(item.expected)} | {_cell(item.actual)} |"
        )
    for name in drift.not_evaluated:
        out.append(f"\n> {name}: ramstack's grammar rejects the live document; it was not evaluated.")
    out.append("")
    body = "\n".join(out) + "\n"
    return body + permdiff_markdown.render(drift.permissions, "Effective permissions, spec -> account")

"""verify as markdown (a CI job summary): a heading with the counts, then a table."""

from __future__ import annotations

from ramstack.live.verify import Check, summary

_ICON = {"pass": "✅ pass", "fail": "❌ fail", "skip": "⏭ skip"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(stack: str, checks: list[Check]) -> str:
    counts = summary(checks)
    lines = [
        f"### ramstack verify: stack `{stack}`",
        "",
        f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped.",
        "",
        "| result | user | check | role | detail |",
        "|---|---|---|---|---|",
    ]
    for c in checks:
        role = f"`{c.role}`" if c.role else ""
        lines.append(f"| {_ICON[c.result]} | `{c.user}` | {c.check} | {role} | {_cell(c.detail)} |")
    return "\n".join(lines) + "\n"

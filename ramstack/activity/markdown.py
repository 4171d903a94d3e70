"""Markdown reports of the activity verbs (for a pull request)."""

from __future__ import annotations

from ramstack.activity.replay import ReplayResult
from ramstack.activity.unused import UnusedReport


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def unused(report: UnusedReport) -> str:
    lines = ["### Unused access", "", "| principal | unused | used | note |", "|---|---|---|---|"]
    for p in report.principals:
        for code, message in p.findings:
            lines.append(f"| `{p.subject}` | {code} | | {_cell(message)} |")
        for g in p.grants:
            note = "" if g.complete else "catalog cannot list all"
            unused = f"`{_cell(g.action)}` on `{_cell(g.resource)}` ({len(g.unused)} actions)"
            lines.append(f"| `{p.subject}` | {unused} | {len(g.used)} | {note} |")
    for subject, count in report.unknown_principals:
        lines.append(f"| `{_cell(subject)}` | not in the spec | {count} events | |")
    return "\n".join(lines) + "\n"


def replayed(result: ReplayResult) -> str:
    head = (
        f"### Replay: {result.broken_calls} of {result.calls} recorded calls would now be denied"
        if result.breaks
        else f"### Replay: all {result.calls} recorded calls still allowed"
    )
    lines = [head, ""]
    if result.breaks:
        lines += ["| principal | action | resource | count | last seen |", "|---|---|---|---|---|"]
        for b in result.breaks:
            lines.append(
                f"| `{b.principal}` | `{b.action}` | `{_cell(b.resource)}` | {b.count} | {b.last_seen} |"
            )
    if result.undecided:
        lines += [
            "",
            f"{len(result.undecided)} recorded uses are undecided (not counted): a system policy without "
            "a document in the bundled catalog may grant them.",
            "",
            "| principal | action | resource | count | why unknown |",
            "|---|---|---|---|---|",
        ]
        for c in result.undecided:
            lines.append(
                f"| `{c.principal}` | `{c.action}` | `{_cell(c.resource)}` | {c.count} | {_cell(c.reason)} |"
            )
    if result.unexplained:
        lines += ["", f"{len(result.unexplained)} recorded uses are not allowed by the base spec either."]
    return "\n".join(lines) + "\n"

"""Markdown permission diff, ready to post as a pull-request comment."""

from __future__ import annotations

from ramstack.permdiff.model import GrantChange, PermissionDiff

LABEL = {"added": "added", "removed": "removed", "widened": "**widened**", "narrowed": "narrowed"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|") if text else ""


def _code(text: str) -> str:
    return f"`{text}`" if text else ""


def _grant_row(change: GrantChange) -> str:
    g = change.grant
    action = ("NOT " if g.not_action else "") + _code(g.action)
    resource = ("NOT " if g.not_resource else "") + _code(g.resource)
    if change.before is not None:
        if change.before.action.lower() != g.action.lower():
            action += f" (was {_code(change.before.action)})"
        if change.before.resource != g.resource:
            resource += f" (was {_code(change.before.resource)})"
    conditions = _code(g.conditions)
    if change.before is not None and change.before.conditions != g.conditions:
        conditions = f"{conditions or 'none'} (was {_code(change.before.conditions) or 'none'})"
    label = LABEL[change.kind] + (" :warning: escalation" if change.escalation else "")
    return (
        f"| {label} | {g.effect} | {_cell(action)} | {_cell(resource)} | {_cell(conditions)} "
        f"| {_cell(', '.join(change.sources))} |"
    )


def render(diff: PermissionDiff, title: str, picture: str = "") -> str:
    """`picture`: a Mermaid graph of the change (ramstack.graph.change), shown after the summary."""
    out = [f"### {title}", ""]
    if diff.empty:
        out.append("No permission changes.")
        return "\n".join(out) + "\n"
    summary = diff.to_json()["summary"]
    out.append(
        f"{len(diff.principals())} principal(s) changed: {summary['grants_added']} grant(s) added, "
        f"{summary['grants_removed']} removed, {summary['grants_widened']} widened, "
        f"{summary['grants_narrowed']} narrowed, {summary['trust_changes']} trust change(s)."
    )
    if diff.destroyed or diff.escalations:
        out += ["", "> [!CAUTION]"]
        for d in diff.destroyed:
            out.append(f"> **{d.principal} will be destroyed**, with every grant and credential it holds.")
        for e in diff.escalations:
            out.append(f"> Escalation-relevant grant for **{e.principal}**: {_code(e.grant.describe())}")
    if picture:
        out += [
            "",
            "<details open><summary>Access graph of the change: green added, red removed</summary>",
            "",
            "```mermaid",
            picture.rstrip("\n"),
            "```",
            "",
            "</details>",
        ]
    for subject in diff.principals():
        state = {c.kind for c in diff.identities if c.principal == subject}
        suffix = " (new)" if "created" in state else " (**destroyed**)" if "destroyed" in state else ""
        out += ["", f"#### `{subject}`{suffix}"]
        grants = [c for c in diff.grants if c.principal == subject]
        if grants:
            out += [
                "",
                "| change | effect | action | resource | conditions | from |",
                "|---|---|---|---|---|---|",
            ]
            out += [_grant_row(c) for c in grants]
        notes = [f"- trust: {t.describe()}" for t in diff.trust if t.role == subject]
        notes += [f"- {a.describe()}" for a in diff.assumable if a.principal == subject]
        notes += [f"- {a.describe()}" for a in diff.attributes if a.principal == subject]
        if notes:
            out += ["", *notes]
    return "\n".join(out) + "\n"

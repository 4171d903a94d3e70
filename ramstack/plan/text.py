"""Plain-text plan: readable tables for a terminal or a CI log."""

from __future__ import annotations

from typing import Any

from ramstack.effective.model import Grant
from ramstack.spec.catalog import snapshot as catalog_snapshot
from ramstack.ui.layout import bullets, table, width, wrap


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ",".join(map(str, value)) or "-"
    return str(value)


def _grant(g: dict[str, Any]) -> list[str]:
    action = ("NOT " if g.get("not_action") else "") + g["action"]
    resource = ("NOT " if g.get("not_resource") else "") + g["resource"]
    n = g.get("expands_to")
    return [g["effect"], action, "?" if n is None else str(n), resource, g.get("conditions", "")]


def render(plan: dict[str, Any], *, documents: bool = False, limit: int | None = None) -> str:
    """The plan for a terminal or a log, `limit` columns wide (default: ui.layout.width()): tables
    fold their widest cells, the reach through each role is a nested list of grants."""
    limit = width() if limit is None else limit
    out = wrap(
        f"ramstack plan: stack {plan['stack']}, account {plan['account_id']}, {plan['region']} (offline, "
        "built-in fake cloud)",
        limit=limit,
    )
    out.append("")
    rows = [
        [r["type"].split(":")[-1], r["name"], r["parent"].split("::")[-1], "yes" if r["protect"] else ""]
        for r in plan["resources"]
    ]
    out.append(f"Resources to create: {len(rows)}")
    out += table(["type", "name", "component", "protect"], rows, limit=limit, keep=(1,))
    for subject, p in plan["principals"].items():
        out += ["", f"{subject}"]
        attrs = ", ".join(f"{k}={_value(v)}" for k, v in sorted(p.get("attributes", {}).items()))
        if attrs:
            out += wrap(attrs, indent="  ", limit=limit)
        unknown = p.get("attributes", {}).get("not_evaluated") or []
        if p["grants"]:
            out += [
                *table(
                    ["effect", "action", "#", "resource", "conditions"],
                    [_grant(g) for g in p["grants"]],
                    indent="  ",
                    limit=limit,
                    keep=(1,),  # an action is copied and searched for whole, as an ARN is
                )
            ]
        elif not unknown:
            out.append("  no permissions")
        if unknown:
            out += wrap(
                f"effective permissions unknown: no document for {', '.join(unknown)} in the bundled "
                f"catalog of {catalog_snapshot()}, so not evaluated (ramstack catalog NAME)",
                indent="  ",
                limit=limit,
            )
        for t in p.get("trusted_by", []):
            cond = f" when {t['conditions']}" if t.get("conditions") else ""
            out += wrap(f"trusted by {t['type']} {t['principal']}{cond}", indent="  ", limit=limit)
        if p.get("assumed_by"):
            out += wrap(f"assumable by {', '.join(p['assumed_by'])}", indent="  ", limit=limit)
        for a in p.get("assumable_roles", []):
            req = f" (request must carry {', '.join(a['requires'])})" if a.get("requires") else ""
            out += wrap(f"can assume {a['role']}{req}", indent="  ", limit=limit)
        for note in p.get("cross_account", []):
            out += wrap(f"cross-account: {note}", indent="  ", limit=limit)
        for reach in p.get("reach", []):
            grants = [Grant.from_json(g).describe() for g in reach["grants"]]
            out.append(f"  through {reach['role']}:{'' if grants else ' nothing'}")
            out += bullets(grants, indent="    ", limit=limit)
    if documents:
        out += ["", "Documents (canonical JSON, as pulumi up sends them):"]
        out += [f"  {d['resource']} {d['input']}:\n    {d['document']}" for d in plan["documents"]]
    out.append("")
    out += wrap(
        f"Outputs: {', '.join(plan['outputs'])} (secret: {', '.join(plan['secret_outputs']) or 'none'})",
        limit=limit,
    )
    out.append("'#' = actions the bundled catalog expands the pattern to ('?' = service not catalogued).")
    return "\n".join(out) + "\n"

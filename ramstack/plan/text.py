"""Plain-text plan: readable tables for a terminal or a CI log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ramstack.effective.model import Grant
from ramstack.spec.catalog import snapshot as catalog_snapshot


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return out


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


def render(plan: dict[str, Any], *, documents: bool = False) -> str:
    out = [
        f"ramstack plan: stack {plan['stack']} (account {plan['account_id']}, {plan['region']}), offline "
        "against the built-in fake cloud",
        "",
    ]
    rows = [
        [r["type"].split(":")[-1], r["name"], r["parent"].split("::")[-1], "yes" if r["protect"] else ""]
        for r in plan["resources"]
    ]
    out.append(f"Resources to create: {len(rows)}")
    out += table(["type", "name", "component", "protect"], rows)
    for subject, p in plan["principals"].items():
        out += ["", f"{subject}"]
        attrs = ", ".join(f"{k}={_value(v)}" for k, v in sorted(p.get("attributes", {}).items()))
        if attrs:
            out.append(f"  {attrs}")
        unknown = p.get("attributes", {}).get("not_evaluated") or []
        if p["grants"]:
            out += [
                "  " + line
                for line in table(
                    ["effect", "action", "#", "resource", "conditions"], [_grant(g) for g in p["grants"]]
                )
            ]
        elif not unknown:
            out.append("  no permissions")
        if unknown:
            out.append(
                f"  effective permissions unknown: no document for {', '.join(unknown)} in the bundled "
                f"catalog of {catalog_snapshot()}, so not evaluated (ramstack catalog NAME)"
            )
        for t in p.get("trusted_by", []):
            cond = f" when {t['conditions']}" if t.get("conditions") else ""
            out.append(f"  trusted by {t['type']} {t['principal']}{cond}")
        if p.get("assumed_by"):
            out.append(f"  assumable by {', '.join(p['assumed_by'])}")
        for a in p.get("assumable_roles", []):
            req = f" (request must carry {', '.join(a['requires'])})" if a.get("requires") else ""
            out.append(f"  can assume {a['role']}{req}")
        for note in p.get("cross_account", []):
            out.append(f"  cross-account: {note}")
        for reach in p.get("reach", []):
            grants = "; ".join(Grant.from_json(g).describe() for g in reach["grants"])
            out.append(f"  through {reach['role']}: {grants or 'nothing'}")
    if documents:
        out += ["", "Documents (canonical JSON, as pulumi up sends them):"]
        out += [f"  {d['resource']} {d['input']}:\n    {d['document']}" for d in plan["documents"]]
    out += [
        "",
        f"Outputs: {', '.join(plan['outputs'])} (secret: {', '.join(plan['secret_outputs']) or 'none'})",
        "'#' = actions the bundled catalog expands the pattern to ('?' = service not catalogued).",
    ]
    return "\n".join(out) + "\n"

"""The self-contained HTML report: one file, no network (inline CSS, a few lines of inline script,
the graph drawn server-side as SVG by the built-in layout, so the page looks the same on every
machine whether Graphviz is installed or not). Sections: the access graph, the change as a picture
with the diff, lint findings, and each principal's effective permissions; a search box filters the
principals and highlights matching nodes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from ramstack.effective.model import EffectivePermissions, PrincipalPermissions
from ramstack.graph import layout
from ramstack.graph.model import Graph
from ramstack.permdiff.model import PermissionDiff

_STYLE = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;color:#1f2328;background:#fff}
header{position:sticky;top:0;background:#f6f8fa;border-bottom:1px solid #d0d7de;padding:.6em 1.2em;z-index:1}
header h1{font-size:1.2em;margin:0 0 .3em}
main{padding:0 1.2em 2em}
#search{width:28em;max-width:90%;padding:.3em .5em;font-size:1em}
.graph{overflow:auto;border:1px solid #d0d7de;border-radius:6px;padding:.5em;background:#fff}
.legend span{display:inline-block;margin-right:1.2em;font-size:.9em}
table{border-collapse:collapse;margin:.4em 0 1em;font-size:.9em}
td,th{border:1px solid #d0d7de;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.95em}
.escalation-mark{color:#cf222e;font-weight:bold}
.added{color:#1a7f37}.removed{color:#cf222e}
.hidden{display:none}
svg .dim{opacity:.2}
svg .match rect{stroke:#0969da;stroke-width:4}
""".strip()

_SCRIPT = """
(function(){
  var box=document.getElementById('search');
  function filter(){
    var q=box.value.trim().toLowerCase();
    document.querySelectorAll('section.principal').forEach(function(s){
      s.classList.toggle('hidden', q!=='' && s.getAttribute('data-search').indexOf(q)<0);
    });
    document.querySelectorAll('svg .node').forEach(function(n){
      var hit=q!=='' && n.getAttribute('data-id').toLowerCase().indexOf(q)>=0;
      n.classList.toggle('match',hit);
      n.classList.toggle('dim',q!=='' && !hit);
    });
  }
  box.addEventListener('input',filter);
  // report.html#q=alice opens filtered: a link a reviewer can share
  if(location.hash.indexOf('#q=')===0){box.value=decodeURIComponent(location.hash.slice(3));filter();}
})();
""".strip()


@dataclass(frozen=True)
class ReportParts:
    title: str
    graph: Graph | None = None  # the whole stack (or a focus)
    effective: EffectivePermissions | None = None
    findings: Sequence[tuple[str, str]] | None = None  # (severity, finding line); None: not linted
    diff: PermissionDiff | None = None
    diff_label: str = ""
    change: Graph | None = None  # the diff as a picture
    notes: Sequence[str] = field(default=())
    sections: Sequence[str] = field(default=())  # rendered HTML placed after the diff (a replay)


def _legend() -> str:
    return (
        '<p class="legend"><span>solid arrow: both identity grant and trust allow</span>'
        '<span style="color:#bf8700">dashed amber: half-configured (one side only)</span>'
        '<span class="escalation-mark">red, ⚠: escalation path</span>'
        '<span class="added">green: added</span><span class="removed">red dashed: removed</span></p>'
    )


def _grants_table(principal: PrincipalPermissions) -> str:
    if not principal.grants:
        return "<p>No grants.</p>"
    rows = []
    for grant, sources in principal.grants:
        action = ("NOT " if grant.not_action else "") + grant.action
        resource = ("NOT " if grant.not_resource else "") + grant.resource
        mark = ' <span class="escalation-mark">⚠ escalation</span>' if grant.is_escalation() else ""
        rows.append(
            f"<tr><td>{escape(grant.effect)}</td><td><code>{escape(action)}</code>{mark}</td>"
            f"<td><code>{escape(resource)}</code></td><td><code>{escape(grant.conditions)}</code></td>"
            f"<td>{escape(', '.join(sources))}</td></tr>"
        )
    return (
        "<table><tr><th>effect</th><th>action</th><th>resource</th><th>conditions</th><th>from</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def _principal(principal: PrincipalPermissions) -> str:
    lines = [
        f"<li>can assume <code>{escape(a.role)}</code>"
        + (f" (request must carry {escape(', '.join(a.requires))})" if a.requires else "")
        + "</li>"
        for a in principal.assumable
    ]
    lines += [f"<li>trusted: {escape(t.describe())}</li>" for t in principal.trusted_by]
    lines += [f"<li>{escape(k)}: {escape(str(v))}</li>" for k, v in principal.attributes]
    search = " ".join([principal.subject, *(g.action for g, _ in principal.grants)]).lower()
    return (
        f'<section class="principal" id="p-{escape(principal.subject)}" data-search="{escape(search)}">'
        f"<h3><code>{escape(principal.subject)}</code></h3>"
        f"<ul>{''.join(lines)}</ul>{_grants_table(principal)}</section>"
    )


def _diff(diff: PermissionDiff, label: str, change: Graph | None) -> str:
    out = [f'<h2 id="diff">Changes {escape(label)}</h2>']
    if diff.empty:
        return out[0] + "<p>No permission changes.</p>"
    if change is not None and change.nodes:
        out.append(f'<div class="graph change">{layout.render(change)}</div>')
    rows = []
    for c in diff.grants:
        mark = ' <span class="escalation-mark">⚠ escalation</span>' if c.escalation else ""
        css = "added" if c.kind in ("added", "widened") else "removed"
        rows.append(
            f'<tr class="{css}"><td><code>{escape(c.principal)}</code></td><td>{escape(c.kind)}{mark}</td>'
            f"<td>{escape(c.describe())}</td></tr>"
        )
    for t in diff.trust:
        css = "added" if t.kind == "added" else "removed"
        rows.append(
            f'<tr class="{css}"><td><code>{escape(t.role)}</code></td><td>trust</td>'
            f"<td>{escape(t.describe())}</td></tr>"
        )
    for a in diff.assumable:
        css = "added" if a.kind == "added" else "removed"
        rows.append(
            f'<tr class="{css}"><td><code>{escape(a.principal)}</code></td><td>assume</td>'
            f"<td>{escape(a.describe())}</td></tr>"
        )
    for i in diff.identities:
        css = "added" if i.kind == "created" else "removed"
        rows.append(
            f'<tr class="{css}"><td><code>{escape(i.principal)}</code></td><td>{escape(i.kind)}</td>'
            "<td></td></tr>"
        )
    for at in diff.attributes:
        rows.append(
            f"<tr><td><code>{escape(at.principal)}</code></td><td>attribute</td>"
            f"<td>{escape(at.describe())}</td></tr>"
        )
    out.append("<table><tr><th>principal</th><th>change</th><th>what</th></tr>" + "".join(rows) + "</table>")
    return "".join(out)


def render(parts: ReportParts) -> str:
    body = [
        f"<header><h1>{escape(parts.title)}</h1>"
        '<input id="search" type="search" placeholder="Filter principals and nodes (name or action)" '
        'aria-label="search"></header><main>'
    ]
    body += [f"<p>{escape(note)}</p>" for note in parts.notes]
    if parts.graph is not None:
        body.append('<h2 id="graph">Access graph</h2>' + _legend())
        body.append(f'<div class="graph whole">{layout.render(parts.graph)}</div>')
    if parts.diff is not None:
        body.append(_diff(parts.diff, parts.diff_label, parts.change))
    body += list(parts.sections)
    if parts.findings is not None:
        body.append('<h2 id="findings">Lint findings</h2>')
        if parts.findings:
            items = "".join(
                f'<li class="finding {escape(sev)}"><code>{escape(line)}</code></li>'
                for sev, line in parts.findings
            )
            body.append(f"<ul>{items}</ul>")
        else:
            body.append("<p>No findings.</p>")
    if parts.effective is not None:
        body.append('<h2 id="principals">Effective permissions</h2>')
        body += [_principal(p) for p in parts.effective.principals]
    body.append("</main>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        # The page never loads anything: this policy makes a stray reference fail closed.
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">"
        f"<title>{escape(parts.title)}</title><style>{_STYLE}</style></head><body>"
        + "\n".join(body)
        + f"<script>{_SCRIPT}</script></body></html>\n"
    )

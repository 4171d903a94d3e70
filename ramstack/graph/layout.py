"""A built-in column layout drawn as SVG: no Graphviz needed, so the HTML report is one file that
renders anywhere. Columns follow the flow of access (who comes in -> users -> groups -> roles ->
other accounts' roles -> services reached); inside a column nodes are ordered by the mean position
of their neighbours to the left (one barycentre pass), ties by id, so the output is byte-stable."""

from __future__ import annotations

from html import escape

from ramstack.graph.mermaid import ADDED, ESCALATION, HALF, REMOVED
from ramstack.graph.model import KIND_TITLE, Edge, Graph, Node

ROW, GAP, PAD, CHAR, LABEL_MAX = 40, 150, 24, 7.0, 64


def _column(node: Node, sources: set[str]) -> int:
    if node.kind in ("oidc", "service", "account"):
        return 0
    if node.kind == "outside":  # callers from other accounts on the left, their roles on the right
        return 0 if node.id in sources else 4
    return {"user": 1, "group": 2, "role": 3}.get(node.kind, 5)


def _width(node: Node) -> float:
    return max(90.0, CHAR * len(_text(node)) + 20)


def _text(node: Node) -> str:
    mark = {"added": "+ ", "removed": "− "}.get(node.status, "")
    return mark + node.label + (" ⚠" if node.escalation and node.kind != "api" else "")


def _edge_text(edge: Edge) -> str:
    text = "member of" if edge.kind == "member" else edge.label
    if edge.half:
        text = f"half: {edge.half}" + (f", {text}" if text else "")
    return {"added": "+ ", "removed": "− "}.get(edge.status, "") + text


def _classes(prefix: str, *parts: str) -> str:
    return " ".join([prefix, *(p for p in parts if p)])


def render(graph: Graph) -> str:
    sources = {e.source for e in graph.edges}
    col_of = {n.id: _column(n, sources) for n in graph.nodes}
    columns: dict[int, list[Node]] = {}
    for node in graph.nodes:
        columns.setdefault(col_of[node.id], []).append(node)
    left: dict[str, list[str]] = {}
    for e in graph.edges:
        left.setdefault(e.target, []).append(e.source)
    rank: dict[str, float] = {}
    order = sorted(columns)
    for col in order:
        members = sorted(columns[col], key=lambda n: (n.kind, n.id))
        for index, node in enumerate(members):  # first guess: kind then id
            rank.setdefault(node.id, float(index))

        def centre(node: Node, current: int = col) -> tuple[float, str]:
            placed = [rank[s] for s in left.get(node.id, ()) if s in rank and col_of[s] < current]
            return (sum(placed) / len(placed) if placed else rank[node.id], node.id)

        columns[col] = sorted(members, key=centre)
        for index, node in enumerate(columns[col]):
            rank[node.id] = float(index)
    x = float(PAD)
    pos: dict[str, tuple[float, float, float]] = {}  # id -> (x, y, width)
    heights = []
    right = float(PAD)
    for col in order:
        width = max(_width(n) for n in columns[col])
        for index, node in enumerate(columns[col]):
            pos[node.id] = (x, PAD + 40 + index * ROW, width)
        heights.append(PAD + 40 + len(columns[col]) * ROW)
        right = x + width
        # Room for the longest edge label leaving this column (labels are cut at LABEL_MAX).
        labels = [len(_edge_text(e)) for e in graph.edges if col_of[e.source] == col]
        x += width + max(GAP, min(max(labels, default=0), LABEL_MAX) * 5.8 + 40)
    total_w, total_h = int(right + PAD), int(max(heights or [0]) + PAD)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="access-graph" width="{total_w}" '
        f'height="{total_h}" viewBox="0 0 {total_w} {total_h}" font-family="Helvetica, Arial, sans-serif" '
        'font-size="12">',
        "<defs>",
        *(
            f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{color}"/>'
            "</marker>"
            for name, color in (
                ("plain", "#57606a"),
                ("added", ADDED),
                ("removed", REMOVED),
                ("half", HALF),
                ("escalation", ESCALATION),
            )
        ),
        "</defs>",
    ]
    for col in order:
        first = columns[col][0]
        kinds = sorted({KIND_TITLE[n.kind] for n in columns[col]})
        out.append(
            f'<text class="column-title" x="{pos[first.id][0]:.0f}" y="{PAD + 8}" font-weight="bold" '
            f'fill="#57606a">{escape(" / ".join(kinds))}</text>'
        )
    col_x = {col: pos[columns[col][0].id][0] for col in order}
    following = {col: col_x[order[i + 1]] for i, col in enumerate(order[:-1])}
    for edge in graph.edges:
        source_col, target_col = col_of[edge.source], col_of[edge.target]
        skips = order.index(target_col) - order.index(source_col) > 1
        out.append(_svg_edge(edge, pos, following.get(source_col) if skips else None))
    for node in graph.nodes:
        out.append(_svg_node(node, pos[node.id]))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_node(node: Node, where: tuple[float, float, float]) -> str:
    x, y, width = where
    fill = {"user": "#ddf4ff", "group": "#fff8c5", "role": "#fbefff", "api": "#f6f8fa"}.get(
        node.kind, "#eaeef2"
    )
    stroke, dash = "#57606a", ""
    if node.status == "added":
        fill, stroke = "#dafbe1", ADDED
    elif node.status == "removed":
        fill, stroke, dash = "#ffebe9", REMOVED, ' stroke-dasharray="6 4"'
    elif node.escalation:
        fill, stroke = "#ffebe9", ESCALATION
    wide = 3 if node.status or node.escalation else 1
    radius = 14 if node.kind == "user" else 4
    cls = _classes("node", node.kind, "escalation" if node.escalation else "", node.status)
    return (
        f'<g class="{cls}" data-id="{escape(node.id)}"><title>{escape(node.id)}</title>'
        f'<rect x="{x:.0f}" y="{y - 14:.0f}" width="{width:.0f}" height="28" rx="{radius}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="{wide}"{dash}/>'
        f'<text x="{x + 10:.0f}" y="{y + 4:.0f}">{escape(_text(node))}</text></g>'
    )


def _svg_edge(edge: Edge, pos: dict[str, tuple[float, float, float]], next_x: float | None) -> str:
    """`next_x`: for an edge that skips columns, where the next column starts: the edge then runs
    in the gap between rows (never through a node, which would read as an edge of that node)."""
    sx, sy, sw = pos[edge.source]
    tx, ty, _ = pos[edge.target]
    x1, x2 = sx + sw, tx
    if next_x is not None and x2 > x1:
        cy, xa = sy - ROW / 2, x1 + 30
        path = (
            f"M {x1:.0f} {sy:.0f} C {xa:.0f} {sy:.0f}, {xa:.0f} {cy:.0f}, {xa + 30:.0f} {cy:.0f} "
            f"L {x2 - 60:.0f} {cy:.0f} C {x2 - 30:.0f} {cy:.0f}, {x2 - 30:.0f} {ty:.0f}, {x2:.0f} {ty:.0f}"
        )
        mx, my = (x1 + next_x) / 2, cy + 3
    elif x2 <= x1:  # same column or backwards: an arc out to the right and back in
        x1, x2 = sx + sw, tx + pos[edge.target][2]
        bend = 60 + abs(ty - sy) / 4
        path = f"M {x1:.0f} {sy:.0f} C {x1 + bend:.0f} {sy:.0f}, {x2 + bend:.0f} {ty:.0f}, {x2:.0f} {ty:.0f}"
        mx, my = max(x1, x2) + bend * 0.75, (sy + ty) / 2
    else:
        mid = (x1 + x2) / 2
        path = f"M {x1:.0f} {sy:.0f} C {mid:.0f} {sy:.0f}, {mid:.0f} {ty:.0f}, {x2:.0f} {ty:.0f}"
        mx, my = mid, (sy + ty) / 2
    style, color, width, dash = "plain", "#57606a", 1.2, ""
    if edge.status == "added":
        style, color, width = "added", ADDED, 3.0
    elif edge.status == "removed":
        style, color, width, dash = "removed", REMOVED, 3.0, ' stroke-dasharray="6 4"'
    elif edge.half:
        style, color, width, dash = "half", HALF, 2.0, ' stroke-dasharray="5 4"'
    elif edge.escalation:
        style, color, width = "escalation", ESCALATION, 3.0
    text = _edge_text(edge)
    shown = text if len(text) <= LABEL_MAX else text[: LABEL_MAX - 1] + "…"  # all of it in <title>
    cls = _classes(
        "edge",
        edge.kind,
        f"half-{edge.half}" if edge.half else "",
        "escalation" if edge.escalation else "",
        edge.status,
    )
    label = (
        f'<text x="{mx:.0f}" y="{my - 4:.0f}" text-anchor="middle" font-size="10" fill="{color}" '
        f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(shown)}</text>'
        if text
        else ""
    )
    return (
        f'<g class="{cls}" data-source="{escape(edge.source)}" data-target="{escape(edge.target)}">'
        f"<title>{escape(edge.source)} → {escape(edge.target)}{': ' + escape(text) if text else ''}</title>"
        f'<path d="{path}" fill="none" stroke="{color}" stroke-width="{width}"{dash} '
        f'marker-end="url(#arrow-{style})"/>{label}</g>'
    )

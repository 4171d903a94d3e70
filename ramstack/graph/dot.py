"""Graphviz DOT of an access graph: one cluster per kind, left to right (dot lays it out)."""

from __future__ import annotations

from ramstack.graph.mermaid import ADDED, ESCALATION, HALF, REMOVED
from ramstack.graph.model import KIND_ORDER, KIND_TITLE, Edge, Graph, Node

_SHAPES = {
    "user": 'box, style="rounded,filled", fillcolor="#ddf4ff"',
    "group": 'box3d, style=filled, fillcolor="#fff8c5"',
    "role": 'hexagon, style=filled, fillcolor="#fbefff"',
    "api": 'cylinder, style=filled, fillcolor="#f6f8fa"',
}


def quote(text: str) -> str:
    """A DOT double-quoted string: backslashes and quotes escaped, line breaks flattened (so a
    name can never end the string or inject attributes)."""
    text = " ".join(text.split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _node(node: Node) -> str:
    shape = _SHAPES.get(node.kind, 'cds, style=filled, fillcolor="#eaeef2"')
    mark = {"added": "+ ", "removed": "− "}.get(node.status, "")
    warn = " ⚠" if node.escalation and node.kind != "api" else ""
    attrs = [f"label={quote(mark + node.label + warn)}", f"shape={shape}", f"tooltip={quote(node.id)}"]
    if node.status == "added":
        attrs.append(f'color="{ADDED}", penwidth=3')
    elif node.status == "removed":
        attrs.append(f'color="{REMOVED}", penwidth=3, style=dashed')
    elif node.escalation:
        attrs.append(f'color="{ESCALATION}", penwidth=3')
    return f"{quote(node.id)} [{', '.join(attrs)}];"


def _edge(edge: Edge) -> str:
    text = "member of" if edge.kind == "member" else edge.label
    if edge.half:
        text = f"half: {edge.half}" + (f", {text}" if text else "")
    text = {"added": "+ ", "removed": "− "}.get(edge.status, "") + text
    attrs = [f"label={quote(text)}"] if text else []
    if edge.kind == "member":
        attrs.append("arrowhead=empty")
    if edge.status == "added":
        attrs.append(f'color="{ADDED}", fontcolor="{ADDED}", penwidth=3')
    elif edge.status == "removed":
        attrs.append(f'color="{REMOVED}", fontcolor="{REMOVED}", penwidth=3, style=dashed')
    elif edge.half:
        attrs.append(f'color="{HALF}", fontcolor="{HALF}", style=dashed')
    elif edge.escalation:
        attrs.append(f'color="{ESCALATION}", penwidth=3')
    suffix = f" [{', '.join(attrs)}]" if attrs else ""
    return f"{quote(edge.source)} -> {quote(edge.target)}{suffix};"


def render(graph: Graph, title: str = "") -> str:
    out = [
        "digraph access {",
        "  rankdir=LR;",
        '  graph [fontname="Helvetica", fontsize=12, nodesep=0.3, ranksep=1.2'
        + (f", label={quote(title)}, labelloc=t" if title else "")
        + "];",
        '  node [fontname="Helvetica", fontsize=11];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for kind in KIND_ORDER:
        members = [n for n in graph.nodes if n.kind == kind]
        if not members:
            continue
        out.append(f"  subgraph cluster_{kind} {{")
        out.append(f'    label={quote(KIND_TITLE[kind])}; style=rounded; color="#d0d7de";')
        out += [f"    {_node(n)}" for n in members]
        out.append("  }")
    out += [f"  {_edge(e)}" for e in graph.edges]
    out.append("}")
    return "\n".join(out) + "\n"

"""Mermaid flowchart of an access graph (GitHub renders it in markdown, pull-request comments too)."""

from __future__ import annotations

import re

from ramstack.graph.model import KIND_ORDER, KIND_TITLE, Edge, Graph, Node

ADDED, REMOVED, ESCALATION, HALF = "#2da44e", "#cf222e", "#cf222e", "#bf8700"

_SHAPES = {
    "user": ('(["', '"])'),
    "group": ('[["', '"]]'),
    "role": ('{{"', '"}}'),
    "api": ('[("', '")]'),
}
CLASSES = {
    "added": f"fill:#dafbe1,stroke:{ADDED},stroke-width:3px",
    "removed": f"fill:#ffebe9,stroke:{REMOVED},stroke-width:3px,stroke-dasharray:6 4",
    "escalation": f"fill:#ffebe9,stroke:{ESCALATION},stroke-width:3px",
}
_UNSAFE = re.compile(r"[^A-Za-z0-9]")


def node_id(raw: str) -> str:
    """A Mermaid id for any node id: letters and digits kept, every other character as _xx (so
    `user/a.b` and `user/a-b` stay distinct), prefixed so a name like `end` is never a keyword."""
    return "n_" + _UNSAFE.sub(lambda m: "_" + "".join(f"{b:02x}" for b in m.group().encode()), raw)


def label(text: str) -> str:
    """Text for a quoted Mermaid label: quotes, angle brackets and `#` as entity codes."""
    text = " ".join(text.split())
    for raw, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("`", "#96;")):
        text = text.replace(raw, code)
    return text


def _node(node: Node) -> str:
    start, end = _SHAPES.get(node.kind, ('>"', '"]'))
    mark = {"added": "+ ", "removed": "− "}.get(node.status, "")
    warn = " ⚠" if node.escalation and node.kind != "api" else ""
    return f"{node_id(node.id)}{start}{label(mark + node.label + warn)}{end}"


def _edge(edge: Edge) -> str:
    text = edge.label
    if edge.kind == "member":
        text = "member of"
    if edge.half:
        text = f"half: {edge.half}" + (f", {text}" if text else "")
    mark = {"added": "+ ", "removed": "− "}.get(edge.status, "")
    text = mark + text
    arrow = "-.->" if edge.half else "==>" if edge.escalation and not edge.status else "-->"
    middle = f'|"{label(text)}"|' if text else ""
    return f"{node_id(edge.source)} {arrow}{middle} {node_id(edge.target)}"


def _edge_style(edge: Edge) -> str:
    if edge.status == "added":
        return f"stroke:{ADDED},stroke-width:3px,color:{ADDED}"
    if edge.status == "removed":
        return f"stroke:{REMOVED},stroke-width:3px,stroke-dasharray:6 4,color:{REMOVED}"
    if edge.half:
        return f"stroke:{HALF},stroke-width:2px,color:{HALF}"
    if edge.escalation:
        return f"stroke:{ESCALATION},stroke-width:3px"
    return ""


def render(graph: Graph, title: str = "") -> str:
    out = ["flowchart LR"]
    if title:
        out.append(f"%% {title}")
    legend = "solid: both identity grant and trust allow; dotted: half-configured (one side only)"
    if any(n.escalation for n in graph.nodes):
        legend += "; thick, ⚠: escalation path"
    out.append(f"%% {legend}")
    for kind in KIND_ORDER:
        members = [n for n in graph.nodes if n.kind == kind]
        if not members:
            continue
        out.append(f'  subgraph kind_{kind}["{label(KIND_TITLE[kind])}"]')
        out += [f"    {_node(n)}" for n in members]
        out.append("  end")
    out += [f"  {_edge(e)}" for e in graph.edges]
    for index, edge in enumerate(graph.edges):
        style = _edge_style(edge)
        if style:
            out.append(f"  linkStyle {index} {style}")
    for cls, style in CLASSES.items():  # only the classes in use: a plain graph stays plain text
        ids = [node_id(n.id) for n in graph.nodes if _class(n) == cls]
        if ids:
            out.append(f"  classDef {cls} {style}")
            out.append(f"  class {','.join(ids)} {cls}")
    return "\n".join(out) + "\n"


def _class(node: Node) -> str:
    if node.status:
        return node.status
    return "escalation" if node.escalation else ""

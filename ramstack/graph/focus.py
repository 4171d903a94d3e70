"""One principal's neighbourhood: what a reviewer of a large stack looks at instead of everything."""

from __future__ import annotations

from ramstack.graph.model import Graph, canonical


def neighbourhood(graph: Graph, centres: set[str], depth: int) -> Graph:
    """Nodes within `depth` membership/assume steps of `centres` (either direction), with what each
    of them reaches. Service nodes are leaves: walking through `api/ecs` would join every principal
    that touches ECS."""
    links: dict[str, set[str]] = {}
    for e in graph.edges:
        if e.kind != "reach":
            links.setdefault(e.source, set()).add(e.target)
            links.setdefault(e.target, set()).add(e.source)
    keep = set(centres)
    frontier = set(centres)
    for _ in range(depth):
        frontier = {n for f in frontier for n in links.get(f, ())} - keep
        keep |= frontier
    edges = [e for e in graph.edges if e.source in keep and (e.target in keep or e.kind == "reach")]
    keep |= {e.target for e in edges}
    return canonical((n for n in graph.nodes if n.id in keep), edges)

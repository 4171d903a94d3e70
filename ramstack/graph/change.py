"""The graph of a change: the access graphs before and after, around the principals the permission
diff touches, with what the change adds (green) and removes (red).

Membership and assume edges are compared as graph elements (both graphs come from build_graph);
what a principal reaches is taken from the permission diff itself (ramstack.permdiff decides what
was added, widened, narrowed or removed), summarised per service like the whole-stack graph."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from ramstack.effective.model import EffectivePermissions
from ramstack.graph.focus import neighbourhood
from ramstack.graph.model import (
    Edge,
    Graph,
    Node,
    api_node,
    assume_grant_target,
    build_graph,
    canonical,
    service_of,
    through_group_only,
)
from ramstack.permdiff.model import PermissionDiff

GROWS = ("added", "widened")  # narrowed and removed shrink access


def change_graph(before: EffectivePermissions, after: EffectivePermissions, diff: PermissionDiff) -> Graph:
    if diff.empty:
        return Graph()
    old, new = build_graph(before), build_graph(after)
    account = after.account_id or before.account_id
    old_nodes, new_nodes = old.node_map, new.node_map
    nodes: list[Node] = [
        replace(n, status="added") if n.id not in old_nodes else n for n in new.nodes if n.kind != "api"
    ]
    nodes += [replace(n, status="removed") for n in old.nodes if n.id not in new_nodes and n.kind != "api"]
    old_edges = {e.key: e for e in old.edges if e.kind != "reach"}
    new_edges = {e.key: e for e in new.edges if e.kind != "reach"}
    edges: list[Edge] = [
        replace(e, status="added") if k not in old_edges else e for k, e in new_edges.items()
    ]
    edges += [replace(e, status="removed") for k, e in old_edges.items() if k not in new_edges]

    grown: dict[tuple[str, str], set[str]] = defaultdict(set)
    shrunk: dict[tuple[str, str], set[str]] = defaultdict(set)
    risky: set[tuple[str, str]] = set()
    for change in diff.grants:
        if assume_grant_target(change.grant, account) is not None:
            continue  # drawn as the assume edge it creates or removes
        if through_group_only(change.principal, change.sources):
            continue  # drawn on the group's edge
        where = (change.principal, f"api/{service_of(change.grant)}")
        action = ("NOT " if change.grant.not_action else "") + change.grant.action
        (grown if change.kind in GROWS else shrunk)[where].add(f"{change.kind} {action}")
        if change.escalation:
            risky.add(where)
    for where, items in grown.items():
        edges.append(Edge(*where, "reach", _summary(items), escalation=where in risky, status="added"))
    for where, items in shrunk.items():
        edges.append(Edge(*where, "reach", _summary(items), status="removed"))
    changed = set(grown) | set(shrunk)
    touched = set(diff.principals())
    # What the touched principals reach and the change leaves alone: context, drawn plainly.
    edges += [
        e
        for e in new.edges
        if e.kind == "reach" and e.source in touched and (e.source, e.target) not in changed
    ]
    services = {e.target for e in edges if e.kind == "reach"}
    nodes += [api_node(s) for s in sorted(services)]
    known = {n.id for n in nodes}
    edges = [e for e in edges if e.source in known and e.target in known]
    return neighbourhood(canonical(nodes, edges), touched, 1)


def _summary(items: set[str]) -> str:
    shown = sorted(items)
    text = ", ".join(shown[:3])
    return text + (f" +{len(shown) - 3} more" if len(shown) > 3 else "")

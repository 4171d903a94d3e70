"""The access graph: who can become whom and reach what, built from effective permissions alone.

Everything comes from `EffectivePermissions` (the model `plan`, the lock file and `diff` share), so
the picture of a stack and of a lock file at a git ref are drawn by the same code:

- nodes: users, groups, roles, OIDC providers, trusted services, outside accounts and their
  principals, and one node per cloud service a principal reaches (`api/<service>`);
- edges: membership (user -> group); "may assume", full when the identity grant and the trust both
  allow it (compute_effective decided that), half when only one side does (`half`); and "reaches",
  one edge per principal and service with the count of actions, escalation-relevant ones marked.

Escalation (a principal holding an escalation-relevant grant: ramstack.policy.escalation) spreads
backwards along full assume edges, so the whole path to such a role is highlighted.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

from ramstack.effective.crossaccount import outside_entity
from ramstack.effective.model import EffectivePermissions, Grant, PrincipalPermissions
from ramstack.evaluate.assume import ASSUME_ROLE
from ramstack.policy.actions import action_matches
from ramstack.policy.arn import parse_ram_entity
from ramstack.policy.escalation import escalation_actions_covered

NodeKind = Literal["user", "group", "role", "oidc", "service", "account", "outside", "api"]
EdgeKind = Literal["member", "assume", "reach"]
# "": both sides allow (or a service/OIDC provider, which needs no identity grant);
# grant-only: an identity grant the role's trust does not answer; trust-only: the trust names a
# principal that holds no grant; other-account: the other side is declared in another account.
Half = Literal["", "grant-only", "trust-only", "other-account"]
Status = Literal["", "added", "removed"]

KIND_ORDER: tuple[NodeKind, ...] = ("oidc", "service", "account", "outside", "user", "group", "role", "api")
KIND_TITLE: dict[NodeKind, str] = {
    "oidc": "OIDC providers",
    "service": "Trusted services",
    "account": "Accounts",
    "outside": "Other accounts' principals",
    "user": "Users",
    "group": "Groups",
    "role": "Roles",
    "api": "Services reached",
}


@dataclass(frozen=True, order=True)
class Node:
    id: str
    kind: NodeKind
    label: str
    escalation: bool = False
    status: Status = ""


@dataclass(frozen=True, order=True)
class Edge:
    source: str
    target: str
    kind: EdgeKind
    label: str = ""
    half: Half = ""
    escalation: bool = False
    status: Status = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity of an edge when two graphs are compared (labels of reach edges carry counts)."""
        return (self.source, self.target, self.kind, self.half)


@dataclass(frozen=True)
class Graph:
    nodes: tuple[Node, ...] = ()
    edges: tuple[Edge, ...] = ()

    @property
    def node_map(self) -> dict[str, Node]:
        return {n.id: n for n in self.nodes}

    @property
    def escalation_count(self) -> int:
        return sum(1 for n in self.nodes if n.escalation and n.kind != "api")


def canonical(nodes: Iterable[Node], edges: Iterable[Edge]) -> Graph:
    """Sorted, de-duplicated: the same access always renders byte for byte the same."""
    return Graph(tuple(sorted(set(nodes))), tuple(sorted(set(edges))))


def service_of(grant: Grant) -> str:
    """The service a grant's action belongs to (`*` for all of them, or for NotAction)."""
    if grant.not_action or ":" not in grant.action:
        return "*"
    return grant.action.split(":", 1)[0].lower()


def api_node(node_id: str) -> Node:
    service = node_id.removeprefix("api/")
    return Node(node_id, "api", "every service (*)" if service == "*" else service)


def assume_grant_target(grant: Grant, account: str) -> str | None:
    """The own-account role subject a literal `sts:AssumeRole` Allow names (an assume edge, not reach)."""
    if grant.effect != "Allow" or grant.not_action or grant.not_resource:
        return None
    if not action_matches(grant.action, ASSUME_ROLE):
        return None
    entity = parse_ram_entity(grant.resource)
    if entity is None or entity.kind != "role" or entity.account != account or entity.name is None:
        return None
    if "*" in entity.name or "?" in entity.name:
        return None
    return f"role/{entity.name}"


def through_group_only(subject: str, sources: tuple[str, ...]) -> bool:
    """A user's grant held only through its groups (the group's edge draws it, once)."""
    return subject.startswith("user/") and bool(sources) and all(" via group/" in s for s in sources)


def _own_grants(principal: PrincipalPermissions) -> list[Grant]:
    return [g for g, sources in principal.grants if not through_group_only(principal.subject, sources)]


def _reach_edges(principal: PrincipalPermissions, account: str) -> list[Edge]:
    by_service: dict[str, list[Grant]] = defaultdict(list)
    for grant in _own_grants(principal):
        if assume_grant_target(grant, account) is None:
            by_service[service_of(grant)].append(grant)
    edges = []
    for service, grants in sorted(by_service.items()):
        allowed = {g.action.lower() for g in grants if g.effect == "Allow"}
        denied = {g.action.lower() for g in grants if g.effect != "Allow"}
        risky = sorted(
            {
                a
                for g in grants
                if g.is_escalation()
                for a in (
                    escalation_actions_covered(g.action, "*" if g.not_resource else g.resource) or ("*",)
                )
            }
        )
        conditional = {g.action.lower() for g in grants if g.effect == "Allow" and g.conditions}
        parts = [_count(len(allowed), "action")] if allowed else []
        if conditional:  # only when the request carries the right context (source IP, MFA, ...)
            parts[-1] += " (conditional)" if conditional == allowed else f" ({len(conditional)} conditional)"
        parts += [f"{len(denied)} denied"] if denied else []
        label = ", ".join(parts)
        if risky:
            label += " ⚠ " + ", ".join(risky[:3]) + (f" +{len(risky) - 3}" if len(risky) > 3 else "")
        edges.append(Edge(principal.subject, f"api/{service}", "reach", label, escalation=bool(risky)))
    return edges


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _outside_node(principal: str, account: str) -> Node | None:
    entity = outside_entity(principal, account)
    if entity is None:
        return None
    if entity.kind == "root":
        return Node(f"account/{entity.account}", "account", f"account {entity.account}")
    return Node(principal, "outside", f"{entity.kind}/{entity.name} @ {entity.account}")


def build_graph(effective: EffectivePermissions, oidc_providers: Iterable[str] = ()) -> Graph:
    """The whole access graph of a stack (`oidc_providers`: names declared, drawn even when unused)."""
    account = effective.account_id
    principals = effective.by_subject
    nodes: list[Node] = []
    edges: list[Edge] = []
    for p in effective.principals:
        nodes.append(Node(p.subject, p.kind, p.subject))
        attributes = dict(p.attributes)
        if p.kind == "user":
            for group in attributes.get("groups") or ():
                edges.append(Edge(p.subject, f"group/{group}", "member"))
        full = {a.role for a in p.assumable}
        for assumable in p.assumable:
            label = "requires " + ", ".join(assumable.requires) if assumable.requires else ""
            outside = _outside_node(assumable.role, account)
            if outside is not None:  # a role of another account: its trust is declared there
                nodes.append(outside)
                edges.append(Edge(p.subject, outside.id, "assume", label, "other-account"))
            else:
                edges.append(Edge(p.subject, assumable.role, "assume", label))
        if p.kind != "group":
            for grant, _ in p.grants:
                target = assume_grant_target(grant, account)
                if target is not None and target not in full and target in principals:
                    edges.append(Edge(p.subject, target, "assume", "trust does not allow", "grant-only"))
        edges += _reach_edges(p, account)
        for entry in p.trusted_by:
            edges += _trust_edges(
                p, entry.principal_type, entry.principal, effective, nodes, entry.conditions
            )
    for name in oidc_providers:
        nodes.append(Node(f"acs:ram::{account}:oidc-provider/{name}", "oidc", f"oidc-provider/{name}"))
    nodes += [api_node(e.target) for e in edges if e.kind == "reach"]
    known = {n.id for n in nodes}
    for e in edges:  # a group or role named but not in the stack (e.g. a lock file of an older spec)
        if e.target not in known:
            kind: NodeKind = "group" if e.target.startswith("group/") else "role"
            nodes.append(Node(e.target, kind, f"{e.target} (not declared)"))
            known.add(e.target)
    return _highlight(canonical(nodes, edges))


def _trust_edges(
    role: PrincipalPermissions,
    kind: str,
    principal: str,
    effective: EffectivePermissions,
    nodes: list[Node],
    conditions: str = "",
) -> list[Edge]:
    account = effective.account_id
    if kind == "Service":
        nodes.append(Node(f"service/{principal}", "service", principal))
        return [Edge(f"service/{principal}", role.subject, "assume")]
    if kind == "Federated":
        entity = parse_ram_entity(principal)
        label = f"{entity.kind}/{entity.name}" if entity is not None and entity.name else principal
        nodes.append(Node(principal, "oidc", label))
        return [Edge(principal, role.subject, "assume", "OIDC token" + _oidc_subjects(conditions))]
    outside = _outside_node(principal, account)
    if outside is not None:  # the other account grants sts:AssumeRole in its own stack
        nodes.append(outside)
        return [Edge(outside.id, role.subject, "assume", "", "other-account")]
    entity = parse_ram_entity(principal)
    if entity is None:  # `*` or another form the validator let through: drawn as it is written
        nodes.append(Node(f"principal/{principal}", "outside", principal))
        return [Edge(f"principal/{principal}", role.subject, "assume", "", "trust-only")]
    if entity.kind == "root":  # this account: any of its principals granted sts:AssumeRole (drawn above)
        nodes.append(Node(f"account/{entity.account}", "account", f"account {entity.account} (this)"))
        return [Edge(f"account/{entity.account}", role.subject, "assume", "any principal granted it")]
    subject = f"{entity.kind}/{entity.name}"
    holder = effective.by_subject.get(subject)
    if holder is not None and any(a.role == role.subject for a in holder.assumable):
        return []  # the full edge is drawn from the holder's side
    if holder is None:
        nodes.append(Node(subject, "outside", f"{subject} (not declared)"))
    return [Edge(subject, role.subject, "assume", "no identity grant", "trust-only")]


def _oidc_subjects(conditions: str) -> str:
    """Which token subjects the trust admits (a GitHub repository and branch): what a reviewer of a
    federated role checks first. Empty when the trust does not pin `oidc:sub`."""
    try:
        blocks = json.loads(conditions) if conditions else {}
    except ValueError:
        return ""
    subjects = sorted(
        str(v)
        for block in blocks.values()
        if isinstance(block, dict)
        for key, values in block.items()
        if key.lower() == "oidc:sub"
        for v in (values if isinstance(values, list) else [values])
    )
    return f" ({', '.join(subjects)})" if subjects else ""


def _highlight(graph: Graph) -> Graph:
    """Mark principals that hold an escalation-relevant grant, and everything that can reach them
    along full assume edges or membership; and the edges on those paths."""
    risky = {e.source for e in graph.edges if e.kind == "reach" and e.escalation}
    changed = True
    while changed:  # backwards closure; a few principals deep at most, so a plain fixpoint
        changed = False
        for e in graph.edges:
            if e.kind in ("assume", "member") and not e.half and e.target in risky and e.source not in risky:
                risky.add(e.source)
                changed = True
    edges = [
        replace(e, escalation=True)
        if e.kind != "reach" and not e.half and e.target in risky and e.source in risky
        else e
        for e in graph.edges
    ]
    reached = {e.target for e in edges if e.kind == "reach" and e.escalation}
    nodes = [replace(n, escalation=True) if n.id in risky | reached else n for n in graph.nodes]
    return canonical(nodes, edges)

"""No-new-access: the stack's effective grants compared with a baseline lock file.

The grants and the lock file are `ramstack.effective` (what `ramstack lock` writes), so the check
and the lock writer always agree on what a grant is. The comparison itself works on plain tuples:

    (principal, effect, action, resource, conditions-json)

with the action lower-cased (RAM actions are case-insensitive), `NotAction:`/`NotResource:` prefixed
to statements written that way, and "" for a statement without conditions. `new_grants` is the
whole check: the Allow tuples of the current stack that the baseline does not have. Users carry
their groups' grants, so groups themselves are not reported (a memberless group grants nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ramstack.diagnostics import Diagnostics
from ramstack.effective import EffectivePermissions, compute_effective
from ramstack.effective.lockfile import read as read_lock
from ramstack.effective.model import Grant as EffectiveGrant
from ramstack.lint.finding import FindingPath
from ramstack.policy.actions import pattern_covers
from ramstack.spec.model import Spec

Grant = tuple[str, str, str, str, str]  # principal, effect, action, resource, conditions-json
_SOURCE = re.compile(r"(?P<policy>[^#]+)#(?P<index>[0-9]+)(?: via (?P<via>\S+))?")


@dataclass(frozen=True)
class Origin:
    """What a grant came from: its policy, and the path a finding about it points at."""

    policy: str
    path: FindingPath
    text: str  # the grant as the lock writer describes it


def new_grants(current: Iterable[Grant], baseline: Iterable[Grant]) -> list[Grant]:
    """Allow grants of `current` that no Allow of the same principal in `baseline` covers, sorted.

    Covered means the baseline grant's patterns include the new one's and its conditions are the
    same or absent: narrowing (a condition added, a resource or action pattern shrunk) is not new
    access. NotAction/NotResource grants are compared exactly."""
    by_principal: dict[str, list[Grant]] = {}
    for grant in baseline:
        if grant[1] == "Allow":
            by_principal.setdefault(grant[0], []).append(grant)
    return sorted({g for g in current if g[1] == "Allow" and not _covered(g, by_principal.get(g[0], []))})


def _covered(grant: Grant, known: list[Grant]) -> bool:
    if grant in known:
        return True
    _, _, action, resource, conditions = grant
    if action.startswith("NotAction:") or resource.startswith("NotResource:"):
        return False
    return any(
        not (k[2].startswith("NotAction:") or k[3].startswith("NotResource:"))
        and (k[4] == conditions or k[4] == "")
        and pattern_covers(k[2], action, ignore_case=True)
        and pattern_covers(k[3], resource, ignore_case=False)
        for k in known
    )


def grant_tuple(subject: str, grant: EffectiveGrant) -> Grant:
    action = ("NotAction:" if grant.not_action else "") + grant.action.lower()
    resource = ("NotResource:" if grant.not_resource else "") + grant.resource
    return (subject, grant.effect, action, resource, grant.conditions)


def grant_tuples(perms: EffectivePermissions) -> set[Grant]:
    return {
        grant_tuple(p.subject, g) for p in perms.principals if p.kind != "group" for g, _sources in p.grants
    }


def effective_grants(spec: Spec) -> dict[Grant, Origin]:
    """Every user's and role's grants, each with the policy (and spec path) it comes from."""
    out: dict[Grant, Origin] = {}
    for principal in compute_effective(spec).principals:
        if principal.kind == "group":
            continue
        for grant, sources in principal.grants:
            key = grant_tuple(principal.subject, grant)
            out[key] = grant_origin(spec, principal.subject, grant, sources)
    return out


def load_baseline(path: Path, diags: Diagnostics) -> frozenset[Grant] | None:
    """The grants of a lock file; its problems are LOCK0nn diagnostics (None when unusable)."""
    perms = read_lock(path, diags)
    return None if perms is None else frozenset(grant_tuples(perms))


def grant_origin(spec: Spec, subject: str, grant: EffectiveGrant, sources: tuple[str, ...]) -> Origin:
    kind, _, name = subject.partition("/")
    plural = {"user": "users", "role": "roles"}[kind]
    path: FindingPath = (plural, name)
    policy = sources[0] if sources else "?"
    match = _SOURCE.fullmatch(policy)
    if match is not None:
        policy = match.group("policy")
        custom = spec.policy_map.get(policy)
        via = match.group("via")
        owner_kind, owner = via.split("/", 1) if via else (kind, name)
        owner_path: FindingPath = ({"user": "users", "group": "groups", "role": "roles"}[owner_kind], owner)
        if custom is not None and custom.generated_for is None:
            index = int(match.group("index"))
            field = "NotAction" if grant.not_action else "Action"
            path = ("policies", policy, "Statement", index, field, grant.action)
        elif custom is not None:  # the generated assume grant: point at the role it names
            role = grant.resource.rpartition("/")[2]
            # a role of another account is written as its ARN under assume_roles
            item = role if grant.resource == spec.role_arn(role) else grant.resource
            path = (*owner_path, "assume_roles", item)
        else:
            path = (*owner_path, "system_policies", policy)
    return Origin(policy, path, grant.describe())

"""Compare two effective-permission sets principal by principal.

A removed grant and an added grant of the same principal, effect and shape are paired: when the new
patterns cover the old ones (or a condition was dropped) the change is "widened", the other way round
"narrowed"; anything else stays a removal plus an addition.
"""

from __future__ import annotations

from functools import cache

from ramstack.effective.model import EffectivePermissions, Grant, PrincipalPermissions
from ramstack.permdiff.model import (
    AssumableChange,
    AttributeChange,
    GrantChange,
    IdentityChange,
    PermissionDiff,
    TrustChange,
)
from ramstack.policy.actions import wildcard_regex


@cache
def _covers(pattern: str, other: str, ignore_case: bool) -> bool:
    """Whether every string `other` can match is matched by `pattern` (wildcards in `other` are
    treated as literal text, which is exact for the common shapes: `*` covers `oss:Get*`)."""
    return bool(wildcard_regex(pattern, ignore_case=ignore_case).match(other))


def _widens(new: Grant, old: Grant) -> bool:
    if (new.effect, new.not_action, new.not_resource) != (old.effect, old.not_action, old.not_resource):
        return False
    if new.not_action or new.not_resource:
        return False
    actions = _covers(new.action, old.action, True)
    resources = _covers(new.resource, old.resource, False)
    conditions = new.conditions == old.conditions or (new.conditions == "" and old.conditions != "")
    return actions and resources and conditions and new.key != old.key


def _pair(
    principal: str, removed: list[tuple[Grant, tuple[str, ...]]], added: list[tuple[Grant, tuple[str, ...]]]
) -> list[GrantChange]:
    changes: list[GrantChange] = []
    left_added = list(added)
    for old, old_sources in removed:
        match = None
        for candidate in left_added:
            new = candidate[0]
            if new.effect == "Allow" and _widens(new, old):
                match, kind = candidate, "widened"
            elif new.effect == "Allow" and _widens(old, new):
                match, kind = candidate, "narrowed"
            elif new.effect == "Deny" and _widens(old, new):  # a narrower Deny blocks less
                match, kind = candidate, "widened"
            elif new.effect == "Deny" and _widens(new, old):
                match, kind = candidate, "narrowed"
            if match is not None:
                break
        if match is None:
            changes.append(GrantChange(principal, "removed", old, None, old_sources))
        else:
            left_added.remove(match)
            changes.append(GrantChange(principal, kind, match[0], old, match[1]))  # type: ignore[arg-type]
    changes += [GrantChange(principal, "added", g, None, s) for g, s in left_added]
    return changes


def _principal_changes(
    before: PrincipalPermissions, after: PrincipalPermissions
) -> tuple[list[GrantChange], list[TrustChange], list[AssumableChange], list[AttributeChange]]:
    old = {g.key: (g, s) for g, s in before.grants}
    new = {g.key: (g, s) for g, s in after.grants}
    removed = [old[k] for k in sorted(old.keys() - new.keys())]
    added = [new[k] for k in sorted(new.keys() - old.keys())]
    grants = _pair(after.subject, removed, added)
    trust = [
        TrustChange(after.subject, "added", e) for e in sorted(set(after.trusted_by) - set(before.trusted_by))
    ]
    trust += [
        TrustChange(after.subject, "removed", e)
        for e in sorted(set(before.trusted_by) - set(after.trusted_by))
    ]
    old_roles = {a.role for a in before.assumable}
    new_roles = {a.role for a in after.assumable}
    assumable = [AssumableChange(after.subject, "added", r) for r in sorted(new_roles - old_roles)]
    assumable += [AssumableChange(after.subject, "removed", r) for r in sorted(old_roles - new_roles)]
    old_attrs, new_attrs = dict(before.attributes), dict(after.attributes)
    attributes = [
        AttributeChange(after.subject, k, _text(old_attrs.get(k)), _text(new_attrs.get(k)))
        for k in sorted(old_attrs.keys() | new_attrs.keys())
        if old_attrs.get(k) != new_attrs.get(k)
    ]
    return grants, trust, assumable, attributes


def _text(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value)) or "-"
    return str(value)


def diff_permissions(before: EffectivePermissions, after: EffectivePermissions) -> PermissionDiff:
    old, new = before.by_subject, after.by_subject
    identities = [IdentityChange(s, "created") for s in sorted(new.keys() - old.keys())]
    identities += [IdentityChange(s, "destroyed") for s in sorted(old.keys() - new.keys())]
    grants: list[GrantChange] = []
    trust: list[TrustChange] = []
    assumable: list[AssumableChange] = []
    attributes: list[AttributeChange] = []
    for subject in sorted(old.keys() | new.keys()):
        empty_before = PrincipalPermissions(subject, (new.get(subject) or old[subject]).kind)
        b = old.get(subject, empty_before)
        a = new.get(subject, PrincipalPermissions(subject, b.kind))
        g, t, s, at = _principal_changes(b, a)
        grants += g
        trust += t
        assumable += s
        if subject in old and subject in new:
            attributes += at
    return PermissionDiff(
        tuple(sorted(identities)),
        tuple(sorted(grants, key=_grant_order)),
        tuple(sorted(trust)),
        tuple(sorted(assumable)),
        tuple(sorted(attributes)),
    )


def _grant_order(change: GrantChange) -> tuple[str, int, Grant]:
    order = {"widened": 0, "added": 1, "narrowed": 2, "removed": 3}
    return (change.principal, order[change.kind], change.grant)

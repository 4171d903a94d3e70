"""Compare two effective-permission sets principal by principal.

A removed grant and an added grant of the same principal, effect and shape are paired: when the new
patterns cover the old ones (or a condition was dropped) the change is "widened", the other way round
"narrowed"; anything else stays a removal plus an addition.
"""

from __future__ import annotations

from ramstack.effective.model import EffectivePermissions, Grant, PrincipalPermissions
from ramstack.permdiff.model import (
    AssumableChange,
    AttributeChange,
    GrantChange,
    GrantChangeKind,
    IdentityChange,
    PermissionDiff,
    TrustChange,
)
from ramstack.policy.actions import pattern_covers


def _covers_grant(wide: Grant, narrow: Grant) -> bool:
    """`wide` applies to everything `narrow` applies to (same effect; a condition only narrows)."""
    if (wide.effect, wide.not_action, wide.not_resource) != (
        narrow.effect,
        narrow.not_action,
        narrow.not_resource,
    ):
        return False
    if wide.not_action or wide.not_resource:
        return False
    conditions = wide.conditions == narrow.conditions or wide.conditions == ""
    return (
        conditions
        and pattern_covers(wide.action, narrow.action, ignore_case=True)
        and pattern_covers(wide.resource, narrow.resource, ignore_case=False)
    )


Entry = tuple[Grant, tuple[str, ...]]


def _pair(principal: str, removed: list[Entry], added: list[Entry]) -> list[GrantChange]:
    """Classify removed and added grants of one principal.

    A removed grant that a new one covers was widened (several may be widened by the same new grant:
    oss:Get* and oss:List* both by *); a new grant that a removed one covers narrowed it. For Deny
    the direction flips: a narrower Deny blocks less, so access widened."""
    changes: list[GrantChange] = []
    used_added: set[int] = set()
    used_removed: set[int] = set()
    for i, (old, _) in enumerate(removed):
        for j, (new, new_sources) in enumerate(added):
            if new.key == old.key:
                continue
            allow = new.effect == "Allow"
            if _covers_grant(new, old):
                changes.append(
                    GrantChange(principal, "widened" if allow else "narrowed", new, old, new_sources)
                )
            elif _covers_grant(old, new):
                changes.append(
                    GrantChange(principal, "narrowed" if allow else "widened", new, old, new_sources)
                )
            else:
                continue
            used_removed.add(i)
            used_added.add(j)
            break
    changes += [
        GrantChange(principal, "removed", g, None, s)
        for i, (g, s) in enumerate(removed)
        if i not in used_removed
    ]
    for j, (new, new_sources) in enumerate(added):
        if j in used_added:
            continue
        # Several new grants can each narrow the same removed one (oss:* -> oss:Get*, oss:Put*).
        covering = [old for old, _ in removed if _covers_grant(old, new)]
        if covering:
            kind: GrantChangeKind = "narrowed" if new.effect == "Allow" else "widened"
            changes.append(GrantChange(principal, kind, new, covering[0], new_sources))
        else:
            changes.append(GrantChange(principal, "added", new, None, new_sources))
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
    old_requires = {a.role: a.requires for a in before.assumable}
    requires = [
        AttributeChange(
            after.subject,
            f"request keys needed to assume {a.role}",
            _text(old_requires[a.role]),
            _text(a.requires),
        )
        for a in after.assumable
        if a.role in old_requires and old_requires[a.role] != a.requires
    ]
    assumable = [AssumableChange(after.subject, "added", r) for r in sorted(new_roles - old_roles)]
    assumable += [AssumableChange(after.subject, "removed", r) for r in sorted(old_roles - new_roles)]
    old_attrs, new_attrs = dict(before.attributes), dict(after.attributes)
    attributes = [
        AttributeChange(after.subject, k, _text(old_attrs.get(k)), _text(new_attrs.get(k)))
        for k in sorted(old_attrs.keys() | new_attrs.keys())
        if old_attrs.get(k) != new_attrs.get(k)
    ]
    return grants, trust, assumable, attributes + requires


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
        was, now = old.get(subject), new.get(subject)
        if was is not None and now is not None and _same(was, now):
            continue  # most principals of a change: nothing to pair or compare
        # a principal on one side only is compared with an empty one of its kind
        b = was if was is not None else PrincipalPermissions(subject, (now or old[subject]).kind)
        a = now if now is not None else PrincipalPermissions(subject, b.kind)
        if _same(b, a):
            continue
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


def _same(before: PrincipalPermissions, after: PrincipalPermissions) -> bool:
    """Nothing `_principal_changes` reports can differ (equal grants with equal sources, trust,
    assumable roles and attributes); checked first because comparing is cheaper than pairing."""
    return (
        before.grants == after.grants
        and before.trusted_by == after.trusted_by
        and before.assumable == after.assumable
        and before.attributes == after.attributes
    )


def _grant_order(change: GrantChange) -> tuple[str, int, Grant]:
    order = {"widened": 0, "added": 1, "narrowed": 2, "removed": 3}
    return (change.principal, order[change.kind], change.grant)

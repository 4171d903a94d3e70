"""Logical names of the children that combine two spec names (policy attachments, group memberships).

A Pulumi URN keeps the *types* of a resource's ancestors but only the resource's own name, so two
children of the same type under two components of the same type must never share a name. Names are
`<principal>/<kind>/<policy>` and `<user>/in/<group>`: `/` cannot occur in a RAM user, group or role
name (their charsets are letters, digits and `.` `-` `_`, checked by the loader), so splitting at the
first `/` recovers the principal and the rest is fixed by it: different children, different names.
`/` is also inside the strictest resource-name grammar Pulumi ever enforced (alphanumerics, `_`, `-`,
`.` and `/`), so `pulumi state rename` and every engine version accept these names.

Stacks deployed before this scheme used `<principal>-<kind>-<policy>` and `<user>-in-<group>`; those
names become aliases, so `pulumi up` moves the existing attachments instead of re-creating them. An
old name that two children of this spec would claim is left out: the engine refuses two resources
with one alias, and such a stack could never have been deployed under the old names anyway.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ramstack.spec.model import PolicyRef, Spec

SEPARATOR = "/"


def attachment_name(principal: str, policy_type: str, policy_name: str) -> str:
    return SEPARATOR.join((principal, policy_type.lower(), policy_name))


def membership_name(user: str, group: str) -> str:
    return SEPARATOR.join((user, "in", group))


def legacy_attachment_name(principal: str, policy_type: str, policy_name: str) -> str:
    """The name before the `/` scheme; ambiguous (`a` + `b-custom-c` = `a-custom-b` + `c`)."""
    return f"{principal}-{policy_type.lower()}-{policy_name}"


def legacy_membership_name(user: str, group: str) -> str:
    return f"{user}-in-{group}"


class LegacyNames:
    """The old names of one kind of child (one URN type), each usable as an alias only if unique."""

    def __init__(self, names: Iterable[str] = ()) -> None:
        self._counts = Counter(names)

    def alias(self, name: str) -> str | None:
        # An old name with `/` could equal a new name; it only arises from a policy name RAM refuses.
        return name if self._counts[name] == 1 and SEPARATOR not in name else None


def _policy_refs(refs: Sequence[PolicyRef]) -> list[PolicyRef]:
    return [r for r in refs if not r.generated]  # a ScopedAssumeGrant attaches its own policy


def _legacy_attachments(principals: Iterable[tuple[str, str | None, Sequence[PolicyRef]]]) -> LegacyNames:
    names = []
    for name, old, refs in principals:
        for ref in _policy_refs(refs):
            names += [legacy_attachment_name(n, ref.type, ref.name) for n in {name, old or name}]
    return LegacyNames(names)


@dataclass(frozen=True)
class LegacyAliases:
    """Old-scheme names per kind of child, counted over the whole spec. Roles are counted together,
    plain and GitHub ones: a GitHub role's attachments also alias the plain-role URNs they had."""

    user_policies: LegacyNames = field(default_factory=LegacyNames)
    user_groups: LegacyNames = field(default_factory=LegacyNames)
    group_policies: LegacyNames = field(default_factory=LegacyNames)
    role_policies: LegacyNames = field(default_factory=LegacyNames)

    @classmethod
    def for_spec(cls, spec: Spec) -> LegacyAliases:
        return cls(
            user_policies=_legacy_attachments((u.name, None, u.policies) for u in spec.users),
            user_groups=LegacyNames(legacy_membership_name(u.name, g) for u in spec.users for g in u.groups),
            group_policies=_legacy_attachments((g.name, g.renamed_from, g.policies) for g in spec.groups),
            role_policies=_legacy_attachments((r.name, r.renamed_from, r.policies) for r in spec.roles),
        )

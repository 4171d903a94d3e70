"""The effective-permission model: plain, frozen, canonical (sorted), with a JSON shape that is the
lock file's. Grants are identified by what they allow, not by which policy carries them, so moving a
statement between policies is no change while widening a resource is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from ramstack.jsontext import dumps_indented, encode_string
from ramstack.policy.escalation import escalation_actions_covered

PrincipalKind = Literal["user", "group", "role"]


@dataclass(frozen=True, order=True)
class Grant:
    """One (effect, action pattern, resource pattern, conditions) of a principal.

    `conditions` is the canonical JSON of the statement's Condition block ("" when none);
    `not_action`/`not_resource` mark statements written with NotAction/NotResource, whose action or
    resource is then the excluded pattern."""

    effect: str
    action: str
    resource: str
    conditions: str = ""
    not_action: bool = False
    not_resource: bool = False

    @cached_property
    def key(self) -> tuple[str, str, str, str, bool, bool]:
        # Action names are case-insensitive in RAM; resources are compared exactly.
        return (
            self.effect,
            self.action.lower(),
            self.resource,
            self.conditions,
            self.not_action,
            self.not_resource,
        )

    def describe(self) -> str:
        action = f"NOT {self.action}" if self.not_action else self.action
        resource = f"NOT {self.resource}" if self.not_resource else self.resource
        text = f"{self.effect} {action} on {resource}"
        return f"{text} when {self.conditions}" if self.conditions else text

    def is_escalation(self) -> bool:
        """Allows something that lets its holder gain further permissions (reviewers look twice)."""
        if self.effect != "Allow":
            return False
        if self.not_action:
            return True  # "everything except ..." nearly always includes ram: actions
        if self.not_resource:
            return bool(escalation_actions_covered(self.action, "*"))
        return bool(escalation_actions_covered(self.action, self.resource))

    def to_json(self, sources: tuple[str, ...] = ()) -> dict[str, Any]:
        out: dict[str, Any] = {"effect": self.effect, "action": self.action, "resource": self.resource}
        if self.conditions:
            out["conditions"] = self.conditions
        if self.not_action:
            out["not_action"] = True
        if self.not_resource:
            out["not_resource"] = True
        if sources:
            out["sources"] = list(sources)
        return out

    def json_text(self, sources: tuple[str, ...], newline: str) -> str:
        """`dumps_indented(self.to_json(sources), newline)`, written for the grant's fixed shape (the
        lock file holds tens of thousands of grants): its fields in sorted order."""
        inner = newline + "  "
        fields = ['"action": ' + encode_string(self.action)]
        if self.conditions:
            fields.append('"conditions": ' + encode_string(self.conditions))
        fields.append('"effect": ' + encode_string(self.effect))
        if self.not_action:
            fields.append('"not_action": true')
        if self.not_resource:
            fields.append('"not_resource": true')
        fields.append('"resource": ' + encode_string(self.resource))
        if sources:
            listed = inner + "  "
            items = ("," + listed).join(map(encode_string, sources))
            fields.append('"sources": [' + listed + items + inner + "]")
        return "{" + inner + ("," + inner).join(fields) + newline + "}"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Grant:
        return cls(*grant_entry_key(data)[:6])


def grant_entry_order(
    entry: tuple[Grant, tuple[str, ...]],
) -> tuple[str, str, str, str, bool, bool, tuple[str, ...]]:
    """The order of (grant, sources) pairs that comparing the pairs gives (the grant's dataclass
    order, then its sources), as one key per pair instead of Python-level comparisons per pair."""
    g, sources = entry
    return (g.effect, g.action, g.resource, g.conditions, g.not_action, g.not_resource, sources)


GrantEntryKey = tuple[str, str, str, str, bool, bool, tuple[str, ...]]


def grant_entry_key(data: dict[str, Any]) -> GrantEntryKey:
    """One grant of a lock file -> its `grant_entry_order` key, which holds everything the
    (grant, sources) pair does: equal keys are equal pairs, and sorting keys sorts the pairs."""
    return (
        str(data["effect"]),
        str(data["action"]),
        str(data["resource"]),
        str(data.get("conditions", "")),
        bool(data.get("not_action", False)),
        bool(data.get("not_resource", False)),
        tuple(data.get("sources", ())),
    )


def grant_entries(
    keys: list[GrantEntryKey], made: dict[GrantEntryKey, tuple[Grant, tuple[str, ...]]]
) -> tuple[tuple[Grant, tuple[str, ...]], ...]:
    """The (grant, sources) pairs of `keys`, sorted. A lock file repeats the same grant for every
    holder of a policy: `made` (shared by the principals of one file) builds each pair once."""
    keys.sort()
    out = []
    for key in keys:
        entry = made.get(key)
        if entry is None:
            entry = made[key] = (Grant(*key[:6]), key[6])
        out.append(entry)
    return tuple(out)


def grant_texts(
    newline: str, body: Callable[[Grant, tuple[str, ...]], dict[str, Any]] | None = None
) -> Callable[[Grant, tuple[str, ...]], str]:
    """A writer of grants as `dumps_indented(body(grant, sources), newline)` (body: `Grant.to_json`
    unless given) that writes each distinct (grant, sources) once: principals share grants (one
    document's grants are the same objects for every holder). Keyed by the grant's identity, so valid
    while the grants live (one rendering of one set of permissions)."""
    written: dict[tuple[int, tuple[str, ...]], str] = {}

    def text(grant: Grant, sources: tuple[str, ...]) -> str:
        key = (id(grant), sources)
        found = written.get(key)
        if found is None:
            if body is None:
                found = written[key] = grant.json_text(sources, newline)
            else:
                found = written[key] = dumps_indented(body(grant, sources), newline)
        return found

    return text


@dataclass(frozen=True, order=True)
class TrustEntry:
    """Who a role's trust policy names: principal type (RAM/Service/Federated), value, conditions."""

    principal_type: str
    principal: str
    conditions: str = ""

    def describe(self) -> str:
        text = f"{self.principal_type} {self.principal}"
        return f"{text} when {self.conditions}" if self.conditions else text

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.principal_type, "principal": self.principal}
        if self.conditions:
            out["conditions"] = self.conditions
        return out

    def json_text(self, newline: str) -> str:
        """`dumps_indented(self.to_json(), newline)`, written for its fixed shape."""
        inner = newline + "  "
        conditions = (
            '"conditions": ' + encode_string(self.conditions) + "," + inner if self.conditions else ""
        )
        principal = '"principal": ' + encode_string(self.principal)
        return (
            "{"
            + inner
            + conditions
            + principal
            + ","
            + inner
            + '"type": '
            + encode_string(self.principal_type)
            + newline
            + "}"
        )

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TrustEntry:
        return cls(str(data["type"]), str(data["principal"]), str(data.get("conditions", "")))


@dataclass(frozen=True, order=True)
class Assumable:
    """A role a principal can assume; `requires` lists condition keys the request must carry
    (e.g. acs:MFAPresent) for the assumption to succeed."""

    role: str
    requires: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"role": self.role}
        if self.requires:
            out["requires"] = list(self.requires)
        return out

    def json_text(self, newline: str) -> str:
        """`dumps_indented(self.to_json(), newline)`, written for its fixed shape."""
        inner = newline + "  "
        role = '"role": ' + encode_string(self.role)
        if not self.requires:
            return "{" + inner + role + newline + "}"
        listed = inner + "  "
        requires = ("," + listed).join(map(encode_string, self.requires))
        return "{" + inner + '"requires": [' + listed + requires + inner + "]," + inner + role + newline + "}"

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Assumable:
        return cls(str(data["role"]), tuple(data.get("requires", ())))


@dataclass(frozen=True)
class PrincipalPermissions:
    subject: str
    kind: PrincipalKind
    grants: tuple[tuple[Grant, tuple[str, ...]], ...] = ()  # (grant, sources), sorted
    trusted_by: tuple[TrustEntry, ...] = ()  # roles only
    assumable: tuple[Assumable, ...] = ()  # users and roles
    attributes: tuple[tuple[str, Any], ...] = ()  # access key, console login, MFA, session length

    @property
    def grant_set(self) -> dict[tuple[str, str, str, str, bool, bool], Grant]:
        return {g.key: g for g, _ in self.grants}

    def to_json(self, grant_json: Callable[[Grant, tuple[str, ...]], Any] | None = None) -> dict[str, Any]:
        """The lock file's shape (`lockfile.dumps` writes that text directly); `grant_json(grant,
        sources)` may stand for `grant.to_json(sources)` (the plan adds to each grant)."""
        if grant_json is None:
            grants = [g.to_json(src) for g, src in self.grants]
        else:
            grants = [grant_json(g, src) for g, src in self.grants]
        out: dict[str, Any] = {"kind": self.kind, "grants": grants}
        if self.kind == "role":
            out["trusted_by"] = [t.to_json() for t in self.trusted_by]
        if self.kind != "group":
            out["assumable_roles"] = [a.to_json() for a in self.assumable]
        out["attributes"] = dict(self.attributes)
        return out

    @classmethod
    def from_json(
        cls,
        subject: str,
        data: dict[str, Any],
        made: dict[GrantEntryKey, tuple[Grant, tuple[str, ...]]] | None = None,
    ) -> PrincipalPermissions:
        """One principal of a lock file; `made` shares equal grants between the principals read."""
        keys = [grant_entry_key(g) for g in data.get("grants", ())]
        return cls.from_parts(subject, data, grant_entries(keys, {} if made is None else made))

    @classmethod
    def from_parts(
        cls, subject: str, data: dict[str, Any], grants: tuple[tuple[Grant, tuple[str, ...]], ...]
    ) -> PrincipalPermissions:
        """A principal of a lock file whose grants are already read (`from_json` reads them)."""
        return cls(
            subject,
            data["kind"],
            grants,
            tuple(sorted(TrustEntry.from_json(t) for t in data.get("trusted_by", ()))),
            tuple(sorted(Assumable.from_json(a) for a in data.get("assumable_roles", ()))),
            tuple(sorted((data.get("attributes") or {}).items())),
        )


@dataclass(frozen=True)
class EffectivePermissions:
    account_id: str
    principals: tuple[PrincipalPermissions, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def by_subject(self) -> dict[str, PrincipalPermissions]:
        return {p.subject: p for p in self.principals}

"""Change records of a permission diff, sorted by principal so reports are stable."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from ramstack.effective.model import Grant, TrustEntry

GrantChangeKind = Literal["added", "removed", "widened", "narrowed"]


@dataclass(frozen=True, order=True)
class GrantChange:
    principal: str
    kind: GrantChangeKind
    grant: Grant  # the grant after the change (the removed one for "removed")
    before: Grant | None = None  # for widened / narrowed
    sources: tuple[str, ...] = ()

    @property
    def escalation(self) -> bool:
        """Grows escalation-relevant access: a new or wider Allow of such actions, or a Deny of them
        that goes away or shrinks."""
        if self.grant.effect == "Deny":
            if self.kind not in ("removed", "widened"):
                return False
            denied = self.before if self.kind == "widened" and self.before is not None else self.grant
            return replace(denied, effect="Allow", conditions="").is_escalation()
        return self.kind in ("added", "widened") and self.grant.is_escalation()

    def describe(self) -> str:
        if self.before is not None:
            return f"{self.kind}: {self.before.describe()} -> {self.grant.describe()}"
        return f"{self.kind}: {self.grant.describe()}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "principal": self.principal,
            "change": self.kind,
            "grant": self.grant.to_json(),
            "escalation": self.escalation,
        }
        if self.before is not None:
            out["before"] = self.before.to_json()
        if self.sources:
            out["sources"] = list(self.sources)
        return out


@dataclass(frozen=True, order=True)
class TrustChange:
    role: str
    kind: Literal["added", "removed"]
    entry: TrustEntry

    def describe(self) -> str:
        verb = "may now be assumed by" if self.kind == "added" else "may no longer be assumed by"
        return f"{verb} {self.entry.describe()}"

    def to_json(self) -> dict[str, Any]:
        return {"role": self.role, "change": self.kind, "trusted": self.entry.to_json()}


@dataclass(frozen=True, order=True)
class AssumableChange:
    principal: str
    kind: Literal["added", "removed"]
    role: str

    def describe(self) -> str:
        return f"{'can now' if self.kind == 'added' else 'can no longer'} assume {self.role}"

    def to_json(self) -> dict[str, Any]:
        return {"principal": self.principal, "change": self.kind, "role": self.role}


@dataclass(frozen=True, order=True)
class IdentityChange:
    principal: str
    kind: Literal["created", "destroyed"]

    def to_json(self) -> dict[str, Any]:
        return {"principal": self.principal, "change": self.kind}


@dataclass(frozen=True, order=True)
class AttributeChange:
    principal: str
    name: str
    before: str
    after: str

    def describe(self) -> str:
        return f"{self.name}: {self.before} -> {self.after}"

    def to_json(self) -> dict[str, Any]:
        return {
            "principal": self.principal,
            "attribute": self.name,
            "before": self.before,
            "after": self.after,
        }


@dataclass(frozen=True)
class PermissionDiff:
    identities: tuple[IdentityChange, ...] = ()
    grants: tuple[GrantChange, ...] = ()
    trust: tuple[TrustChange, ...] = ()
    assumable: tuple[AssumableChange, ...] = ()
    attributes: tuple[AttributeChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.identities or self.grants or self.trust or self.assumable or self.attributes)

    @property
    def escalations(self) -> tuple[GrantChange, ...]:
        return tuple(c for c in self.grants if c.escalation)

    @property
    def destroyed(self) -> tuple[IdentityChange, ...]:
        return tuple(c for c in self.identities if c.kind == "destroyed")

    def principals(self) -> list[str]:
        names = {c.principal for c in self.identities} | {c.principal for c in self.grants}
        names |= {c.role for c in self.trust} | {c.principal for c in self.assumable}
        names |= {c.principal for c in self.attributes}
        return sorted(names)

    def to_json(self) -> dict[str, Any]:
        return {
            "changed": not self.empty,
            "summary": {
                "identities_created": sum(1 for c in self.identities if c.kind == "created"),
                "identities_destroyed": len(self.destroyed),
                "grants_added": sum(1 for c in self.grants if c.kind == "added"),
                "grants_removed": sum(1 for c in self.grants if c.kind == "removed"),
                "grants_widened": sum(1 for c in self.grants if c.kind == "widened"),
                "grants_narrowed": sum(1 for c in self.grants if c.kind == "narrowed"),
                "trust_changes": len(self.trust),
                "escalations": len(self.escalations),
            },
            "identities": [c.to_json() for c in self.identities],
            "grants": [c.to_json() for c in self.grants],
            "trust": [c.to_json() for c in self.trust],
            "assumable": [c.to_json() for c in self.assumable],
            "attributes": [c.to_json() for c in self.attributes],
        }

"""The validated policy model and its one canonical JSON renderer.

The renderer is shared by the Pulumi components (what `pulumi up` sends) and the evaluator (what
`ramstack plan` reasons about), so both always see the same document. Canonical means: compact,
keys sorted, every multi-valued element an array (the shape the RAM API hands back, so Pulumi shows
no perpetual diff, pulumi-alicloud#1176 / terraform-provider-alicloud#9017), arrays of values sorted
and de-duplicated (order carries no meaning there), statements kept in the author's order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from ramstack.diagnostics import Location

PolicyKind = Literal["permission", "trust"]
ConditionValue = str | int | float | bool


@dataclass(frozen=True)
class ConditionClause:
    """One `operator -> key -> values` entry of a Condition block.

    `operator` is written as in the document, qualifier included (`ForAnyValue:StringLike`).
    Several values are OR-ed; clauses of one statement are AND-ed.
    """

    operator: str
    key: str
    values: tuple[ConditionValue, ...]


@dataclass(frozen=True)
class Statement:
    effect: Literal["Allow", "Deny"]
    actions: tuple[str, ...]
    not_action: bool = False
    resources: tuple[str, ...] | None = None
    not_resource: bool = False
    principals: tuple[tuple[str, tuple[str, ...]], ...] | None = None
    conditions: tuple[ConditionClause, ...] = ()
    sid: str | None = None
    location: Location | None = field(default=None, compare=False)

    def principal_values(self, principal_type: str) -> tuple[str, ...]:
        for key, values in self.principals or ():
            if key == principal_type:
                return values
        return ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"Effect": self.effect}
        out["NotAction" if self.not_action else "Action"] = _values(self.actions)
        if self.resources is not None:
            out["NotResource" if self.not_resource else "Resource"] = _values(self.resources)
        if self.principals is not None:
            out["Principal"] = {key: _values(values) for key, values in self.principals}
        if self.conditions:
            block: dict[str, dict[str, list[ConditionValue]]] = {}
            for clause in self.conditions:
                block.setdefault(clause.operator, {}).setdefault(clause.key, []).extend(clause.values)
            out["Condition"] = {
                op: {key: _values(vals) for key, vals in keys.items()} for op, keys in block.items()
            }
        if self.sid is not None:
            out["Sid"] = self.sid
        return out


@dataclass(frozen=True)
class PolicyDocument:
    statements: tuple[Statement, ...]
    kind: PolicyKind = "permission"
    version: str = "1"
    source: str | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {"Statement": [s.to_dict() for s in self.statements], "Version": self.version}

    def to_json(self) -> str:
        return render_json(self.to_dict())

    def size(self) -> int:
        """UTF-8 byte length of the canonical document: the figure RAM's 6,144 limit is checked on.
        Rendered once per document (validation and LP506 both ask; the document is immutable)."""
        known: int | None = self.__dict__.get("_size")
        if known is None:
            known = len(self.to_json().encode("utf-8"))
            object.__setattr__(self, "_size", known)
        return known


def canonical_values(values: tuple[ConditionValue, ...] | list[ConditionValue]) -> list[ConditionValue]:
    """Sorted and de-duplicated, as rendered; the validator stores values in this order so that a
    document equals its own rendering parsed back."""
    if all(type(v) is str for v in values):  # the common case: the same order, without sort keys
        return sorted(set(values))
    unique = {(type(v).__name__, v): v for v in values}
    return sorted(unique.values(), key=lambda v: (type(v).__name__, str(v)))


_values = canonical_values


def render_json(data: Any) -> str:
    """Compact, key-sorted, non-ASCII kept as is (RAM counts characters, and `\\u` escapes would
    both inflate the size and differ from what the API returns)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

"""Drift records: what differs between the account a spec deploys and the live account."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ramstack.permdiff.model import PermissionDiff

# unmanaged: exists in the account, not in the spec; missing: in the spec, not in the account;
# changed: both, with a different attribute or document.
DriftKind = Literal["unmanaged", "missing", "changed"]


@dataclass(frozen=True, order=True)
class DriftItem:
    subject: str  # user/NAME, group/NAME, role/NAME, policy/NAME, oidc-provider/NAME
    kind: DriftKind
    what: str  # "user", "membership in group g", "attachment of System policy P", "trust document", ...
    expected: str = ""
    actual: str = ""

    def describe(self) -> str:
        if self.kind == "unmanaged":
            return f"{self.what} exists in the account but not in the spec"
        if self.kind == "missing":
            return f"{self.what} is in the spec but not in the account"
        return f"{self.what} changed: spec {self.expected}, account {self.actual}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"subject": self.subject, "kind": self.kind, "what": self.what}
        if self.kind == "changed":
            out["expected"] = self.expected
            out["actual"] = self.actual
        return out


@dataclass(frozen=True)
class Drift:
    account_id: str
    stack: str
    items: tuple[DriftItem, ...] = ()
    permissions: PermissionDiff = field(
        default_factory=PermissionDiff
    )  # spec -> account, from the effective permissions
    not_evaluated: tuple[str, ...] = ()  # live documents ramstack's grammar rejects

    @property
    def empty(self) -> bool:
        return not self.items

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "ramstack-drift/1",
            "stack": self.stack,
            "account_id": self.account_id,
            "drift": not self.empty,
            "items": [i.to_json() for i in self.items],
            "permissions": self.permissions.to_json(),
            "not_evaluated": list(self.not_evaluated),
        }

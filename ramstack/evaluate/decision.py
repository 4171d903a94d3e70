"""The outcome of an evaluation and the statements that decided it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Verdict = Literal["Allow", "ExplicitDeny", "ImplicitDeny"]
Effect = Literal["Allow", "Deny"]


@dataclass(frozen=True)
class Match:
    """One statement that took part in a decision.

    `statement` is the 0-based index into the policy's Statement array (written `Statement[0]` in
    prose); `file`/`line` point at the statement in its source file, or at the spec entry that
    generated the policy, or are None for bundled system policies.
    """

    policy: str
    statement: int
    effect: Effect
    file: str | None = None
    line: int | None = None

    def where(self) -> str:
        if self.file is None:
            return ""
        return f"{self.file}:{self.line}" if self.line is not None else self.file

    def describe(self) -> str:
        where = self.where()
        return f"{self.policy} Statement[{self.statement}]" + (f" ({where})" if where else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "policy": self.policy,
            "statement": self.statement,
            "effect": self.effect,
            "file": self.file,
            "line": self.line,
        }


@dataclass(frozen=True)
class Decision:
    """`matched` holds the Deny statements for an ExplicitDeny, the Allow statements for an Allow,
    and nothing for an ImplicitDeny. `parts` names the decisions a combined one was made of
    (session evaluation: "session" and "role")."""

    decision: Verdict
    matched: tuple[Match, ...]
    reason: str
    missing_keys: tuple[str, ...] = ()
    parts: tuple[tuple[str, Decision], ...] = ()

    @property
    def allowed(self) -> bool:
        return self.decision == "Allow"

    def part(self, name: str) -> Decision | None:
        for key, value in self.parts:
            if key == name:
                return value
        return None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "decision": self.decision,
            "matched": [m.to_json() for m in self.matched],
            "reason": self.reason,
            "missing_keys": list(self.missing_keys),
        }
        if self.parts:
            out["parts"] = {name: part.to_json() for name, part in self.parts}
        return out

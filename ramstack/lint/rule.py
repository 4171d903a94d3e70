"""The rule base class: metadata as class attributes, `check(context)` yields findings.

Scopes say what a rule needs, and so where it can run:
    document  permission policy documents (custom policies, `ramstack lint --policy`, CrossGuard)
    trust     trust policy documents (role trust, `ramstack lint --policy --kind trust`)
    spec      the whole validated spec (principals, attachments, users' credentials)
    engine    produced by the runner itself (suppressions, baseline); `check` yields nothing
    activity  the spec and recorded activity (ActionTrail events: `lint --events`, `unused`); yields
              nothing when the run has no events
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar, Literal

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, FindingPath, Severity

Scope = Literal["document", "trust", "spec", "engine", "activity"]
SCOPES: tuple[Scope, ...] = ("document", "trust", "spec", "engine", "activity")


class Rule:
    id: ClassVar[str]
    title: ClassVar[str]
    default_severity: ClassVar[Severity]
    rationale: ClassVar[str]
    fix: ClassVar[str]
    scope: ClassVar[Scope] = "spec"

    def check(self, context: LintContext) -> Iterator[Finding]:
        return iter(())

    def finding(self, subject: str, message: str, path: Iterable[str | int] = ()) -> Finding:
        """A finding of this rule at its default severity; the runner applies overrides and locations."""
        out: FindingPath = tuple(path)
        return Finding(self.id, self.default_severity, message, subject, out)

    def __repr__(self) -> str:
        return f"<{self.id} {self.title}>"

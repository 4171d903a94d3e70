"""ACT101: a role of the spec that no recorded session used in the window."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class RoleNeverAssumed(Rule):
    id = "ACT101"
    title = "Role never assumed in the window"
    default_severity = Severity.LOW
    scope = "activity"
    rationale = (
        "A role nobody assumed in the window (no AssumeRole of it, no call made by one of its sessions "
        "in ActionTrail) is standing access with no use: whoever its trust names can still take it."
    )
    fix = (
        "Delete the role, or narrow its trust, once its owners confirm it is not needed "
        "(or suppress the finding for a break-glass role)."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        log = context.activity
        if context.spec is None or log is None:
            return
        for role in context.spec.roles:
            if role.name not in log.assumed_roles:
                yield self.finding(
                    role.subject, f"role {role.name} was never assumed in the window", ("roles", role.name)
                )

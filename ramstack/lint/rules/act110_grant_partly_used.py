"""ACT110: a grant of which the recorded calls used only some actions (narrow it)."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.ui.listing import first_of


class GrantPartlyUsed(Rule):
    id = "ACT110"
    title = "Granted actions never called in the window"
    default_severity = Severity.LOW
    scope = "activity"
    rationale = (
        "Of the actions this grant covers (a wildcard or system policy expanded through the action "
        "catalog), the recorded calls used only some; the rest is access held for nothing."
    )
    fix = (
        "Replace the grant with the actions in use: `ramstack generate-policy --principal KIND/NAME` "
        "writes that policy, `--diff` shows what it removes."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        if context.spec is None or context.activity is None:
            return
        from ramstack.lint.baseline import grant_origin

        for found in context.grant_usages:
            if not found.partly_used:
                continue
            usage = found.usage
            origin = grant_origin(context.spec, found.subject, found.grant, usage.sources)
            yield self.finding(
                found.subject,
                f"{found.subject}: {usage.action} on {usage.resource} (from {origin.policy}): "
                f"{len(usage.unused)} of its {len(usage.unused) + len(usage.used)} actions never called "
                f"in the window (called: {', '.join(usage.used)}; never: {first_of(usage.unused)})",
                origin.path,
            )

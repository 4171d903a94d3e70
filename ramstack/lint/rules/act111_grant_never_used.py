"""ACT111: a grant that no recorded call used at all (remove it)."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class GrantNeverUsed(Rule):
    id = "ACT111"
    title = "Grant never used in the window"
    default_severity = Severity.MEDIUM
    scope = "activity"
    rationale = (
        "No recorded call in the window falls under this grant (its actions on its resources): the "
        "principal holds it and does not use it, so removing it breaks nothing that happened."
    )
    fix = (
        "Remove the grant (the policy attachment or the statement); `ramstack diff --replay` confirms "
        "that no recorded call breaks."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        if context.spec is None or context.activity is None:
            return
        from ramstack.lint.baseline import grant_origin

        for found in context.grant_usages:
            if not found.never_used:
                continue
            usage = found.usage
            origin = grant_origin(context.spec, found.subject, found.grant, usage.sources)
            yield self.finding(
                found.subject,
                f"{found.subject}: {usage.action} on {usage.resource} (from {origin.policy}) was never "
                "used in the window",
                origin.path,
            )

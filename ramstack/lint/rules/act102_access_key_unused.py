"""ACT102: a user's AccessKey that no recorded call used in the window."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class AccessKeyUnused(Rule):
    id = "ACT102"
    title = "AccessKey never used in the window"
    default_severity = Severity.MEDIUM
    scope = "activity"
    rationale = (
        "A long-term AccessKey nobody used in the window is the riskiest leftover: it never expires, "
        "and a leaked copy would be the only thing using it."
    )
    fix = "Disable the key, then set `access_key: false` once nothing breaks."

    def check(self, context: LintContext) -> Iterator[Finding]:
        log = context.activity
        if context.spec is None or log is None:
            return
        for user in context.spec.users:
            if user.access_key and not log.access_keys.get(user.subject):
                yield self.finding(
                    user.subject,
                    f"user {user.name}'s AccessKey was never used in the window",
                    ("users", user.name, "access_key"),
                )

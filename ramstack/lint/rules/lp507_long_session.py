"""LP507: a role's maximum session is longer than one hour.

The reason for a longer session is given the one way every exception is: a suppression in
policies/lint.yaml naming LP507, the role and a reason (optionally with an expiry date).
"""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule

ONE_HOUR = 3600


class LongSession(Rule):
    id = "LP507"
    title = "Role session longer than one hour without a reason"
    default_severity = Severity.MEDIUM
    rationale = (
        "STS credentials cannot be revoked one by one: a leaked token works until it expires, so the "
        "session length is the exposure window. RAM's default and minimum is one hour."
    )
    fix = (
        "Lower max_session_duration to 3600, or record why the role needs longer with a suppression "
        "(rule: LP507, subject: role/<name>, reason: ...) in policies/lint.yaml."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for role in context.spec.roles if context.spec else ():
            if role.max_session_duration > ONE_HOUR:
                hours = role.max_session_duration / ONE_HOUR
                yield self.finding(
                    role.subject,
                    f"{role.subject} allows sessions of {role.max_session_duration} s ({hours:g} h)",
                    ("roles", role.name, "max_session_duration"),
                )

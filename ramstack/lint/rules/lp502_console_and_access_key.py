"""LP502: a user has both a console password and an AccessKey."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class ConsoleAndAccessKey(Rule):
    id = "LP502"
    title = "User with both console login and an AccessKey"
    default_severity = Severity.MEDIUM
    rationale = (
        "A person's identity and a program's credential should be separate: the AccessKey outlives the "
        "person's MFA-protected session and cannot be told apart from them in audit logs."
    )
    fix = (
        "Split it: one user for the person (console_login), one for the program (access_key), "
        "or give the program a role."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for user in context.spec.users if context.spec else ():
            if user.console_login is not None and context.access_keys.get(user.name, 0) > 0:
                yield self.finding(
                    user.subject,
                    f"{user.subject} has a console login and an AccessKey",
                    ("users", user.name, "access_key"),
                )

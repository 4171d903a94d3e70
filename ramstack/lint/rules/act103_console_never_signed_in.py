"""ACT103: a console user who never signed in during the window."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class ConsoleNeverSignedIn(Rule):
    id = "ACT103"
    title = "Console user never signed in during the window"
    default_severity = Severity.LOW
    scope = "activity"
    rationale = (
        "A console password nobody used in the window (no ConsoleSignin event) is a credential kept "
        "for nothing; dormant accounts are the ones whose takeover goes unnoticed."
    )
    fix = "Remove `console_login` from the user (or the user), after asking its owner."

    def check(self, context: LintContext) -> Iterator[Finding]:
        log = context.activity
        if context.spec is None or log is None:
            return
        for user in context.spec.users:
            if user.console_login is not None and user.subject not in log.signins:
                yield self.finding(
                    user.subject,
                    f"user {user.name} never signed in to the console in the window",
                    ("users", user.name, "console_login"),
                )

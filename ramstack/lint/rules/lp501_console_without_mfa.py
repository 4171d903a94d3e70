"""LP501: a user signs in to the console without a required MFA device."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class ConsoleWithoutMfa(Rule):
    id = "LP501"
    title = "Console login without MFA"
    default_severity = Severity.HIGH
    rationale = "A console password alone is phished or reused; MFA is the control RAM offers against that."
    fix = "Remove mfa_required: false from console_login (MFA is required by default)."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for user in context.spec.users if context.spec else ():
            if user.console_login is not None and not user.console_login.mfa_required:
                yield self.finding(
                    user.subject,
                    f"{user.subject} signs in to the console without MFA",
                    ("users", user.name, "console_login", "mfa_required"),
                )

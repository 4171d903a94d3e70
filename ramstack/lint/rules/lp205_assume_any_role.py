"""LP205: AliyunSTSAssumeRoleAccess is attached (sts:AssumeRole on every role)."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import attachment_path, attachments

ASSUME_ANY_ROLE = "AliyunSTSAssumeRoleAccess"


class AssumeAnyRole(Rule):
    id = "LP205"
    title = "AliyunSTSAssumeRoleAccess attached"
    default_severity = Severity.MEDIUM
    rationale = (
        "AliyunSTSAssumeRoleAccess allows sts:AssumeRole on Resource *: the principal can assume every "
        "role that trusts it or its account, including roles added later by anyone."
    )
    fix = "Replace it with assume_roles: [<role>, ...], which grants sts:AssumeRole on those roles only."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for kind, principal, ref in attachments(context, "System"):
            if ref.name == ASSUME_ANY_ROLE:
                yield self.finding(
                    principal.subject,
                    f"{principal.subject} has {ASSUME_ANY_ROLE}: it may assume any role that trusts it",
                    attachment_path(kind, principal, ref),
                )

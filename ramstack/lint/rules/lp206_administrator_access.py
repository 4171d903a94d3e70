"""LP206: an administrator-equivalent system policy is attached."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import attachment_path, attachments

# AliyunRAMFullAccess manages every permission in the account, so it is administrator-equivalent.
ADMIN_POLICIES: tuple[str, ...] = ("AdministratorAccess", "AliyunRAMFullAccess")


class AdministratorAccess(Rule):
    id = "LP206"
    title = "Administrator-equivalent system policy attached"
    default_severity = Severity.CRITICAL
    rationale = (
        "AdministratorAccess allows every action on every resource; AliyunRAMFullAccess lets the holder "
        "grant itself anything. Either makes the principal an account administrator."
    )
    fix = "Attach the service policies the principal needs, or a custom policy; keep admin for break-glass."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for kind, principal, ref in attachments(context, "System"):
            if ref.name in ADMIN_POLICIES:
                yield self.finding(
                    principal.subject,
                    f"{principal.subject} has {ref.name}: administrator-equivalent access",
                    attachment_path(kind, principal, ref),
                )

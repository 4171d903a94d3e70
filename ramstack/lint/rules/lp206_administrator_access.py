"""LP206: an administrator-equivalent system policy is attached."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import attachment_path, attachments

# AliyunRAMFullAccess manages every permission in the account, so it is administrator-equivalent;
# PowerUserAccess is every action except RAM's (NotAction), which is administrator-level for data.
ADMIN_POLICIES: tuple[str, ...] = ("AdministratorAccess", "AliyunRAMFullAccess", "PowerUserAccess")


class AdministratorAccess(Rule):
    id = "LP206"
    title = "Administrator-equivalent system policy attached"
    default_severity = Severity.CRITICAL
    rationale = (
        "AdministratorAccess allows every action on every resource; AliyunRAMFullAccess lets the holder "
        "grant itself anything; PowerUserAccess allows every action outside RAM. Each makes the principal "
        "an administrator of the account or of all its data."
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

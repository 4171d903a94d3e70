"""LP207: a service's `Aliyun*FullAccess` system policy is attached."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import attachment_path, attachments
from ramstack.lint.rules.lp206_administrator_access import ADMIN_POLICIES

FULL_ACCESS = re.compile(r"Aliyun[A-Za-z0-9]+FullAccess")


class FullAccess(Rule):
    id = "LP207"
    title = "FullAccess system policy attached"
    default_severity = Severity.MEDIUM
    rationale = (
        "Aliyun<Service>FullAccess grants every operation of the service on all of its resources in the "
        "account (and sometimes ram:PassRole), far more than one workload needs."
    )
    fix = "Use the service's ReadOnlyAccess policy, or a custom policy scoped to the workload's resources."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for kind, principal, ref in attachments(context, "System"):
            if FULL_ACCESS.fullmatch(ref.name) and ref.name not in ADMIN_POLICIES:
                yield self.finding(
                    principal.subject,
                    f"{principal.subject} has {ref.name}: every operation of the service",
                    attachment_path(kind, principal, ref),
                )

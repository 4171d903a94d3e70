"""LP506: a custom policy close to RAM's 6,144-byte document limit."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.policy.validate import MAX_POLICY_BYTES


class PolicySize(Rule):
    id = "LP506"
    title = "Policy near the 6,144-byte limit"
    default_severity = Severity.LOW
    scope = "document"
    rationale = (
        "RAM rejects documents over 6,144 bytes (CreatePolicyVersion): the next statement added to a "
        "policy this close to the limit fails at deploy time, not at review time."
    )
    fix = "Split the policy by workload or service, or merge statements that share resources and conditions."

    def check(self, context: LintContext) -> Iterator[Finding]:
        percent = context.options.size_warning_percent
        threshold = MAX_POLICY_BYTES * percent // 100
        for view in context.documents:
            size = view.document.size()
            if size > threshold:
                yield self.finding(
                    view.subject,
                    f"{view.subject} is {size} bytes in canonical form, over {percent}% of RAM's "
                    f"{MAX_POLICY_BYTES}-byte limit",
                    view.root,
                )

"""LP302: a resource ARN with a wildcard account id (`acs:ram:*:*:role/x`).

OSS is exempt: bucket names are global and Alibaba's own OSS examples write the account as `*`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import allow_statements
from ramstack.policy.arn import parse_arn

EXEMPT_SERVICES = ("oss",)


class ArnAccountWildcard(Rule):
    id = "LP302"
    title = "Account id wildcarded in a resource ARN"
    default_severity = Severity.MEDIUM
    scope = "document"
    rationale = (
        "A * or ? in the account part matches the same-named resources of every account: with "
        "sts:AssumeRole or ram:PassRole that includes other tenants' roles."
    )
    fix = "Write the account id, e.g. ${accountId} (a built-in policy variable)."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in allow_statements(view):
                if statement.not_resource:
                    continue
                for resource in statement.resources or ():
                    arn = parse_arn(resource)
                    if arn is None or arn.service.lower() in EXEMPT_SERVICES:
                        continue
                    if "*" in arn.account or "?" in arn.account:
                        yield self.finding(
                            view.subject,
                            f"{view.subject} statement {index + 1} names {resource} in any account",
                            view.path(index, "Resource", resource),
                        )

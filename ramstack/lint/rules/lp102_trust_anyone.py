"""LP102: a trust policy names a wildcard principal (`*`, or a name or account pattern)."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class TrustAnyone(Rule):
    id = "LP102"
    title = "Role trusts a wildcard principal"
    default_severity = Severity.CRITICAL
    scope = "trust"
    rationale = (
        'A principal of "*" (or one with * or ? in its account or name) trusts identities nobody listed, '
        "possibly in any Alibaba Cloud account."
    )
    fix = "List each trusted account, user, role or identity provider by its exact ARN."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.trusts:
            for index, statement in view.statements():
                if statement.effect != "Allow":
                    continue
                for kind, values in statement.principals or ():
                    for value in values:
                        if "*" not in value and "?" not in value:
                            continue
                        who = "anyone" if value == "*" else f"every principal matching {value!r}"
                        yield self.finding(
                            view.subject,
                            f"{view.subject} trusts {who} (Principal {kind})",
                            view.path(index, "Principal", kind, value),
                        )

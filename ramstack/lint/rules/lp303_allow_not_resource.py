"""LP303: an Allow statement with NotResource (applies to everything except the list)."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import allow_statements


class AllowNotResource(Rule):
    id = "LP303"
    title = "Allow with NotResource"
    default_severity = Severity.MEDIUM
    scope = "document"
    rationale = (
        "Allow + NotResource applies the actions to every resource except those listed, including "
        "resources created later; RAM's support for NotResource is itself UNCONFIRMED."
    )
    fix = "List the resources the statement applies to under Resource; use NotResource only with Deny."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in allow_statements(view):
                if statement.not_resource:
                    yield self.finding(
                        view.subject,
                        f"{view.subject} statement {index + 1} applies to every resource except "
                        f"{', '.join(statement.resources or ())}",
                        view.path(index, "NotResource"),
                    )

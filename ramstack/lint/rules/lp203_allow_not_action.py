"""LP203: an Allow statement with NotAction (allows everything except the list)."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import allow_statements


class AllowNotAction(Rule):
    id = "LP203"
    title = "Allow with NotAction"
    default_severity = Severity.HIGH
    scope = "document"
    rationale = (
        "Allow + NotAction grants every action of every service except those listed, including actions "
        "of services that do not exist yet."
    )
    fix = "Use Action with the operations needed; keep NotAction for Deny statements."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in allow_statements(view):
                if statement.not_action:
                    yield self.finding(
                        view.subject,
                        f"{view.subject} statement {index + 1} allows every action except "
                        f"{', '.join(statement.actions)}",
                        view.path(index, "NotAction"),
                    )

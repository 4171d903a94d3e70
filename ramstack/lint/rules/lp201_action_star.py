"""LP201: an Allow statement grants every action (`*`)."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import allow_statements

FULL_WILDCARDS = ("*", "*:*")


class ActionStar(Rule):
    id = "LP201"
    title = 'Allow on every action ("*")'
    default_severity = Severity.CRITICAL
    scope = "document"
    rationale = 'Action "*" grants every operation of every service: administrator rights on its resources.'
    fix = "List the operations the workload calls (e.g. oss:GetObject, oss:PutObject)."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in allow_statements(view):
                if statement.not_action:
                    continue
                for action in statement.actions:
                    if action in FULL_WILDCARDS:
                        yield self.finding(
                            view.subject,
                            f"{view.subject} statement {index + 1} allows every action ({action!r})",
                            view.path(index, "Action", action),
                        )

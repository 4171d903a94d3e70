"""LP202: an Allow statement grants every action of a service (`oss:*`)."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import allow_statements
from ramstack.policy.actions import parse_action


class ServiceStar(Rule):
    id = "LP202"
    title = 'Allow on every action of a service ("service:*")'
    default_severity = Severity.MEDIUM
    scope = "document"
    rationale = (
        "service:* includes the service's destructive and administrative operations (deleting buckets, "
        "changing ACLs), and operations the service adds later."
    )
    fix = "List the operations needed, or narrow with a verb prefix such as oss:Get*."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in allow_statements(view):
                if statement.not_action:
                    continue
                for text in statement.actions:
                    action = parse_action(text)
                    if action is None or action.operation != "*" or action.service in ("*",):
                        continue
                    yield self.finding(
                        view.subject,
                        f"{view.subject} statement {index + 1} allows every {action.service} action "
                        f"({text!r})",
                        view.path(index, "Action", text),
                    )

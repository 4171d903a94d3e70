"""LP505: a statement that repeats, or is covered by, another statement of the same document."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import covers
from ramstack.policy.document import Statement


def _rendered(statement: Statement) -> dict[str, Any]:
    """The statement as rendered, Sid left out: two statements with equal renderings are the same."""
    return statement.to_dict() | {"Sid": None}


def _covered(inner: Statement, outer: Statement) -> bool:
    """Every request `inner` matches, `outer` matches too (same effect, no extra conditions)."""
    if inner.effect != outer.effect or inner.not_action or outer.not_action:
        return False
    if inner.not_resource or outer.not_resource or inner.principals or outer.principals:
        return False
    if not set(outer.conditions) <= set(inner.conditions):
        return False
    actions = all(any(covers(o, i, ignore_case=True) for o in outer.actions) for i in inner.actions)
    resources = all(
        any(covers(o, i, ignore_case=False) for o in outer.resources or ("*",))
        for i in inner.resources or ("*",)
    )
    return actions and resources


class ShadowedStatement(Rule):
    id = "LP505"
    title = "Duplicate or shadowed statement"
    default_severity = Severity.LOW
    scope = "document"
    rationale = (
        "A statement that another one already covers adds nothing but size and review noise, and often "
        "hides an intended restriction (a condition or resource that no longer has any effect)."
    )
    fix = "Delete the redundant statement, or narrow the broader one if the narrow one was the intent."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            statements = view.document.statements
            if len(statements) < 2:  # most generated grants: nothing to compare
                continue
            rendered = [_rendered(s) for s in statements]  # once per statement, not once per pair
            for i, inner in enumerate(statements):
                for j, outer in enumerate(statements):
                    if i == j:
                        continue
                    if rendered[i] == rendered[j]:
                        if i > j:
                            yield self.finding(
                                view.subject,
                                f"{view.subject} statement {i + 1} repeats statement {j + 1}",
                                view.path(i),
                            )
                            break
                        continue
                    if _covered(inner, outer) and not (i < j and _covered(outer, inner)):
                        yield self.finding(
                            view.subject,
                            f"{view.subject} statement {i + 1} is covered by statement {j + 1}",
                            view.path(i),
                        )
                        break

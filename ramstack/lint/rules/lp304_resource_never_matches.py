"""LP304: a Resource (or NotResource) value that is not an ARN of RAM's documented shape, so it can
never match a request. RAM itself accepts and stores such documents (the grammar only warns, POL113;
docs/fidelity.md), which is why the defect needs a finding someone must act on or accept."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.policy.arn import never_matches


class ResourceNeverMatches(Rule):
    id = "LP304"
    title = "Resource can never match"
    default_severity = Severity.HIGH
    scope = "document"
    rationale = (
        "RAM stores resource strings that break the ARN shape acs:<service>:<region>:<account>:<id> "
        "(e.g. acs::ram::*) and they match no request: an Allow grants nothing it seems to, a Deny "
        "protects nothing, a NotResource excludes nothing."
    )
    fix = "Write '*' or a full ARN, e.g. acs:ram::${accountId}:role/<name>; or accept it in lint.yaml."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in view.statements():
                key = "NotResource" if statement.not_resource else "Resource"
                for resource in statement.resources or ():
                    shape = never_matches(resource)
                    if shape is None:
                        continue
                    yield self.finding(
                        view.subject,
                        f"{view.subject} statement {index + 1} ({statement.effect}) {key} {resource!r} can"
                        f" never match: {shape.message}",
                        view.path(index, key, resource),
                    )

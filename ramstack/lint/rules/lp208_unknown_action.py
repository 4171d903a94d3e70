"""LP208: an action (or pattern) that names nothing the service has: usually a typo."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.evaluate.actions_catalog import (
    api_actions,
    catalog_snapshot,
    expand,
    is_complete,
    is_known,
    suggest,
)
from ramstack.evaluate.matchers import has_wildcard
from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class UnknownAction(Rule):
    id = "LP208"
    title = "Action not in the bundled action catalog"
    default_severity = Severity.LOW
    scope = "document"
    rationale = (
        "RAM accepts any well-formed action name, so a misspelt one (kms:ListeAliases) is saved without "
        "complaint: an Allow then grants nothing the workload needs and a Deny protects nothing; an API name "
        "that RAM authorises under another action (oss:UploadPart is oss:PutObject) grants nothing either. "
        "Checked against the bundled action catalog (ramstack catalog). Where its list of a service is "
        "complete (sts, ram, ice, imm, vod, oss, ...) every unknown name is reported; elsewhere it holds API "
        "operation names only, so only near-misses of a known action are. It is a dated snapshot: hence low."
    )
    fix = (
        "Correct the action name (see the service's API reference); if it is real, accept it with a "
        "suppression in policies/lint.yaml."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        problems: dict[str, str | None] = {}  # documents repeat actions (sts:AssumeRole in every grant)
        for view in context.documents:
            for index, statement in view.statements():
                element = "NotAction" if statement.not_action else "Action"
                for text in statement.actions:
                    if text == "*" or ":" not in text:
                        continue
                    if text in problems:
                        problem = problems[text]
                    else:
                        problem = problems[text] = self.problem(text)
                    if problem:
                        yield self.finding(
                            view.subject,
                            f"{view.subject} statement {index + 1}: {text!r} {problem}",
                            view.path(index, element, text),
                        )

    @staticmethod
    def problem(text: str) -> str | None:
        """Why the action names nothing, or None. Where the catalog's list of a service is not
        complete (API operation names only), only a near-miss of a known action is reported."""
        service = text.partition(":")[0]
        complete = is_complete(service)
        where = f"of the bundled catalog of {catalog_snapshot()}"
        if has_wildcard(text):
            expansion = expand(text)
            if complete and expansion.complete and not expansion:
                return f"matches no {service} action {where} (a typo?)"
            return None
        if is_known(text) is not False:
            return None
        authorised_as = api_actions(service, text.partition(":")[2])
        if authorised_as:
            return (
                f"is an API operation that RAM authorises as {', '.join(authorised_as)}; as an action it "
                "grants nothing"
            )
        close = suggest(text)
        if close:
            return f"matches no {service} action {where}: did you mean {close!r}?"
        return f"matches no {service} action {where} (a typo?)" if complete else None

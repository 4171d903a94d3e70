"""LP208: an action (or pattern) that names nothing the service has: usually a typo."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.evaluate.actions_catalog import catalog_snapshot, expand, is_known
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
        "complaint: an Allow then grants nothing the workload needs and a Deny protects nothing. Checked "
        "against the bundled action catalog (ramstack catalog: about 300 services from Alibaba's OpenAPI "
        "metadata, with OSS's own action table and a curated overlay); services it does not cover are not "
        "checked. It is a dated snapshot and mostly lists API operations, so a new or authorisation-only "
        "action can be real and missing: hence low."
    )
    fix = (
        "Correct the action name (see the service's API reference); if it is real, accept it with a "
        "suppression in policies/lint.yaml."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in view.statements():
                element = "NotAction" if statement.not_action else "Action"
                for text in statement.actions:
                    if text == "*" or ":" not in text:
                        continue
                    if has_wildcard(text):
                        expansion = expand(text)
                        unknown = expansion.complete and not expansion
                    else:
                        unknown = is_known(text) is False
                    if unknown:
                        service = text.partition(":")[0]
                        yield self.finding(
                            view.subject,
                            f"{view.subject} statement {index + 1}: {text!r} matches no {service} action "
                            f"of the bundled catalog of {catalog_snapshot()} (a typo?)",
                            view.path(index, element, text),
                        )

"""LP103: an OIDC-federated trust without a real `oidc:iss`, `oidc:aud` and `oidc:sub` condition.

For GitHub's issuer a subject must name one repository before any wildcard (`repo:org/app:*` is
one repository; `repo:*` or `repo:org/*` is every repository of everyone, or of the organisation).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.policy.conditions import Family, parse_operator
from ramstack.policy.document import ConditionClause, Statement

GITHUB_ISSUER = "https://token.actions.githubusercontent.com"
# repo:<owner>/<repo>:<context> with no wildcard in owner or repo
_GITHUB_SUBJECT = re.compile(r"repo:[^*?/:]+/[^*?/:]+:.*", re.DOTALL)


def _too_wide(key: str, value: str, issuers: list[str]) -> bool:
    if not value.strip("*?"):
        return True
    if key == "oidc:sub" and any(i.rstrip("/") == GITHUB_ISSUER for i in issuers):
        return not _GITHUB_SUBJECT.fullmatch(value)
    return False


def _constraining(statement: Statement, key: str) -> list[ConditionClause]:
    """Positive string conditions on `key` (StringEquals, StringLike, ...): the ones that narrow."""
    out = []
    for clause in statement.conditions:
        op = parse_operator(clause.operator)
        positive = op is not None and not op.base.negated and op.family is Family.STRING
        if positive and clause.key.lower() == key:
            out.append(clause)
    return out


class OidcUnconditioned(Rule):
    id = "LP103"
    title = "OIDC trust without issuer, audience and subject conditions"
    default_severity = Severity.HIGH
    scope = "trust"
    rationale = (
        "Without oidc:iss, oidc:aud and a specific oidc:sub, every token the identity provider issues can "
        "assume the role: for GitHub that is every workflow of every repository, pull requests from forks "
        "included (a subject such as repo:* or repo:my-org/* is as wide)."
    )
    fix = (
        "Condition the statement on oidc:iss, on oidc:aud (the client id) and on oidc:sub naming one "
        "repository and branch or environment; in the spec use github: or trust.oidc with exact subjects."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.trusts:
            for index, statement in view.statements():
                if statement.effect != "Allow":
                    continue
                providers = [v for v in statement.principal_values("Federated") if ":oidc-provider/" in v]
                if not providers:
                    continue
                provider = providers[0]
                issuers = [str(v) for c in _constraining(statement, "oidc:iss") for v in c.values]
                for key in ("oidc:iss", "oidc:aud", "oidc:sub"):
                    clauses = _constraining(statement, key)
                    if not clauses:
                        yield self.finding(
                            view.subject,
                            f"{view.subject} trusts OIDC provider {provider} without a {key} condition",
                            view.path(index, "Principal", "Federated", provider),
                        )
                    for clause in clauses:
                        for value in clause.values:
                            if not _too_wide(key, str(value), issuers):
                                continue
                            yield self.finding(
                                view.subject,
                                f"{view.subject} accepts any {key} ({value!r}) from OIDC provider {provider}",
                                view.path(index, "Condition", clause.operator, clause.key, str(value)),
                            )

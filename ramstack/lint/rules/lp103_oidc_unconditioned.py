"""LP103: an OIDC-federated trust without a real `oidc:aud` and `oidc:sub` condition."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.policy.conditions import Family, parse_operator
from ramstack.policy.document import ConditionClause, Statement


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
    title = "OIDC trust without audience and subject conditions"
    default_severity = Severity.HIGH
    scope = "trust"
    rationale = (
        "Without oidc:aud and a specific oidc:sub, every token the identity provider issues can assume the "
        "role: for GitHub that is every workflow of every repository, pull requests from forks included."
    )
    fix = (
        "Condition the statement on oidc:aud (the client id) and on oidc:sub naming one repository and "
        "branch or environment; in the spec use github: or trust.oidc with exact subjects."
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
                for key in ("oidc:aud", "oidc:sub"):
                    clauses = _constraining(statement, key)
                    if not clauses:
                        yield self.finding(
                            view.subject,
                            f"{view.subject} trusts OIDC provider {provider} without a {key} condition",
                            view.path(index, "Principal", "Federated", provider),
                        )
                    for clause in clauses:
                        for value in clause.values:
                            if str(value).strip("*?"):
                                continue
                            yield self.finding(
                                view.subject,
                                f"{view.subject} accepts any {key} ({value!r}) from OIDC provider {provider}",
                                view.path(index, "Condition", clause.operator, clause.key, str(value)),
                            )

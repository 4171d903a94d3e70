"""LP101: a role trusts a whole account (`acs:ram::<uid>:root`) without any condition."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class TrustAccountRoot(Rule):
    id = "LP101"
    title = "Role trusts a whole account without conditions"
    default_severity = Severity.MEDIUM
    scope = "trust"
    rationale = (
        "Trusting acs:ram::<uid>:root lets every RAM user and role of that account that holds "
        "sts:AssumeRole assume the role; who that is changes with the other account's policies, not yours."
    )
    fix = (
        "Name the trusted users or roles (trust.users / trust.roles / trust.arns), or add a condition "
        "such as require_mfa: true."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.trusts:
            for index, statement in view.statements():
                if statement.effect != "Allow" or statement.conditions:
                    continue
                for value in statement.principal_values("RAM"):
                    entity = context.ram_entity(value)
                    if entity is None or entity.kind != "root" or not entity.account.isdigit():
                        continue
                    own = context.spec is not None and entity.account == context.spec.account_id
                    whose = "this stack's account" if own else f"account {entity.account}"
                    yield self.finding(
                        view.subject,
                        f"{view.subject} trusts every RAM identity of {whose} ({value}) without conditions",
                        view.path(index, "Principal", "RAM", value),
                    )

"""LP302: a role ARN with a wildcard account id (`acs:ram:*:*:role/x`) in a statement that can grant
sts:AssumeRole or ram:PassRole.

Only roles matter: assuming (and passing) a role is the one way a grant reaches into another
account; other services act on the caller's own account whatever the ARN's account part says, and
Alibaba's own docs write `acs:log:*:*:project/...` and `acs:oss:*:*:bucket` (docs/fidelity.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import allow_statements
from ramstack.policy.actions import action_matches, wildcard_regex
from ramstack.policy.arn import Arn, parse_arn
from ramstack.policy.document import Statement
from ramstack.policy.escalation import ANY_ROLE_ACTIONS


def _can_name_a_role(arn: Arn) -> bool:
    if wildcard_regex(arn.service, ignore_case=True).match("ram") is None:
        return False
    literal = arn.resource.split("*", 1)[0].split("?", 1)[0]
    return literal.startswith("role/") or "role/".startswith(literal)


def _any_account_role(resource: str) -> bool:
    """A role ARN whose account part is wildcarded; a resource without a wildcard is never one (most
    are not, and are not parsed)."""
    if "*" not in resource and "?" not in resource:
        return False
    arn = parse_arn(resource)
    return arn is not None and _can_name_a_role(arn) and ("*" in arn.account or "?" in arn.account)


def _grants_role_use(statement: Statement) -> bool:
    covered = [a for a in ANY_ROLE_ACTIONS if any(action_matches(p, a) for p in statement.actions)]
    # NotAction grants everything it does not list
    return len(covered) < len(ANY_ROLE_ACTIONS) if statement.not_action else bool(covered)


class ArnAccountWildcard(Rule):
    id = "LP302"
    title = "Account id wildcarded in a role ARN"
    default_severity = Severity.MEDIUM
    scope = "document"
    rationale = (
        "A * or ? in the account part of a role ARN matches the same-named roles of every account: "
        "with sts:AssumeRole or ram:PassRole that reaches other tenants' roles. Other services act on "
        "the caller's account, so their ARNs are not reported."
    )
    fix = "Write the account id, e.g. ${accountId} (a built-in policy variable)."

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in allow_statements(view):
                if statement.not_resource:
                    continue
                named = [r for r in statement.resources or () if _any_account_role(r)]
                if not named or not _grants_role_use(statement):
                    continue
                for resource in named:
                    yield self.finding(
                        view.subject,
                        f"{view.subject} statement {index + 1} names {resource} in any account",
                        view.path(index, "Resource", resource),
                    )

"""Small shared facts for the rules: statement filters, attachment paths, pattern coverage."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import DocumentView, LintContext, Principal
from ramstack.lint.finding import FindingPath
from ramstack.policy.actions import wildcard_regex
from ramstack.policy.conditions import parse_bool
from ramstack.policy.document import Statement
from ramstack.policy.escalation import targets_any_role
from ramstack.spec.model import PolicyRef


def allow_statements(view: DocumentView) -> Iterator[tuple[int, Statement]]:
    for index, statement in view.statements():
        if statement.effect == "Allow":
            yield index, statement


def covers(pattern: str, text: str, *, ignore_case: bool) -> bool:
    """Whether wildcard `pattern` covers `text`, itself possibly a pattern (its `*` read literally).

    Sound for coverage: `oss:*` covers `oss:Get*`, `oss:Get*` does not cover `oss:*`.
    """
    return wildcard_regex(pattern, ignore_case=ignore_case).match(text) is not None


def any_role(resource: str) -> bool:
    """Whether a Resource value matches roles it does not name (see ramstack.policy.escalation)."""
    return targets_any_role(resource)


def attachment_path(kind: str, principal: Principal, ref: PolicyRef) -> FindingPath:
    if ref.generated:
        return (kind, principal.name, "assume_roles")
    key = "system_policies" if ref.type == "System" else "policies"
    return (kind, principal.name, key, ref.name)


def attachments(context: LintContext, policy_type: str) -> Iterator[tuple[str, Principal, PolicyRef]]:
    for kind, principal in context.principals():
        for ref in principal.policies:
            if ref.type == policy_type:
                yield kind, principal, ref


def requires_mfa(statement: Statement) -> bool:
    """The statement demands `acs:MFAPresent` true (Bool operator)."""
    for clause in statement.conditions:
        is_mfa = clause.key.lower() == "acs:mfapresent" and clause.operator == "Bool"
        if is_mfa and clause.values and all(parse_bool(v) is True for v in clause.values):
            return True
    return False


def mentions_mfa(statement: Statement) -> bool:
    return any(clause.key.lower() == "acs:mfapresent" for clause in statement.conditions)

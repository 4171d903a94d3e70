"""LP204: actions that let a holder widen its own access (privilege escalation).

The table (documented in the README rule table through this docstring's rule text):
    ram:* and ram:Attach*           attach any policy to any principal (AttachPolicyToUser/Group/Role)
    ram:CreatePolicyVersion         rewrite an attached custom policy (with SetAsDefault)
    ram:SetDefaultPolicyVersion     switch an attached policy to a broader earlier version
    ram:CreateAccessKey             mint long-lived keys for other users
    ram:CreateLoginProfile, ram:UpdateLoginProfile   take over another user's console access
    ram:AddUserToGroup              join a more privileged group
    ram:UpdateRole                  rewrite a role's trust policy (NewAssumeRolePolicyDocument)
    ram:PassRole  on any role       hand any role to a service that then acts with it
    sts:AssumeRole on any role      assume every role that trusts the account
A pattern that covers one of these (ram:Create*, ram:*Policy*) counts; the full wildcard "*" is LP201's.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import allow_statements, any_role, covers
from ramstack.lint.rules.lp201_action_star import FULL_WILDCARDS
from ramstack.policy.escalation import ANY_ROLE_ACTIONS, ESCALATION_ACTIONS


@lru_cache(maxsize=4096)
def _hits(pattern: str, any_role_target: bool) -> list[str]:
    """The table's actions `pattern` covers (the any-role ones only when the resource is any role).
    Cached: documents repeat the same action patterns, and each is tried against the whole table.
    Callers must not change the list."""
    hits = [a for a in ESCALATION_ACTIONS if covers(pattern, a, ignore_case=True)]
    if any_role_target:
        hits += [a for a in ANY_ROLE_ACTIONS if covers(pattern, a, ignore_case=True)]
    return hits


class EscalationActions(Rule):
    id = "LP204"
    title = "Privilege-escalation actions"
    default_severity = Severity.HIGH
    scope = "document"
    rationale = (
        "ram:Attach*, ram:CreatePolicyVersion, ram:SetDefaultPolicyVersion, ram:CreateAccessKey, "
        "login-profile and group changes, ram:UpdateRole, and ram:PassRole or sts:AssumeRole on any role "
        "let the holder give itself (or become) something more privileged."
    )
    fix = (
        "Drop the action, or scope it: sts:AssumeRole/ram:PassRole on named role ARNs (assume_roles: in "
        "the spec), RAM administration only for break-glass roles with MFA."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in allow_statements(view):
                if statement.not_action:
                    continue
                # NotResource means "every resource except these": that includes roles it does not name.
                any_role_target = statement.not_resource or any(
                    any_role(r) for r in statement.resources or ("*",)
                )
                for pattern in statement.actions:
                    if pattern in FULL_WILDCARDS:
                        continue
                    hits = _hits(pattern, any_role_target)
                    if not hits:
                        continue
                    via = "" if hits == [pattern] else f" via {pattern!r}"
                    yield self.finding(
                        view.subject,
                        f"{view.subject} statement {index + 1} allows {', '.join(hits)}{via}",
                        view.path(index, "Action", pattern),
                    )

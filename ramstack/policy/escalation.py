"""Escalation-relevant actions: grants that let their holder widen its own access.

One table for the lint (LP204) and the permission diff (which flags such grants for reviewers).
"""

from __future__ import annotations

from ramstack.policy.actions import wildcard_match, wildcard_regex
from ramstack.policy.arn import parse_arn

ESCALATION_ACTIONS: tuple[str, ...] = (
    "ram:AttachPolicyToUser",  # attach any policy to any principal
    "ram:AttachPolicyToGroup",
    "ram:AttachPolicyToRole",
    "ram:CreatePolicyVersion",  # rewrite an attached custom policy
    "ram:SetDefaultPolicyVersion",  # switch an attached policy to a broader version
    "ram:CreateAccessKey",  # mint long-lived keys for other users
    "ram:CreateLoginProfile",  # take over another user's console access
    "ram:UpdateLoginProfile",
    "ram:AddUserToGroup",  # join a more privileged group
    "ram:UpdateRole",  # rewrite a role's trust policy
)
# Escalation only when the resource is any role (on named roles they are the least-privilege grant).
ANY_ROLE_ACTIONS: tuple[str, ...] = ("ram:PassRole", "sts:AssumeRole")
_SOME_ROLE = "role/ramstack-any-role-probe"


def targets_any_role(resource: str) -> bool:
    """Whether a Resource value matches roles it does not name (`*`, `acs:ram::<uid>:role/*`, ...).
    The account part is not considered (a wildcard account is a finding of its own)."""
    if resource == "*":
        return True
    arn = parse_arn(resource)
    if arn is None:
        return False
    in_ram = wildcard_match(arn.service, "ram", ignore_case=True)
    return in_ram and wildcard_match(arn.resource, _SOME_ROLE, ignore_case=False)


def escalation_actions_covered(action_pattern: str, resource: str) -> tuple[str, ...]:
    """The escalation actions an Allow of `action_pattern` on `resource` grants."""
    pattern = wildcard_regex(action_pattern, ignore_case=True)
    found = [a for a in ESCALATION_ACTIONS if pattern.match(a)]
    if targets_any_role(resource):
        found += [a for a in ANY_ROLE_ACTIONS if pattern.match(a)]
    return tuple(found)

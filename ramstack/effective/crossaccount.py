"""Cross-account access (seed 003): each account's stack declares only its own side.

Assuming a role of another account needs both sides to Allow: the caller's identity policies (in
the caller's account: `assume_roles: [acs:ram::<other>:role/<name>]`) and the role's trust policy
(in the role's account: `trust.arns: [acs:ram::<caller-account>:user/<name>]`, or the account
root). A stack sees one side only, so what it cannot check is said in the plan, once per fact.
"""

from __future__ import annotations

from ramstack.policy.arn import RamEntity, parse_ram_entity


def outside_entity(arn: str, own_account: str) -> RamEntity | None:
    """The RAM entity an ARN names in another account (None: not an entity ARN, or this account)."""
    entity = parse_ram_entity(arn)
    if entity is None or entity.account == own_account or "*" in entity.account or "?" in entity.account:
        return None
    return entity


def outside_role(arn: str, own_account: str) -> RamEntity | None:
    """A role ARN of another account, named without a wildcard (assumable if its trust allows)."""
    entity = outside_entity(arn, own_account)
    if entity is None or entity.kind != "role" or entity.name is None:
        return None
    return None if "*" in entity.name or "?" in entity.name else entity


def assume_note(subject: str, role_arn: str, own_account: str) -> str | None:
    """What the other account must declare for `subject` (user/x, role/x) to assume `role_arn`."""
    role = outside_role(role_arn, own_account)
    if role is None:
        return None
    caller = f"acs:ram::{own_account}:{subject}"
    return (
        f"{role_arn} is a role of account {role.account}: {subject} can assume it only if that role "
        f"trusts it, declared in account {role.account}'s stack "
        f"(roles.{role.name}.trust.arns: [{caller}], or that account trusting acs:ram::{own_account}:root)"
    )


def trust_note(role_subject: str, principal: str, own_account: str) -> str | None:
    """What the other account must declare for a trusted RAM principal of it to assume the role."""
    entity = outside_entity(principal, own_account)
    if entity is None:
        return None
    role_arn = f"acs:ram::{own_account}:{role_subject}"
    if entity.kind == "root":
        return (
            f"{role_subject} trusts account {entity.account}: only the users and roles that account "
            f"grants sts:AssumeRole on {role_arn} can assume it, declared in account {entity.account}'s "
            f"stack (assume_roles: [{role_arn}])"
        )
    return (
        f"{role_subject} trusts {principal} of account {entity.account}: it can assume the role only "
        f"once that account grants it sts:AssumeRole on {role_arn}, declared in account "
        f"{entity.account}'s stack ({entity.kind}s.{entity.name}.assume_roles: [{role_arn}])"
    )

"""Trust policies generated from a role's `trust:` (and `github:`) declaration.

One statement per kind of principal, so conditions never leak across kinds: RAM principals carry the
MFA condition when asked, services never do (a service cannot present MFA), and each OIDC identity
gets its own iss/aud/sub conditions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ramstack.diagnostics import Location
from ramstack.policy.arn import check_ram_principal, check_service_principal
from ramstack.policy.document import ConditionClause, PolicyDocument, Statement
from ramstack.spec.model import GithubTrust, OidcProvider, Role, Spec, Trust

ASSUME_ROLE = "sts:AssumeRole"
# an assume grant's canonical JSON without its resources
_GRANT_FRAME = PolicyDocument((Statement("Allow", (ASSUME_ROLE,), resources=()),)).to_json()
_MFA = ConditionClause("Bool", "acs:MFAPresent", ("true",))


def trust_policy_dict(
    trust: Trust,
    github: GithubTrust | None,
    account_id: str,
    providers: Mapping[str, OidcProvider],
) -> dict[str, Any]:
    statements: list[dict[str, Any]] = []
    ram = _ram_principals(trust, account_id)
    if ram:
        statement: dict[str, Any] = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": ram}}
        if trust.require_mfa:
            statement["Condition"] = {"Bool": {"acs:MFAPresent": "true"}}
        statements.append(statement)
    if trust.services:
        statements.append(
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": list(trust.services)}}
        )
    oidc = [(o.provider, o.audiences, o.subjects) for o in trust.oidc]
    if github is not None:
        oidc.append((github.provider, (github.audience,), (github.subject,)))
    for provider_name, audiences, subjects in oidc:
        provider = providers.get(provider_name)
        issuer = provider.issuer_url if provider else ""
        sub_operator = "StringLike" if any("*" in s or "?" in s for s in subjects) else "StringEquals"
        condition: dict[str, dict[str, Any]] = {
            "StringEquals": {"oidc:iss": issuer, "oidc:aud": list(audiences)}
        }
        condition.setdefault(sub_operator, {})["oidc:sub"] = list(subjects)
        statements.append(
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"Federated": [f"acs:ram::{account_id}:oidc-provider/{provider_name}"]},
                "Condition": condition,
            }
        )
    return {"Version": "1", "Statement": statements}


def _ram_principals(trust: Trust, account_id: str) -> list[str]:
    ram = [f"acs:ram::{account_id}:user/{u}" for u in trust.users]
    ram += [f"acs:ram::{account_id}:role/{r}" for r in trust.roles]
    ram += [f"acs:ram::{account_id if a == 'self' else a}:root" for a in trust.accounts]
    ram += list(trust.arns)
    return ram


def plain_trust_document(
    trust: Trust, github: GithubTrust | None, account_id: str, source: str
) -> PolicyDocument | None:
    """`parse_policy_dict(trust_policy_dict(...), "trust", source=source)`, built directly when the
    validator could say nothing about it: RAM principals and services only (no OIDC, no github), each
    one of the plain forms the principal checks accept without a finding. None otherwise (the caller
    validates the dictionary, which reports what is wrong). tests/spec/test_generated_documents.py
    compares the two on many trusts."""
    if github is not None or trust.oidc:
        return None
    ram, services = _ram_principals(trust, account_id), trust.services
    if not all(type(v) is str and v.isascii() and not check_ram_principal(v) for v in ram) or not all(
        type(v) is str and v.isascii() and not check_service_principal(v) for v in services
    ):
        return None
    at = Location(source)  # where the validator puts the statements of an unlocated document
    statements: list[Statement] = []
    if ram:
        mfa = (_MFA,) if trust.require_mfa else ()
        principals = (("RAM", tuple(sorted(set(ram)))),)
        statements.append(
            Statement("Allow", (ASSUME_ROLE,), principals=principals, conditions=mfa, location=at)
        )
    if services:
        principals = (("Service", tuple(sorted(set(services)))),)
        statements.append(Statement("Allow", (ASSUME_ROLE,), principals=principals, location=at))
    if not statements:
        return None  # an empty Statement is an error
    return PolicyDocument(tuple(statements), kind="trust", source=source)


def assume_grant_dict(role_arns: list[str]) -> dict[str, Any]:
    """The scoped assume grant: sts:AssumeRole on exactly these roles (seed 003, step 4)."""
    return {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arns}],
    }


def plain_assume_grant(role_arns: list[str], source: str) -> PolicyDocument | None:
    """`parse_policy_dict(assume_grant_dict(role_arns), "permission", source=source)`, built directly
    when the validator could raise no error: ASCII strings (a resource draws warnings at most, which
    parse_policy_dict drops) within RAM's size limit. None otherwise (the caller validates the
    dictionary)."""
    from ramstack.policy.validate import MAX_POLICY_BYTES

    if not role_arns or not all(type(a) is str and a.isascii() for a in role_arns):
        return None
    resources = tuple(sorted(set(role_arns)))
    at = Location(source)
    statement = Statement("Allow", (ASSUME_ROLE,), resources=resources, location=at)
    document = PolicyDocument((statement,), kind="permission", source=source)
    # the canonical JSON is the frame and each ARN quoted, at most 6 characters per ASCII character
    # ("\u001f"): below the limit by that bound, it fits without being rendered here
    bound = len(_GRANT_FRAME) + sum(6 * len(a) + 3 for a in resources)
    return document if bound <= MAX_POLICY_BYTES or document.size() <= MAX_POLICY_BYTES else None


def assume_grant_name(subject: str) -> str:
    """A valid PolicyName (letters, digits, hyphens, <= 128) for a principal's generated grant.

    Names with characters a policy name cannot hold get a short digest of the subject, so `a.b` and
    `a_b` never collide."""
    kind, _, name = subject.partition("/")
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in name)
    prefix = f"ramstack-assume-{kind}-"
    if cleaned == name and len(prefix + name) <= 128:
        return prefix + name
    import hashlib  # here, not at the top: loading OpenSSL costs every run; few names need a digest

    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()[:8]
    return f"{prefix}{cleaned[: 128 - len(prefix) - 9]}-{digest}"


def trust_dependencies(role: Role, spec: Spec) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(users, roles, OIDC providers) of the spec that the role's trust document names, in any
    statement: they must exist before the role (RAM refuses a principal that does not). Read from the
    document, so a trust kept as a file (`trust_file:`) orders the deploy like a generated one."""
    own = f"acs:ram::{spec.account_id}:"
    users: dict[str, None] = {}
    roles: dict[str, None] = {}
    providers: dict[str, None] = {}
    for statement in role.trust_document.statements:
        for value in statement.principal_values("RAM"):
            kind, _, name = value.removeprefix(own).partition("/")
            if value.startswith(own) and kind == "user" and name in spec.user_map:
                users[name] = None
            elif value.startswith(own) and kind == "role" and name in spec.role_map and name != role.name:
                roles[name] = None
        for value in statement.principal_values("Federated"):
            kind, _, name = value.removeprefix(own).partition("/")
            if value.startswith(own) and kind == "oidc-provider" and name in spec.oidc_provider_map:
                providers[name] = None
    return tuple(users), tuple(roles), tuple(providers)

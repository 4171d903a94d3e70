"""A live account written as a ramstack project: the spec (access.yaml), one policy file per custom
policy (canonical JSON), raw trust documents the spec cannot express, and the stack config.

Decisions:
- A custom policy named as ramstack's scoped assume grant of a user or group, attached to it alone,
  whose document is exactly the grant for roles that trust that principal, becomes `assume_roles:`;
  any other policy is kept as a file.
- AliyunSTSAssumeRoleAccess attached to a principal sets `allow_assume_any_role: true` (the spec's
  required opt-in), so the import keeps what the account grants.
- What cannot be read back is listed, never invented: AccessKey secrets, console passwords.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from ramstack.account.as_spec import canonical_document, parse_document
from ramstack.account.model import Attachment, LiveAccount, LiveRole
from ramstack.account.trust_import import trust_from_document
from ramstack.policy.document import PolicyKind, render_json
from ramstack.spec.model import OidcProvider, Trust
from ramstack.spec.trust import assume_grant_dict, assume_grant_name

ASSUME_ANY_ROLE = "AliyunSTSAssumeRoleAccess"
SPEC_FILE = "access.yaml"


@dataclass
class Export:
    files: dict[str, str] = field(default_factory=dict)  # relative path -> text
    notes: list[str] = field(default_factory=list)  # what was not imported, or imported differently


def export_account(account: LiveAccount, stack: str, region: str) -> Export:
    out = Export()
    providers = {
        p.name: OidcProvider(p.name, p.issuer_url, p.client_ids, p.fingerprints)
        for p in account.oidc_providers
    }
    trusts = {r.name: _trust(r, account, providers) for r in account.roles}
    grants = _assume_grants(account, trusts)
    grant_policies = {policy for policy, _ in grants.values()}
    reserved = {
        assume_grant_name(f"{k}/{n}")
        for k, ns in (("user", account.user_map), ("group", account.group_map))
        for n in ns
    }
    for name in sorted((reserved & set(account.policy_map)) - grant_policies):
        out.notes.append(
            f"policy/{name}: its name is reserved for a ramstack assume grant but it is not one; "
            "validate will refuse it (SPEC015): rename the policy in the account, then import again"
        )

    spec: dict[str, Any] = {}
    users: dict[str, Any] = {}
    for user in account.users:
        body = _attrs(
            display_name=user.display_name,
            comments=user.comments,
            email=user.email,
            mobile=user.mobile,
            tags=dict(user.tags) if user.tags else None,
        )
        if user.access_keys:
            body["access_key"] = True
            out.notes.append(
                f"user/{user.name}: AccessKey {', '.join(user.access_keys)} not imported (the secret cannot "
                "be read back and pulumi-alicloud cannot import keys): the first pulumi up creates a new "
                "key; move clients to it, then delete the old one"
            )
        if user.login is not None:
            body["console_login"] = {
                "mfa_required": user.login.mfa_bind_required,
                "password_reset_required": user.login.password_reset_required,
            }
            out.notes.append(
                f"user/{user.name}: console password not imported (RAM never returns it): set it with "
                f"pulumi config set --secret --path 'ramstack:passwords.{user.name}' before pulumi up"
            )
        if user.groups:
            body["groups"] = list(user.groups)
        body.update(_attachments(account, "user", user.name, grants, grant_policies))
        users[user.name] = body
    groups = {
        g.name: {
            **_attrs(comments=g.comments),
            **_attachments(account, "group", g.name, grants, grant_policies),
        }
        for g in account.groups
    }
    roles: dict[str, Any] = {}
    for role in account.roles:
        body = _attrs(description=role.description)
        body["max_session_duration"] = role.max_session_duration
        if role.tags:
            body["tags"] = dict(role.tags)
        trust = trusts[role.name]
        if trust is None:
            path = f"trust/{role.name}.json"
            body["trust_file"] = path
            out.files[path] = _document_text(role.trust_document, "trust")
            out.notes.append(
                f"role/{role.name}: trust: cannot express its trust policy (kept as the document {path})"
            )
        else:
            body["trust"] = _trust_body(trust)
        body.update(_attachments(account, "role", role.name, grants, grant_policies))
        roles[role.name] = body
    if users:
        spec["users"] = users
    if groups:
        spec["groups"] = groups
    if roles:
        spec["roles"] = roles
    if account.oidc_providers:
        spec["oidc_providers"] = {
            p.name: {
                "issuer_url": p.issuer_url,
                "client_ids": list(p.client_ids),
                **({"fingerprints": list(p.fingerprints)} if p.fingerprints else {}),
                **_attrs(issuance_limit_time=p.issuance_limit_time, description=p.description),
            }
            for p in account.oidc_providers
        }
    described = {
        p.name: p.description for p in account.policies if p.description and p.name not in grant_policies
    }
    if described:
        spec["policies"] = {name: {"description": text} for name, text in sorted(described.items())}
    for policy in account.policies:
        if policy.name not in grant_policies:
            out.files[f"policies/{policy.name}.json"] = _document_text(policy.document, "permission")
    header = (
        f"# Imported from account {account.account_id} by `ramstack import`.\n"
        "# Custom policy documents are in policies/<name>.json.\n\n"
    )
    out.files[SPEC_FILE] = header + (
        yaml.safe_dump(spec, sort_keys=False, allow_unicode=True) if spec else "{}\n"
    )
    out.files[f"Pulumi.{stack}.yaml"] = yaml.safe_dump(
        {
            "config": {
                "alicloud:region": region,
                "ramstack:accountId": account.account_id,
                "ramstack:spec": SPEC_FILE,
            }
        },
        sort_keys=False,
    )
    return out


def _attrs(**values: Any) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in (None, "")}


def _document_text(document: Any, kind: PolicyKind) -> str:
    """The canonical rendering (a document ramstack's grammar rejects: key-sorted as RAM gave it);
    `${` written as `$${`, so stack variables never rewrite it."""
    parsed = parse_document(document, kind, "<import>")
    return render_json(_escape(parsed.to_dict() if parsed is not None else document)) + "\n"


def _escape(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("${", "$${")
    if isinstance(value, list):
        return [_escape(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape(v) for k, v in value.items()}
    return value


def _trust(role: LiveRole, account: LiveAccount, providers: Mapping[str, OidcProvider]) -> Trust | None:
    return trust_from_document(
        role.trust_document, account.account_id, set(account.user_map), set(account.role_map), providers
    )


def _trust_body(trust: Trust) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for key in ("users", "roles", "accounts", "arns", "services"):
        values = getattr(trust, key)
        if values:
            body[key] = list(values)
    if trust.oidc:
        body["oidc"] = [
            {"provider": o.provider, "audiences": list(o.audiences), "subjects": list(o.subjects)}
            for o in trust.oidc
        ]
    if trust.require_mfa:
        body["require_mfa"] = True
    return body


def _assume_grants(
    account: LiveAccount, trusts: Mapping[str, Trust | None]
) -> dict[str, tuple[str, list[str]]]:
    """subject -> (policy name, roles) for the policies that are ramstack's scoped assume grants."""
    found: dict[str, tuple[str, list[str]]] = {}
    own = f"acs:ram::{account.account_id}:role/"
    for kind, names in (("user", account.user_map), ("group", account.group_map)):
        for name in names:
            subject = f"{kind}/{name}"
            policy = account.policy_map.get(assume_grant_name(subject))
            if policy is None:
                continue
            holders = [
                a for a in account.attachments if a.policy_type == "Custom" and a.policy_name == policy.name
            ]
            if holders != [Attachment(kind, name, "Custom", policy.name)]:
                continue
            try:
                arns = [str(r) for r in policy.document["Statement"][0]["Resource"]]
            except (KeyError, IndexError, TypeError):
                continue
            role_names = [a.removeprefix(own) for a in arns if a.startswith(own)]
            if len(role_names) != len(arns) or not all(
                _trusts(trusts.get(r), kind, name) for r in role_names
            ):
                continue
            expected = assume_grant_dict(arns)
            if canonical_document(expected, "permission") == canonical_document(
                policy.document, "permission"
            ):
                found[subject] = (policy.name, _grant_order(policy.description, subject, role_names))
    return found


def _grant_order(description: str | None, subject: str, roles: list[str]) -> list[str]:
    """The roles in the order ramstack wrote them into the grant's description (which names them in
    spec order), so re-deploying the import does not rewrite the description; else sorted."""
    prefix = f"ramstack: lets {subject} assume "
    if description and description.startswith(prefix):
        listed = description[len(prefix) :].split(", ")
        if sorted(listed) == sorted(roles):
            return listed
    return sorted(roles)


def _trusts(trust: Trust | None, kind: str, name: str) -> bool:
    return trust is not None and kind == "user" and name in trust.users


def _attachments(
    account: LiveAccount,
    kind: str,
    name: str,
    grants: Mapping[str, tuple[str, list[str]]],
    grant_policies: set[str],
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    attached = account.attachments_of(kind, name)
    custom = [
        a.policy_name for a in attached if a.policy_type == "Custom" and a.policy_name not in grant_policies
    ]
    system = [a.policy_name for a in attached if a.policy_type == "System"]
    if custom:
        body["policies"] = custom
    if system:
        body["system_policies"] = system
    grant = grants.get(f"{kind}/{name}")
    if grant is not None:
        body["assume_roles"] = grant[1]
    if ASSUME_ANY_ROLE in system:
        body["allow_assume_any_role"] = True
    return body

"""Read a live account into the model: users (attributes, AccessKey ids, login profile and its MFA
requirement, groups), groups, roles with their trust documents, custom policies with the document of
their default version, attachments of every principal, and OIDC providers (IMS).

Lists are read with Marker/IsTruncated paging; per-principal lists that the API does not page are
read in one call (live-sdk.md §7).
"""

from __future__ import annotations

import json
from typing import Any

from ramstack.account.model import (
    Attachment,
    LiveAccount,
    LiveGroup,
    LiveLogin,
    LiveOidcProvider,
    LivePolicy,
    LiveRole,
    LiveUser,
)
from ramstack.account.transport import Transport, TransportError, entries, pages
from ramstack.spec.model import PolicyType

NO_LOGIN_PROFILE = "EntityNotExist.User.LoginProfile"


def read_account(transport: Transport, account_id: str | None = None) -> LiveAccount:
    """The whole account; `account_id` defaults to the caller's (STS GetCallerIdentity)."""
    if account_id is None:
        account_id = str(transport.call("sts", "GetCallerIdentity", {}).get("AccountId") or "")
        if not account_id:
            raise TransportError(None, "GetCallerIdentity returned no AccountId", "sts", "GetCallerIdentity")
    attachments: list[Attachment] = []
    users = []
    for entry in pages(transport, "ram", "ListUsers", {}, "Users", "User"):
        name = str(entry["UserName"])
        users.append(_user(transport, name, entry))
        attachments += _attachments(transport, "user", name)
    groups = []
    for entry in pages(transport, "ram", "ListGroups", {}, "Groups", "Group"):
        name = str(entry["GroupName"])
        groups.append(LiveGroup(name, _text(entry.get("Comments"))))
        attachments += _attachments(transport, "group", name)
    roles = []
    for entry in pages(transport, "ram", "ListRoles", {}, "Roles", "Role"):
        name = str(entry["RoleName"])
        # ListRoles has no trust document: one GetRole per role.
        role = transport.call("ram", "GetRole", {"RoleName": name}).get("Role") or {}
        roles.append(
            LiveRole(
                name,
                _json(role.get("AssumeRolePolicyDocument")),
                _text(role.get("Description", entry.get("Description"))),
                int(role.get("MaxSessionDuration") or entry.get("MaxSessionDuration") or 3600),
                _tags(role.get("Tags", entry.get("Tags"))),
            )
        )
        attachments += _attachments(transport, "role", name)
    policies = []
    for entry in pages(transport, "ram", "ListPolicies", {"PolicyType": "Custom"}, "Policies", "Policy"):
        name = str(entry["PolicyName"])
        got = transport.call("ram", "GetPolicy", {"PolicyName": name, "PolicyType": "Custom"})
        version = got.get("DefaultPolicyVersion") or {}
        document = version.get("PolicyDocument") or (got.get("Policy") or {}).get("PolicyDocument")
        policies.append(LivePolicy(name, _json(document), _text(entry.get("Description"))))
    providers = [
        _oidc_provider(e)
        for e in pages(transport, "ims", "ListOIDCProviders", {}, "OIDCProviders", "OIDCProvider")
    ]
    return LiveAccount(
        account_id,
        tuple(sorted(users, key=lambda u: u.name)),
        tuple(sorted(groups, key=lambda g: g.name)),
        tuple(sorted(roles, key=lambda r: r.name)),
        tuple(sorted(policies, key=lambda p: p.name)),
        tuple(sorted(providers, key=lambda p: p.name)),
        tuple(sorted(set(attachments))),
    )


def _user(transport: Transport, name: str, entry: dict[str, Any]) -> LiveUser:
    keys = transport.call("ram", "ListAccessKeys", {"UserName": name})
    try:
        profile = transport.call("ram", "GetLoginProfile", {"UserName": name}).get("LoginProfile") or {}
        login: LiveLogin | None = LiveLogin(
            bool(profile.get("MFABindRequired")), bool(profile.get("PasswordResetRequired"))
        )
    except TransportError as exc:
        if exc.code != NO_LOGIN_PROFILE:
            raise
        login = None
    groups = transport.call("ram", "ListGroupsForUser", {"UserName": name})
    return LiveUser(
        name,
        str(entry.get("UserId") or ""),
        _text(entry.get("DisplayName")),
        _text(entry.get("Comments")),
        _text(entry.get("Email")),
        _text(entry.get("MobilePhone")),
        _tags(entry.get("Tags")),
        tuple(sorted(str(k["AccessKeyId"]) for k in entries(keys, "AccessKeys", "AccessKey"))),
        login,
        tuple(sorted(str(g["GroupName"]) for g in entries(groups, "Groups", "Group"))),
    )


def _attachments(transport: Transport, kind: str, name: str) -> list[Attachment]:
    action = f"ListPoliciesFor{kind.capitalize()}"
    response = transport.call("ram", action, {f"{kind.capitalize()}Name": name})
    out = []
    for entry in entries(response, "Policies", "Policy"):
        policy_type: PolicyType = "System" if entry.get("PolicyType") == "System" else "Custom"
        out.append(Attachment(kind, name, policy_type, str(entry["PolicyName"])))
    return out


def _oidc_provider(entry: dict[str, Any]) -> LiveOidcProvider:
    limit = entry.get("IssuanceLimitTime")
    return LiveOidcProvider(
        str(entry["OIDCProviderName"]),
        str(entry.get("IssuerUrl") or ""),
        _csv(entry.get("ClientIds")),
        _csv(entry.get("Fingerprints")),
        int(limit) if limit not in (None, "") else None,
        _text(entry.get("Description")),
    )


def _csv(value: Any) -> tuple[str, ...]:
    """IMS answers ClientIds and Fingerprints as comma-separated strings (live-sdk.md §7)."""
    if isinstance(value, list):
        return tuple(sorted(str(v) for v in value if v))
    return tuple(sorted(v.strip() for v in str(value or "").split(",") if v.strip()))


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _json(value: Any) -> Any:
    """A document string parsed; a string that is not JSON stays as is (the comparison shows it)."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _tags(value: Any) -> tuple[tuple[str, str], ...] | None:
    if value is None:
        return None
    items = entries({"Tags": value}, "Tags", "Tag")
    return tuple(
        sorted((str(t.get("TagKey", t.get("Key"))), str(t.get("TagValue", t.get("Value")))) for t in items)
    )

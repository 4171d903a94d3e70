"""The whole account as plain, stably ordered dicts for plan output. Every secret reads "***"."""

from __future__ import annotations

from typing import Any

from ramstack.fakecloud.arns import assumed_role_arn
from ramstack.fakecloud.clock import iso8601
from ramstack.fakecloud.redaction import REDACTED
from ramstack.fakecloud.state import AccountState, PrincipalKind
from ramstack.fakecloud.views import (
    access_key_view,
    group_view,
    login_profile_view,
    oidc_provider_view,
    policy_view,
    role_view,
    saml_provider_view,
    user_view,
    version_view,
)


def _policies(state: AccountState, kind: PrincipalKind, principal_id: str) -> list[dict[str, str]]:
    return [
        {"PolicyType": key.policy_type, "PolicyName": key.policy_name}
        for key, _ in state.attachments_of(kind, principal_id)
    ]


def _keys(state: AccountState, owner_id: str | None) -> list[dict[str, Any]]:
    return [{**access_key_view(k), "AccessKeySecret": REDACTED} for k in state.keys_of(owner_id)]


def take_snapshot(state: AccountState) -> dict[str, Any]:
    account = state.account_id
    users = []
    for user in sorted(state.users.values(), key=lambda u: u.user_name):
        profile = state.login_profiles.get(user.user_id)
        users.append(
            {
                **user_view(user),
                "AccessKeys": _keys(state, user.user_id),
                "LoginProfile": (
                    {**login_profile_view(profile, user.user_name), "Password": REDACTED} if profile else None
                ),
                "MFADevice": getattr(state.mfa_device_of(user.user_id), "serial_number", None),
                "Groups": [g.group_name for g, _ in state.groups_of(user.user_id)],
                "Policies": _policies(state, "User", user.user_id),
            }
        )
    groups = [
        {
            **group_view(group),
            "Users": [u.user_name for u, _ in state.members_of(group.group_id)],
            "Policies": _policies(state, "Group", group.group_id),
        }
        for group in sorted(state.groups.values(), key=lambda g: g.group_name)
    ]
    roles = [
        {**role_view(role), "Policies": _policies(state, "Role", role.role_id)}
        for role in sorted(state.roles.values(), key=lambda r: r.role_name)
    ]
    policies = [
        {
            **policy_view(policy, len(state.attachments_to("Custom", policy.policy_name))),
            "Versions": [
                version_view(v, policy.default_version)
                for v in sorted(policy.versions.values(), key=lambda v: int(v.version_id[1:]))
            ],
        }
        for policy in sorted(state.policies.values(), key=lambda p: p.policy_name)
    ]
    system_attachments = sorted({k.policy_name for k in state.attachments if k.policy_type == "System"})
    providers = [
        oidc_provider_view(p, account) for p in sorted(state.oidc_providers.values(), key=lambda p: p.name)
    ]
    saml_providers = [
        saml_provider_view(p) for p in sorted(state.saml_providers.values(), key=lambda p: p.name)
    ]
    sessions = [
        {
            "AccessKeyId": s.access_key_id,
            "AccessKeySecret": REDACTED,
            "SecurityToken": REDACTED,
            "Expiration": iso8601(s.expiration),
            "Arn": assumed_role_arn(account, s.role_name, s.role_session_name),
            "AssumedRoleId": f"{s.role_id}:{s.role_session_name}",
        }
        for s in sorted(state.sessions.values(), key=lambda s: s.access_key_id)
    ]
    return {
        "AccountId": account,
        "RootAccessKeys": _keys(state, None),
        "Users": users,
        "Groups": groups,
        "Roles": roles,
        "Policies": policies,
        "SystemPoliciesInUse": system_attachments,
        "OIDCProviders": providers,
        "SAMLProviders": saml_providers,
        "Sessions": sessions,
    }

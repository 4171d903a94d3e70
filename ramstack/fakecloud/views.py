"""Entities rendered as the API renders them (PascalCase keys, ISO-8601 dates, absent fields omitted).

No view ever includes a secret; the few responses that must (CreateAccessKey, AssumeRole) add it
themselves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ramstack.fakecloud.clock import iso8601
from ramstack.fakecloud.state import (
    AccessKey,
    Group,
    LoginProfile,
    OIDCProvider,
    Policy,
    PolicyVersion,
    Role,
    SAMLProvider,
    User,
)


def compact(**fields: Any) -> dict[str, Any]:
    """PascalCase-keyed dict of the non-None fields, dates formatted."""
    return {k: (iso8601(v) if isinstance(v, datetime) else v) for k, v in fields.items() if v is not None}


def user_view(user: User) -> dict[str, Any]:
    return compact(
        UserId=user.user_id,
        UserName=user.user_name,
        DisplayName=user.display_name,
        MobilePhone=user.mobile_phone,
        Email=user.email,
        Comments=user.comments,
        CreateDate=user.create_date,
        UpdateDate=user.update_date,
    )


def access_key_view(key: AccessKey) -> dict[str, Any]:
    return compact(AccessKeyId=key.access_key_id, Status=key.status, CreateDate=key.create_date)


def login_profile_view(profile: LoginProfile, user_name: str) -> dict[str, Any]:
    return compact(
        UserName=user_name,
        PasswordResetRequired=profile.password_reset_required,
        MFABindRequired=profile.mfa_bind_required,
        CreateDate=profile.create_date,
        UpdateDate=profile.update_date,
    )


def group_view(group: Group) -> dict[str, Any]:
    return compact(
        GroupId=group.group_id,
        GroupName=group.group_name,
        Comments=group.comments,
        CreateDate=group.create_date,
        UpdateDate=group.update_date,
    )


def role_view(role: Role, *, with_document: bool = True) -> dict[str, Any]:
    return compact(
        RoleId=role.role_id,
        RoleName=role.role_name,
        Arn=role.arn,
        Description=role.description,
        AssumeRolePolicyDocument=role.assume_role_policy_document if with_document else None,
        MaxSessionDuration=role.max_session_duration,
        CreateDate=role.create_date,
        UpdateDate=role.update_date,
    )


def policy_view(policy: Policy, attachment_count: int | None = None) -> dict[str, Any]:
    return compact(
        PolicyName=policy.policy_name,
        PolicyType="Custom",
        Description=policy.description,
        DefaultVersion=policy.default_version,
        AttachmentCount=attachment_count,
        CreateDate=policy.create_date,
        UpdateDate=policy.update_date,
    )


def system_policy_view(name: str, attachment_count: int | None = None) -> dict[str, Any]:
    # Description, dates and document of system policies are not modelled by the fake.
    return compact(
        PolicyName=name, PolicyType="System", DefaultVersion="v1", AttachmentCount=attachment_count
    )


def version_view(version: PolicyVersion, default_version: str) -> dict[str, Any]:
    return compact(
        VersionId=version.version_id,
        IsDefaultVersion=version.version_id == default_version,
        PolicyDocument=version.document,
        CreateDate=version.create_date,
    )


def saml_provider_view(provider: SAMLProvider) -> dict[str, Any]:
    return compact(
        SAMLProviderName=provider.name,
        Arn=provider.arn,
        Description=provider.description,
        CreateDate=provider.create_date,
        UpdateDate=provider.update_date,
    )


def oidc_provider_view(provider: OIDCProvider, account_id: str) -> dict[str, Any]:
    return compact(
        OIDCProviderName=provider.name,
        Arn=provider.arn,
        IssuerUrl=provider.issuer_url,
        ClientIds=",".join(provider.client_ids),
        Fingerprints=",".join(provider.fingerprints),
        IssuanceLimitTime=provider.issuance_limit_time,
        Description=provider.description,
        AccountId=account_id,
        CreateDate=provider.create_date,
        UpdateDate=provider.update_date,
    )

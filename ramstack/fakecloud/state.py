"""The account's entities as plain dataclasses; relations are keyed by ids so renames are cheap.

Nothing here validates: the API classes do. Secret values are held as `Secret`, so the dataclass
reprs never show them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from ramstack.fakecloud.index import IndexedDict, indexed
from ramstack.fakecloud.redaction import Secret

PrincipalKind = Literal["User", "Group", "Role"]
PolicyType = Literal["System", "Custom"]


@dataclass
class User:
    user_id: str
    user_name: str
    create_date: datetime
    update_date: datetime
    display_name: str | None = None
    mobile_phone: str | None = None
    email: str | None = None
    comments: str | None = None


@dataclass
class AccessKey:
    access_key_id: str
    secret: Secret
    owner_id: str | None  # UserId, or None for a key of the account (root) itself
    create_date: datetime
    status: Literal["Active", "Inactive"] = "Active"


@dataclass
class LoginProfile:
    user_id: str
    password: Secret
    create_date: datetime
    update_date: datetime
    password_reset_required: bool = False
    mfa_bind_required: bool = False


@dataclass
class VirtualMfaDevice:
    """A virtual MFA device; the person binds it to their user (outside any IaC) with two codes."""

    serial_number: str  # acs:ram::<uid>:mfa/<name>
    seed: Secret  # Base32StringSeed, shown once at creation
    create_date: datetime
    user_id: str | None = None
    activate_date: datetime | None = None


@dataclass
class Group:
    group_id: str
    group_name: str
    create_date: datetime
    update_date: datetime
    comments: str | None = None


@dataclass
class Role:
    role_id: str
    role_name: str
    arn: str
    assume_role_policy_document: str  # verbatim as sent
    max_session_duration: int
    create_date: datetime
    update_date: datetime
    description: str | None = None


@dataclass
class PolicyVersion:
    version_id: str  # "v1", "v2", ... never reused within a policy
    document: str  # verbatim as sent
    create_date: datetime


@dataclass
class Policy:
    policy_name: str
    default_version: str
    create_date: datetime
    update_date: datetime
    description: str | None = None
    versions: dict[str, PolicyVersion] = field(default_factory=dict)
    next_version: int = 1


@dataclass(frozen=True, order=True)
class AttachmentKey:
    principal_kind: PrincipalKind
    principal_id: str  # UserId / GroupId / RoleId
    policy_type: PolicyType
    policy_name: str


@dataclass
class OIDCProvider:
    name: str
    arn: str
    issuer_url: str
    create_date: datetime
    update_date: datetime
    client_ids: list[str] = field(default_factory=list)
    fingerprints: list[str] = field(default_factory=list)
    issuance_limit_time: int | None = None
    description: str | None = None


@dataclass
class SAMLProvider:
    name: str
    arn: str
    entity_id: str  # the EntityID of its IdP metadata: the Issuer its assertions must carry
    metadata: str  # EncodedSAMLMetadataDocument, as sent
    create_date: datetime
    update_date: datetime
    description: str | None = None


@dataclass
class Session:
    """An STS credential set handed out by AssumeRole."""

    access_key_id: str
    secret: Secret
    security_token: Secret
    role_id: str
    role_name: str
    role_session_name: str
    expiration: datetime
    policy: str | None = None
    source_identity: str | None = None


@dataclass
class AccountState:
    account_id: str
    # Relations are indexed (ramstack.fakecloud.index): a lookup by id, owner or principal is a dict
    # access, not a scan of the account, so n registrations cost O(n), not O(n^2).
    users: IndexedDict[str, User] = field(default_factory=indexed(id=lambda _, u: u.user_id))  # by UserName
    groups: IndexedDict[str, Group] = field(
        default_factory=indexed(id=lambda _, g: g.group_id)
    )  # by GroupName
    roles: IndexedDict[str, Role] = field(default_factory=indexed(id=lambda _, r: r.role_id))  # by RoleName
    policies: dict[str, Policy] = field(default_factory=dict)  # custom, by PolicyName
    access_keys: IndexedDict[str, AccessKey] = field(
        default_factory=indexed(owner=lambda _, k: k.owner_id)
    )  # by AccessKeyId, users' and root's
    login_profiles: dict[str, LoginProfile] = field(default_factory=dict)  # by UserId
    memberships: IndexedDict[tuple[str, str], datetime] = field(
        default_factory=indexed(group=lambda k, _: k[0], user=lambda k, _: k[1])
    )  # (GroupId, UserId) -> JoinDate
    attachments: IndexedDict[AttachmentKey, datetime] = field(
        default_factory=indexed(
            principal=lambda k, _: (k.principal_kind, k.principal_id),
            policy=lambda k, _: (k.policy_type, k.policy_name),
        )
    )  # -> AttachDate
    oidc_providers: dict[str, OIDCProvider] = field(default_factory=dict)  # by OIDCProviderName
    saml_providers: dict[str, SAMLProvider] = field(default_factory=dict)  # by SAMLProviderName
    mfa_devices: dict[str, VirtualMfaDevice] = field(default_factory=dict)  # by SerialNumber
    sessions: dict[str, Session] = field(default_factory=dict)  # by STS AccessKeyId

    # lookups by id

    def user_by_id(self, user_id: str) -> User | None:
        names = self.users.lookup("id", user_id)
        return self.users[names[0]] if names else None

    def group_by_id(self, group_id: str) -> Group | None:
        names = self.groups.lookup("id", group_id)
        return self.groups[names[0]] if names else None

    def role_by_id(self, role_id: str) -> Role | None:
        names = self.roles.lookup("id", role_id)
        return self.roles[names[0]] if names else None

    def principal_name(self, kind: PrincipalKind, principal_id: str) -> str:
        entity = {"User": self.user_by_id, "Group": self.group_by_id, "Role": self.role_by_id}[kind](
            principal_id
        )
        if entity is None:
            return principal_id
        if isinstance(entity, User):
            return entity.user_name
        if isinstance(entity, Group):
            return entity.group_name
        return entity.role_name

    # relations

    def keys_of(self, user_id: str | None) -> list[AccessKey]:
        keys = [self.access_keys[k] for k in self.access_keys.lookup("owner", user_id)]
        return sorted(keys, key=lambda k: (k.create_date, k.access_key_id))

    def mfa_device_of(self, user_id: str) -> VirtualMfaDevice | None:
        return next((d for d in self.mfa_devices.values() if d.user_id == user_id), None)

    def groups_of(self, user_id: str) -> list[tuple[Group, datetime]]:
        out = [
            (self.group_by_id(g), self.memberships[g, u]) for g, u in self.memberships.lookup("user", user_id)
        ]
        return sorted(((g, d) for g, d in out if g is not None), key=lambda gd: gd[0].group_name)

    def members_of(self, group_id: str) -> list[tuple[User, datetime]]:
        out = [
            (self.user_by_id(u), self.memberships[g, u])
            for g, u in self.memberships.lookup("group", group_id)
        ]
        return sorted(((u, d) for u, d in out if u is not None), key=lambda ud: ud[0].user_name)

    def attachments_of(self, kind: PrincipalKind, principal_id: str) -> list[tuple[AttachmentKey, datetime]]:
        out = [(k, self.attachments[k]) for k in self.attachments.lookup("principal", (kind, principal_id))]
        return sorted(out, key=lambda kd: (kd[0].policy_type, kd[0].policy_name))

    def attachments_to(
        self, policy_type: PolicyType, policy_name: str
    ) -> list[tuple[AttachmentKey, datetime]]:
        out = [
            (k, self.attachments[k]) for k in self.attachments.lookup("policy", (policy_type, policy_name))
        ]
        return sorted(out)

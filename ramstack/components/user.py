"""A RAM user with its optional AccessKey, console login, group memberships and policy attachments."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_alicloud as alicloud

from ramstack.components._children import aliased_options, child_options, component_options
from ramstack.components.attachments import attach_all
from ramstack.components.naming import LegacyAliases, LegacyNames, legacy_membership_name, membership_name
from ramstack.spec.model import User

TOKEN = "ramstack:ram:User"


class RamUser(pulumi.ComponentResource):
    user: alicloud.ram.User
    user_name: pulumi.Output[str]
    access_key_id: pulumi.Output[str] | None
    access_key_secret: pulumi.Output[str] | None

    def __init__(
        self,
        name: str,
        user: User,
        *,
        custom_policies: Mapping[str, pulumi.Input[str]],
        groups: Mapping[str, pulumi.Input[str]],
        password: pulumi.Input[str] | None = None,
        legacy_names: LegacyAliases | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TOKEN, name, None, component_options(opts, name, None))
        self.user = alicloud.ram.User(
            name,
            name=user.name,
            display_name=user.display_name,
            comments=user.comments,
            email=user.email,
            mobile=user.mobile,
            tags=dict(user.tags) or None,
            # protect guards the identity; its keys and attachments stay changeable (rotate a leaked key).
            opts=child_options(self, name, None, "", protect=user.protect or None),
        )
        self.user_name = self.user.name

        self.access_key_id = self.access_key_secret = None
        self.access_key_encrypted_secret = self.access_key_fingerprint = None
        if user.access_key:
            key = alicloud.ram.AccessKey(
                f"{name}-access-key",
                user_name=self.user_name,
                pgp_key=user.pgp_key,
                opts=child_options(self, name, None, "-access-key"),
            )
            self.access_key_id = key.id
            # The engine marks `secret` secret for a real provider; wrapping makes it secret everywhere
            # (mocks and plan included) and keeps it out of every log.
            self.access_key_secret = None if user.pgp_key else pulumi.Output.secret(key.secret)
            self.access_key_encrypted_secret = key.encrypted_secret if user.pgp_key else None
            self.access_key_fingerprint = key.key_fingerprint if user.pgp_key else None

        if user.console_login is not None:
            if password is None:
                raise ValueError(f"user {user.name!r} has console_login but no password was given")
            alicloud.ram.LoginProfile(
                f"{name}-login",
                user_name=self.user_name,
                # LoginProfile.password is not marked secret by the SDK: wrap it.
                password=pulumi.Output.secret(password),
                mfa_bind_required=user.console_login.mfa_required,
                password_reset_required=user.console_login.password_reset_required,
                opts=child_options(self, name, None, "-login"),
            )

        memberships = (
            legacy_names.user_groups
            if legacy_names
            else LegacyNames(legacy_membership_name(name, g) for g in user.groups)
        )
        for group in user.groups:
            # UserGroupAttachment, not the deprecated GroupMembership (deleting that one empties the group).
            alicloud.ram.UserGroupAttachment(
                membership_name(name, group),
                group_name=groups[group],
                user_name=self.user_name,
                opts=aliased_options(self, [memberships.alias(legacy_membership_name(name, group))]),
            )

        attach_all(
            self,
            name,
            None,
            user.policies,
            custom_policies,
            lambda n, policy, kind, o: alicloud.ram.UserPolicyAttachment(
                n, user_name=self.user_name, policy_name=policy, policy_type=kind, opts=o
            ),
            legacy_names.user_policies if legacy_names else None,
        )
        self.register_outputs(
            {
                "user_name": self.user_name,
                "access_key_id": self.access_key_id,
                "access_key_secret": self.access_key_secret,
            }
        )

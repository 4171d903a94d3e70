"""A RAM user with its optional AccessKey, console login, group memberships and policy attachments."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi_alicloud as alicloud
import pulumi_random as random

from ramstack.components._children import aliased_options, child_options, component_options
from ramstack.components.attachments import attach_all
from ramstack.components.naming import LegacyAliases, LegacyNames, legacy_membership_name, membership_name
from ramstack.spec.model import User

TOKEN = "ramstack:ram:User"
# LoginProfile inputs the person changes after the first `up` (engine property names).
PERSON_OWNED = ("password", "passwordResetRequired")
# RAM's default password policy asks for 8-32 characters; mixed classes satisfy a stricter custom one.
GENERATED_PASSWORD: dict[str, Any] = {
    "length": 24,
    "min_upper": 2,
    "min_lower": 2,
    "min_numeric": 2,
    "min_special": 2,
    "override_special": "!#%*+-=?_",
}


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
            # The person binds an MFA device outside Pulumi; without force DeleteUser fails with
            # DeleteConflict.User.MFADevice. force also removes keys, policies, groups and the login
            # profile, which the user's own children remove first anyway.
            force=True,
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

        self.generated_password: pulumi.Output[str] | None = None
        login = user.console_login
        if login is not None:
            replace_with: list[pulumi.Resource] = []
            if login.generated_password:
                generated = random.RandomPassword(
                    f"{name}-initial-password",
                    **GENERATED_PASSWORD,
                    # a new password_version generates a new password (keepers force replacement)
                    keepers={"password_version": str(login.password_version)}
                    if login.password_version
                    else None,
                    opts=child_options(self, name, None, "-initial-password"),
                )
                # A new password (password_version changed) must reach the cloud: re-create the profile.
                replace_with.append(generated)
                password = self.generated_password = pulumi.Output.secret(generated.result)
            if password is None:
                raise ValueError(f"user {user.name!r} has console_login but no password was given")
            alicloud.ram.LoginProfile(
                f"{name}-login",
                user_name=self.user_name,
                # LoginProfile.password is not marked secret by the SDK: wrap it.
                password=pulumi.Output.secret(password),
                mfa_bind_required=login.mfa_required,
                password_reset_required=login.password_reset_required,
                opts=child_options(
                    self,
                    name,
                    None,
                    "-login",
                    # The provider re-reads PasswordResetRequired and, when it differs, re-sends the
                    # password: after the person's first change every `up` would restore the initial
                    # password. The initial values are for the first `up`; the person owns them after.
                    ignore_changes=list(PERSON_OWNED),
                    # Rotation is explicit: a new password_version (or generated password) re-creates
                    # the profile; delete first, a user has one login profile (EntityAlreadyExists).
                    replacement_trigger=login.password_version,
                    replace_with=replace_with or None,
                    delete_before_replace=True,
                ),
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

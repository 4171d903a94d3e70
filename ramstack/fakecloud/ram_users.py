"""RAM users: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers.

DeleteUser refuses a user that still has access keys, a login profile, a bound MFA device, groups
or policies (`DeleteConflict.User.*`), as RAM does."""

from __future__ import annotations

from typing import Any

from ramstack import names
from ramstack.fakecloud.errors import already_exists, delete_conflict, limit_exceeded
from ramstack.fakecloud.lookups import require_user
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import User
from ramstack.fakecloud.validation import check_contact, check_name, check_optional
from ramstack.fakecloud.views import user_view


class UserOperations(Service):
    @api("CreateUser")
    def create_user(
        self,
        *,
        user_name: str,
        display_name: str | None = None,
        mobile_phone: str | None = None,
        email: str | None = None,
        comments: str | None = None,
    ) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        check_name(names.USER_NAME, user_name)
        check_optional(names.DISPLAY_NAME, display_name)
        check_contact(mobile_phone, email)
        check_optional(names.COMMENTS, comments)
        if user_name in state.users:
            raise already_exists("User", f"The user already exists: {user_name}")
        if len(state.users) >= ctx.limit("users_per_account"):
            raise limit_exceeded("User", f"The account already has {len(state.users)} users (the limit)")
        now = ctx.now()
        user = User(ctx.ids.user_id(), user_name, now, now, display_name, mobile_phone, email, comments)
        state.users[user_name] = user
        return {"User": user_view(user)}

    @api("GetUser")
    def get_user(self, *, user_name: str) -> dict[str, Any]:
        return {"User": user_view(require_user(self._ctx.state, user_name))}

    @api("UpdateUser")
    def update_user(
        self,
        *,
        user_name: str,
        new_user_name: str | None = None,
        new_display_name: str | None = None,
        new_mobile_phone: str | None = None,
        new_email: str | None = None,
        new_comments: str | None = None,
    ) -> dict[str, Any]:
        state = self._ctx.state
        user = require_user(state, user_name)
        if new_user_name is not None:
            check_name(names.USER_NAME, new_user_name, "NewUserName")
        check_optional(names.DISPLAY_NAME, new_display_name, "NewDisplayName")
        check_contact(new_mobile_phone, new_email)
        check_optional(names.COMMENTS, new_comments, "NewComments")
        if new_user_name is not None and new_user_name != user_name:
            if new_user_name in state.users:
                raise already_exists("User", f"The user already exists: {new_user_name}")
            del state.users[user_name]
            user.user_name = new_user_name
            state.users[new_user_name] = user
        for attr, value in (
            ("display_name", new_display_name),
            ("mobile_phone", new_mobile_phone),
            ("email", new_email),
            ("comments", new_comments),
        ):
            if value is not None:
                setattr(user, attr, value)
        user.update_date = self._ctx.now()
        return {"User": user_view(user)}

    @api("DeleteUser")
    def delete_user(self, *, user_name: str) -> dict[str, Any]:
        state = self._ctx.state
        user = require_user(state, user_name)
        if state.keys_of(user.user_id):
            raise delete_conflict("User.AccessKey", f"The user still has access keys: {user_name}")
        if user.user_id in state.login_profiles:
            raise delete_conflict("User.LoginProfile", f"The user still has a login profile: {user_name}")
        if state.mfa_device_of(user.user_id) is not None:
            # The person binds the device; IaC never created it (reference §6, TF resource_alicloud_ram_user).
            raise delete_conflict("User.MFADevice", f"The user still has an MFA device bound: {user_name}")
        if state.groups_of(user.user_id):
            raise delete_conflict("User.Group", f"The user still belongs to groups: {user_name}")
        if state.attachments_of("User", user.user_id):
            raise delete_conflict("User.Policy", f"The user still has policies attached: {user_name}")
        del state.users[user_name]
        return {}

    @api("ListUsers")
    def list_users(self) -> dict[str, Any]:
        users = sorted(self._ctx.state.users.values(), key=lambda u: u.user_name)
        return {"IsTruncated": False, "Users": {"User": [user_view(u) for u in users]}}

"""Console logon: CreateLoginProfile, GetLoginProfile, UpdateLoginProfile, DeleteLoginProfile."""

from __future__ import annotations

from typing import Any

from ramstack.fakecloud.errors import already_exists, invalid, not_exist
from ramstack.fakecloud.lookups import require_user
from ramstack.fakecloud.redaction import Secret
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import LoginProfile, User
from ramstack.fakecloud.views import login_profile_view


class LoginProfileOperations(Service):
    def _check_password(self, password: str) -> None:
        low = self._ctx.limit("login_password_min_length")
        high = self._ctx.limit("login_password_max_length")
        if not low <= len(password) <= high:
            # The message never echoes the password.
            raise invalid("Password.TooWeak", f"The password must be {low} to {high} characters long")

    def _profile(self, user_name: str) -> tuple[User, LoginProfile]:
        user = require_user(self._ctx.state, user_name)
        profile = self._ctx.state.login_profiles.get(user.user_id)
        if profile is None:
            raise not_exist("User.LoginProfile", f"The user has no login profile: {user_name}")
        return user, profile

    @api("CreateLoginProfile")
    def create_login_profile(
        self,
        *,
        user_name: str,
        password: str,
        password_reset_required: bool = False,
        mfa_bind_required: bool = False,
    ) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        user = require_user(state, user_name)
        if user.user_id in state.login_profiles:
            raise already_exists("User.LoginProfile", f"The user already has a login profile: {user_name}")
        self._check_password(password)
        now = ctx.now()
        profile = LoginProfile(
            user.user_id, Secret(password), now, now, password_reset_required, mfa_bind_required
        )
        state.login_profiles[user.user_id] = profile
        return {"LoginProfile": login_profile_view(profile, user.user_name)}

    @api("GetLoginProfile")
    def get_login_profile(self, *, user_name: str) -> dict[str, Any]:
        user, profile = self._profile(user_name)
        return {"LoginProfile": login_profile_view(profile, user.user_name)}

    @api("UpdateLoginProfile")
    def update_login_profile(
        self,
        *,
        user_name: str,
        password: str | None = None,
        password_reset_required: bool | None = None,
        mfa_bind_required: bool | None = None,
    ) -> dict[str, Any]:
        user, profile = self._profile(user_name)
        if password is not None:
            self._check_password(password)
            profile.password = Secret(password)
        if password_reset_required is not None:
            profile.password_reset_required = password_reset_required
        if mfa_bind_required is not None:
            profile.mfa_bind_required = mfa_bind_required
        profile.update_date = self._ctx.now()
        return {"LoginProfile": login_profile_view(profile, user.user_name)}

    @api("DeleteLoginProfile")
    def delete_login_profile(self, *, user_name: str) -> dict[str, Any]:
        user, _ = self._profile(user_name)
        del self._ctx.state.login_profiles[user.user_id]
        return {}

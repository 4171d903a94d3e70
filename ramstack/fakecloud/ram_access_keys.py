"""AccessKeys: CreateAccessKey, UpdateAccessKey, DeleteAccessKey, ListAccessKeys.

Without `user_name` they act on the caller's own keys: a RAM user's (CreateAccessKey: "if a RAM user
calls this operation, the AccessKey is created for itself", jp.alibabacloud.com/help/doc-detail/
28689.htm; DOCUMENTED), the account's for its own (root) key or an in-process call that names no
signer. An STS session has no keys of its own and must name the user (code UNCONFIRMED). Root keys
have no per-user limit here.
"""

from __future__ import annotations

from typing import Any

from ramstack.fakecloud.errors import CloudError, limit_exceeded, not_exist
from ramstack.fakecloud.lookups import require_user
from ramstack.fakecloud.redaction import Secret
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import AccessKey
from ramstack.fakecloud.validation import check_one_of
from ramstack.fakecloud.views import access_key_view

KEY_STATUSES = ("Active", "Inactive")


class AccessKeyOperations(Service):
    def _owner(self, user_name: str | None, caller_access_key_id: str | None) -> str | None:
        """The user id whose keys the call acts on; None for the account's own (root) keys."""
        state = self._ctx.state
        if user_name is not None:
            return require_user(state, user_name).user_id
        if caller_access_key_id is None:
            return None
        caller = state.access_keys.get(caller_access_key_id)
        if caller is None:  # an STS session (or a key deleted mid-call): no keys of its own
            raise CloudError("MissingUserName", "UserName is mandatory for this action.")
        return caller.owner_id

    def _key(self, user_access_key_id: str, user_name: str | None, caller: str | None) -> AccessKey:
        owner = self._owner(user_name, caller)
        key = self._ctx.state.access_keys.get(user_access_key_id)
        if key is None or key.owner_id != owner:
            raise not_exist("User.AccessKey", f"The access key does not exist: {user_access_key_id}")
        return key

    @api("CreateAccessKey")
    def create_access_key(
        self, *, user_name: str | None = None, caller_access_key_id: str | None = None
    ) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        owner = self._owner(user_name, caller_access_key_id)
        if owner is not None and len(state.keys_of(owner)) >= ctx.limit("access_keys_per_user"):
            raise limit_exceeded(
                "User.AccessKey", f"The user already has the maximum of access keys: {user_name or owner}"
            )
        key = AccessKey(ctx.ids.access_key_id(), Secret(ctx.ids.access_key_secret()), owner, ctx.now())
        state.access_keys[key.access_key_id] = key
        view = access_key_view(key)
        return {"AccessKey": {**view, "AccessKeySecret": key.secret.reveal()}}

    @api("UpdateAccessKey")
    def update_access_key(
        self,
        *,
        user_access_key_id: str,
        status: str,
        user_name: str | None = None,
        caller_access_key_id: str | None = None,
    ) -> dict[str, Any]:
        key = self._key(user_access_key_id, user_name, caller_access_key_id)
        check_one_of("Status", status, KEY_STATUSES)
        key.status = "Active" if status == "Active" else "Inactive"
        return {}

    @api("DeleteAccessKey")
    def delete_access_key(
        self,
        *,
        user_access_key_id: str,
        user_name: str | None = None,
        caller_access_key_id: str | None = None,
    ) -> dict[str, Any]:
        key = self._key(user_access_key_id, user_name, caller_access_key_id)
        del self._ctx.state.access_keys[key.access_key_id]
        return {}

    @api("ListAccessKeys")
    def list_access_keys(
        self, *, user_name: str | None = None, caller_access_key_id: str | None = None
    ) -> dict[str, Any]:
        keys = self._ctx.state.keys_of(self._owner(user_name, caller_access_key_id))
        return {"AccessKeys": {"AccessKey": [access_key_view(k) for k in keys]}}

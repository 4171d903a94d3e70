"""RAM roles: CreateRole, GetRole, UpdateRole, DeleteRole, ListRoles."""

from __future__ import annotations

import re
from collections.abc import Container
from typing import Any

from ramstack import names
from ramstack.fakecloud.arns import role_arn
from ramstack.fakecloud.documents import load_document, principals
from ramstack.fakecloud.errors import already_exists, delete_conflict, invalid, limit_exceeded
from ramstack.fakecloud.lookups import require_role
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import Role
from ramstack.fakecloud.validation import check_max_session_duration, check_name, check_optional
from ramstack.fakecloud.views import role_view

DEFAULT_MAX_SESSION_DURATION = 3600

_ACCOUNT_PRINCIPAL = re.compile(
    r"acs:ram::(?P<account>[0-9]+):(?P<kind>user|role|oidc-provider|saml-provider)/(?P<name>.+)"
)

# UNCONFIRMED: the API's code for a trust policy naming a principal that does not exist. No primary
# source; chosen as InvalidParameter.AssumeRolePolicyDocument. The check can be switched off with
# FakeCloud(check_trust_principals=False).
MISSING_PRINCIPAL_CODE_FIELD = "AssumeRolePolicyDocument"


class RoleOperations(Service):
    def _trust_document(self, text: str, field: str) -> None:
        ctx = self._ctx
        document = load_document(
            text,
            kind="trust",
            field=field,
            max_bytes=ctx.limit("assume_role_policy_document_bytes"),
            length_code=f"InvalidParameter.{field}.Length",
        )
        if not ctx.check_trust_principals:
            return
        state = ctx.state
        exists: dict[str, Container[str]] = {
            "user": state.users,
            "role": state.roles,
            "oidc-provider": state.oidc_providers,
            "saml-provider": state.saml_providers,
        }
        for value in principals(document, "RAM") + principals(document, "Federated"):
            match = _ACCOUNT_PRINCIPAL.fullmatch(value)
            if match is None or match["account"] != ctx.account_id:
                continue  # root, service and other-account principals cannot be checked here
            if match["name"] not in exists[match["kind"]]:
                raise invalid(
                    MISSING_PRINCIPAL_CODE_FIELD,
                    f"The trust policy names a principal that does not exist in this account: {value}",
                )

    @api("CreateRole")
    def create_role(
        self,
        *,
        role_name: str,
        assume_role_policy_document: str,
        description: str | None = None,
        max_session_duration: int = DEFAULT_MAX_SESSION_DURATION,
    ) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        check_name(names.ROLE_NAME, role_name)
        check_optional(names.ROLE_DESCRIPTION, description)
        check_max_session_duration(max_session_duration)
        if role_name in state.roles:
            raise already_exists("Role", f"The role already exists: {role_name}")
        self._trust_document(assume_role_policy_document, "AssumeRolePolicyDocument")
        if len(state.roles) >= ctx.limit("roles_per_account"):
            raise limit_exceeded("Role", f"The account already has {len(state.roles)} roles (the limit)")
        now = ctx.now()
        role = Role(
            ctx.ids.role_id(),
            role_name,
            role_arn(ctx.account_id, role_name),
            assume_role_policy_document,
            max_session_duration,
            now,
            now,
            description,
        )
        state.roles[role_name] = role
        return {"Role": role_view(role)}

    @api("GetRole")
    def get_role(self, *, role_name: str) -> dict[str, Any]:
        return {"Role": role_view(require_role(self._ctx.state, role_name))}

    @api("UpdateRole")
    def update_role(
        self,
        *,
        role_name: str,
        new_assume_role_policy_document: str | None = None,
        new_max_session_duration: int | None = None,
        new_description: str | None = None,
    ) -> dict[str, Any]:
        role = require_role(self._ctx.state, role_name)
        check_optional(names.ROLE_DESCRIPTION, new_description, "NewDescription")
        if new_max_session_duration is not None:
            # The code names MaxSessionDuration for UpdateRole too (a New* variant is UNCONFIRMED).
            check_max_session_duration(new_max_session_duration)
        if new_assume_role_policy_document is not None:
            self._trust_document(new_assume_role_policy_document, "NewAssumeRolePolicyDocument")
            role.assume_role_policy_document = new_assume_role_policy_document
        if new_max_session_duration is not None:
            role.max_session_duration = new_max_session_duration
        if new_description is not None:
            role.description = new_description
        role.update_date = self._ctx.now()
        return {"Role": role_view(role)}

    @api("DeleteRole")
    def delete_role(self, *, role_name: str) -> dict[str, Any]:
        state = self._ctx.state
        role = require_role(state, role_name)
        if state.attachments_of("Role", role.role_id):
            raise delete_conflict("Role.Policy", f"The role still has policies attached: {role_name}")
        del state.roles[role_name]
        return {}

    @api("ListRoles")
    def list_roles(self) -> dict[str, Any]:
        roles = sorted(self._ctx.state.roles.values(), key=lambda r: r.role_name)
        return {"IsTruncated": False, "Roles": {"Role": [role_view(r, with_document=False) for r in roles]}}

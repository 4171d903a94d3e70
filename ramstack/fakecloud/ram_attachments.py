"""Policy attachments: AttachPolicyTo{User,Group,Role}, DetachPolicyFrom{User,Group,Role},
ListPoliciesFor{User,Group,Role}, ListEntitiesForPolicy."""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from ramstack.fakecloud.clock import iso8601
from ramstack.fakecloud.errors import already_exists, limit_exceeded, not_exist
from ramstack.fakecloud.lookups import require_group, require_policy, require_role, require_user
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import AttachmentKey, PolicyType, PrincipalKind
from ramstack.fakecloud.validation import check_policy_type
from ramstack.fakecloud.views import compact

_LIMIT_KEY: dict[PolicyType, str] = {
    "System": "system_policies_per_principal",
    "Custom": "custom_policies_per_principal",
}


class AttachmentOperations(Service):
    def _principal_id(self, kind: PrincipalKind, name: str) -> str:
        state = self._ctx.state
        if kind == "User":
            return require_user(state, name).user_id
        if kind == "Group":
            return require_group(state, name).group_id
        return require_role(state, name).role_id

    def _require_policy(self, policy_type: PolicyType, policy_name: str) -> None:
        if policy_type == "Custom":
            require_policy(self._ctx.state, policy_name)
        elif policy_name not in self._ctx.system_policies:
            raise not_exist("Policy", f"The system policy does not exist: {policy_name}")

    def _attach(self, kind: PrincipalKind, name: str, policy_type: str, policy_name: str) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        ptype = check_policy_type(policy_type)
        key = AttachmentKey(kind, self._principal_id(kind, name), ptype, policy_name)
        self._require_policy(ptype, policy_name)
        if key in state.attachments:
            raise already_exists(f"{kind}.Policy", f"The policy {policy_name} is already attached to {name}")
        same_type = [k for k, _ in state.attachments_of(kind, key.principal_id) if k.policy_type == ptype]
        if len(same_type) >= ctx.limit(_LIMIT_KEY[ptype]):
            raise limit_exceeded(
                f"{kind}.Policy", f"{name} already has {len(same_type)} {ptype.lower()} policies attached"
            )
        state.attachments[key] = ctx.now()
        return {}

    def _detach(self, kind: PrincipalKind, name: str, policy_type: str, policy_name: str) -> dict[str, Any]:
        state = self._ctx.state
        ptype = check_policy_type(policy_type)
        key = AttachmentKey(kind, self._principal_id(kind, name), ptype, policy_name)
        self._require_policy(ptype, policy_name)
        if state.attachments.pop(key, None) is None:
            raise not_exist(f"{kind}.Policy", f"The policy {policy_name} is not attached to {name}")
        return {}

    def _list_for(self, kind: PrincipalKind, name: str) -> dict[str, Any]:
        state = self._ctx.state
        out: list[dict[str, Any]] = []
        for key, attached in state.attachments_of(kind, self._principal_id(kind, name)):
            policy = state.policies.get(key.policy_name) if key.policy_type == "Custom" else None
            out.append(
                compact(
                    PolicyName=key.policy_name,
                    PolicyType=key.policy_type,
                    Description=policy.description if policy else None,
                    DefaultVersion=policy.default_version if policy else "v1",
                    AttachDate=iso8601(attached),
                )
            )
        return {"Policies": {"Policy": out}}

    @api("AttachPolicyToUser")
    def attach_policy_to_user(self, *, policy_type: str, policy_name: str, user_name: str) -> dict[str, Any]:
        return self._attach("User", user_name, policy_type, policy_name)

    @api("AttachPolicyToGroup")
    def attach_policy_to_group(
        self, *, policy_type: str, policy_name: str, group_name: str
    ) -> dict[str, Any]:
        return self._attach("Group", group_name, policy_type, policy_name)

    @api("AttachPolicyToRole")
    def attach_policy_to_role(self, *, policy_type: str, policy_name: str, role_name: str) -> dict[str, Any]:
        return self._attach("Role", role_name, policy_type, policy_name)

    @api("DetachPolicyFromUser")
    def detach_policy_from_user(
        self, *, policy_type: str, policy_name: str, user_name: str
    ) -> dict[str, Any]:
        return self._detach("User", user_name, policy_type, policy_name)

    @api("DetachPolicyFromGroup")
    def detach_policy_from_group(
        self, *, policy_type: str, policy_name: str, group_name: str
    ) -> dict[str, Any]:
        return self._detach("Group", group_name, policy_type, policy_name)

    @api("DetachPolicyFromRole")
    def detach_policy_from_role(
        self, *, policy_type: str, policy_name: str, role_name: str
    ) -> dict[str, Any]:
        return self._detach("Role", role_name, policy_type, policy_name)

    @api("ListPoliciesForUser")
    def list_policies_for_user(self, *, user_name: str) -> dict[str, Any]:
        return self._list_for("User", user_name)

    @api("ListPoliciesForGroup")
    def list_policies_for_group(self, *, group_name: str) -> dict[str, Any]:
        return self._list_for("Group", group_name)

    @api("ListPoliciesForRole")
    def list_policies_for_role(self, *, role_name: str) -> dict[str, Any]:
        return self._list_for("Role", role_name)

    @api("ListEntitiesForPolicy")
    def list_entities_for_policy(self, *, policy_type: str, policy_name: str) -> dict[str, Any]:
        state = self._ctx.state
        ptype = check_policy_type(policy_type)
        self._require_policy(ptype, policy_name)
        users: list[dict[str, Any]] = []
        groups: list[dict[str, Any]] = []
        roles: list[dict[str, Any]] = []
        for key, attached in state.attachments_to(ptype, policy_name):
            date = iso8601(attached)
            if key.principal_kind == "User" and (user := state.user_by_id(key.principal_id)):
                users.append(
                    compact(
                        UserId=user.user_id,
                        UserName=user.user_name,
                        DisplayName=user.display_name,
                        AttachDate=date,
                    )
                )
            elif key.principal_kind == "Group" and (group := state.group_by_id(key.principal_id)):
                groups.append(compact(GroupName=group.group_name, Comments=group.comments, AttachDate=date))
            elif key.principal_kind == "Role" and (role := state.role_by_id(key.principal_id)):
                roles.append(
                    compact(
                        RoleId=role.role_id,
                        RoleName=role.role_name,
                        Arn=role.arn,
                        Description=role.description,
                        AttachDate=date,
                    )
                )
        return {
            "Users": {"User": sorted(users, key=itemgetter("UserName"))},
            "Groups": {"Group": sorted(groups, key=itemgetter("GroupName"))},
            "Roles": {"Role": sorted(roles, key=itemgetter("RoleName"))},
        }

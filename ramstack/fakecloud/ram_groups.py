"""RAM groups and membership: CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser, ListUsersForGroup."""

from __future__ import annotations

from typing import Any

from ramstack import names
from ramstack.fakecloud.clock import iso8601
from ramstack.fakecloud.errors import already_exists, delete_conflict, limit_exceeded, not_exist
from ramstack.fakecloud.lookups import require_group, require_user
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import Group
from ramstack.fakecloud.validation import check_name, check_optional
from ramstack.fakecloud.views import compact, group_view


class GroupOperations(Service):
    @api("CreateGroup")
    def create_group(self, *, group_name: str, comments: str | None = None) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        check_name(names.GROUP_NAME, group_name)
        check_optional(names.COMMENTS, comments)
        if group_name in state.groups:
            raise already_exists("Group", f"The group already exists: {group_name}")
        if len(state.groups) >= ctx.limit("groups_per_account"):
            raise limit_exceeded("Group", f"The account already has {len(state.groups)} groups (the limit)")
        now = ctx.now()
        group = Group(ctx.ids.group_id(), group_name, now, now, comments)
        state.groups[group_name] = group
        return {"Group": group_view(group)}

    @api("GetGroup")
    def get_group(self, *, group_name: str) -> dict[str, Any]:
        return {"Group": group_view(require_group(self._ctx.state, group_name))}

    @api("UpdateGroup")
    def update_group(
        self, *, group_name: str, new_group_name: str | None = None, new_comments: str | None = None
    ) -> dict[str, Any]:
        state = self._ctx.state
        group = require_group(state, group_name)
        if new_group_name is not None:
            check_name(names.GROUP_NAME, new_group_name, "NewGroupName")
        check_optional(names.COMMENTS, new_comments, "NewComments")
        if new_group_name is not None and new_group_name != group_name:
            if new_group_name in state.groups:
                raise already_exists("Group", f"The group already exists: {new_group_name}")
            del state.groups[group_name]
            group.group_name = new_group_name
            state.groups[new_group_name] = group
        if new_comments is not None:
            group.comments = new_comments
        group.update_date = self._ctx.now()
        return {"Group": group_view(group)}

    @api("DeleteGroup")
    def delete_group(self, *, group_name: str) -> dict[str, Any]:
        state = self._ctx.state
        group = require_group(state, group_name)
        if state.members_of(group.group_id):
            raise delete_conflict("Group.User", f"The group still has members: {group_name}")
        if state.attachments_of("Group", group.group_id):
            raise delete_conflict("Group.Policy", f"The group still has policies attached: {group_name}")
        del state.groups[group_name]
        return {}

    @api("ListGroups")
    def list_groups(self) -> dict[str, Any]:
        groups = sorted(self._ctx.state.groups.values(), key=lambda g: g.group_name)
        return {"IsTruncated": False, "Groups": {"Group": [group_view(g) for g in groups]}}

    @api("AddUserToGroup")
    def add_user_to_group(self, *, group_name: str, user_name: str) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        group = require_group(state, group_name)
        user = require_user(state, user_name)
        key = (group.group_id, user.user_id)
        if key in state.memberships:
            raise already_exists("User.Group", f"The user {user_name} is already in the group {group_name}")
        if len(state.groups_of(user.user_id)) >= ctx.limit("groups_per_user"):
            raise limit_exceeded("User.Group", f"The user {user_name} is already in the maximum of groups")
        state.memberships[key] = ctx.now()
        return {}

    @api("RemoveUserFromGroup")
    def remove_user_from_group(self, *, group_name: str, user_name: str) -> dict[str, Any]:
        state = self._ctx.state
        group = require_group(state, group_name)
        user = require_user(state, user_name)
        if state.memberships.pop((group.group_id, user.user_id), None) is None:
            raise not_exist("User.Group", f"The user {user_name} is not in the group {group_name}")
        return {}

    @api("ListGroupsForUser")
    def list_groups_for_user(self, *, user_name: str) -> dict[str, Any]:
        state = self._ctx.state
        user = require_user(state, user_name)
        groups = [
            compact(GroupName=g.group_name, GroupId=g.group_id, Comments=g.comments, JoinDate=iso8601(joined))
            for g, joined in state.groups_of(user.user_id)
        ]
        return {"Groups": {"Group": groups}}

    @api("ListUsersForGroup")
    def list_users_for_group(self, *, group_name: str) -> dict[str, Any]:
        state = self._ctx.state
        group = require_group(state, group_name)
        users = [
            compact(
                UserName=u.user_name, UserId=u.user_id, DisplayName=u.display_name, JoinDate=iso8601(joined)
            )
            for u, joined in state.members_of(group.group_id)
        ]
        return {"IsTruncated": False, "Users": {"User": users}}

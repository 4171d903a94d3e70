"""Force deletes as the Terraform/Pulumi provider performs them (`force = true`, reference §8),
composed of real API calls so call logs and injected faults behave as against the real service."""

from __future__ import annotations

from ramstack.fakecloud.errors import CloudError
from ramstack.fakecloud.ram import RamApi


def _has_login_profile(ram: RamApi, user_name: str) -> bool:
    try:
        ram.get_login_profile(user_name=user_name)
    except CloudError as exc:
        if exc.code == "EntityNotExist.User.LoginProfile":
            return False
        raise
    return True


def force_delete_user(ram: RamApi, user_name: str) -> None:
    """Delete access keys, detach policies, leave groups, drop the login profile, unbind the MFA device,
    then DeleteUser (the order of terraform-provider-alicloud's resource_alicloud_ram_user.go)."""
    for key in ram.list_access_keys(user_name=user_name)["AccessKeys"]["AccessKey"]:
        ram.delete_access_key(user_name=user_name, user_access_key_id=key["AccessKeyId"])
    for policy in ram.list_policies_for_user(user_name=user_name)["Policies"]["Policy"]:
        ram.detach_policy_from_user(
            user_name=user_name, policy_type=policy["PolicyType"], policy_name=policy["PolicyName"]
        )
    for group in ram.list_groups_for_user(user_name=user_name)["Groups"]["Group"]:
        ram.remove_user_from_group(user_name=user_name, group_name=group["GroupName"])
    if _has_login_profile(ram, user_name):
        ram.delete_login_profile(user_name=user_name)
    try:  # the person's own MFA device: the provider unbinds it, ignoring "none bound"
        ram.unbind_mfa_device(user_name=user_name)
    except CloudError as exc:
        if exc.code not in ("EntityNotExist", "EntityNotExist.User.MFADevice"):
            raise
    ram.delete_user(user_name=user_name)


def force_delete_group(ram: RamApi, group_name: str) -> None:
    """Remove every member, detach every policy, then DeleteGroup."""
    for user in ram.list_users_for_group(group_name=group_name)["Users"]["User"]:
        ram.remove_user_from_group(group_name=group_name, user_name=user["UserName"])
    for policy in ram.list_policies_for_group(group_name=group_name)["Policies"]["Policy"]:
        ram.detach_policy_from_group(
            group_name=group_name, policy_type=policy["PolicyType"], policy_name=policy["PolicyName"]
        )
    ram.delete_group(group_name=group_name)


def force_delete_role(ram: RamApi, role_name: str) -> None:
    """Detach every policy, then DeleteRole."""
    for policy in ram.list_policies_for_role(role_name=role_name)["Policies"]["Policy"]:
        ram.detach_policy_from_role(
            role_name=role_name, policy_type=policy["PolicyType"], policy_name=policy["PolicyName"]
        )
    ram.delete_role(role_name=role_name)


def force_delete_policy(ram: RamApi, policy_name: str) -> None:
    """Detach the custom policy from every user, group and role, then DeletePolicy(CascadingDelete)."""
    entities = ram.list_entities_for_policy(policy_type="Custom", policy_name=policy_name)
    for user in entities["Users"]["User"]:
        ram.detach_policy_from_user(policy_type="Custom", policy_name=policy_name, user_name=user["UserName"])
    for group in entities["Groups"]["Group"]:
        ram.detach_policy_from_group(
            policy_type="Custom", policy_name=policy_name, group_name=group["GroupName"]
        )
    for role in entities["Roles"]["Role"]:
        ram.detach_policy_from_role(policy_type="Custom", policy_name=policy_name, role_name=role["RoleName"])
    ram.delete_policy(policy_name=policy_name, cascading_delete=True)

"""Every error code the fake raises, each triggered by the smallest scenario and asserted with its
HTTP status; setup calls must all succeed, so the code comes from the call under test."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from ramstack.fakecloud import CloudError, FakeCloud, ManualClock

from .helpers import (
    ACCOUNT,
    may_assume,
    permission,
    role_arn,
    root_key,
    service_trust,
    sized_permission,
    trust,
    user_arn,
    user_with_key,
)

Make = Callable[..., FakeCloud]
CASES: list[Any] = []


def case(code: str, status: int) -> Callable[[Callable[[Make], object]], Callable[[Make], object]]:
    def register(fn: Callable[[Make], object]) -> Callable[[Make], object]:
        CASES.append(pytest.param(code, status, fn, id=f"{code}:{fn.__name__}"))
        return fn

    return register


def _role(c: FakeCloud, name: str = "r1", doc: str | None = None, **kw: Any) -> dict[str, Any]:
    return c.ram.create_role(role_name=name, assume_role_policy_document=doc or service_trust(), **kw)


# --- names and fields -----------------------------------------------------------------------------


@case("InvalidParameter.UserName.InvalidChars", 400)
def user_name_chars(make: Make) -> object:
    return make().ram.create_user(user_name="bad name")


@case("InvalidParameter.UserName.Length", 400)
def user_name_length(make: Make) -> object:
    return make().ram.create_user(user_name="u" * 65)


@case("InvalidParameter.DisplayName.Length", 400)
def display_name_length(make: Make) -> object:
    return make().ram.create_user(user_name="u", display_name="d" * 129)


@case("InvalidParameter.Comments.Length", 400)
def comments_length(make: Make) -> object:
    return make().ram.create_user(user_name="u", comments="c" * 129)


@case("InvalidParameter.MobilePhone.Format", 400)
def mobile_format(make: Make) -> object:
    return make().ram.create_user(user_name="u", mobile_phone="18600008888")


@case("InvalidParameter.Email.Format", 400)
def email_format(make: Make) -> object:
    return make().ram.create_user(user_name="u", email="not-an-address")


@case("InvalidParameter.NewUserName.InvalidChars", 400)
def new_user_name_chars(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    return c.ram.update_user(user_name="u", new_user_name="bad/name")


@case("InvalidParameter.GroupName.InvalidChars", 400)
def group_name_chars(make: Make) -> object:
    return make().ram.create_group(group_name="dev ops")


@case("InvalidParameter.GroupName.Length", 400)
def group_name_length(make: Make) -> object:
    return make().ram.create_group(group_name="g" * 65)


@case("InvalidParameter.NewGroupName.Length", 400)
def new_group_name_length(make: Make) -> object:
    c = make()
    c.ram.create_group(group_name="g")
    return c.ram.update_group(group_name="g", new_group_name="g" * 65)


@case("InvalidParameter.RoleName.InvalidChars", 400)
def role_name_chars(make: Make) -> object:
    return make().ram.create_role(role_name="has_underscore", assume_role_policy_document=service_trust())


@case("InvalidParameter.RoleName.Length", 400)
def role_name_length(make: Make) -> object:
    return make().ram.create_role(role_name="r" * 65, assume_role_policy_document=service_trust())


@case("InvalidParameter.Description.Length", 400)
def role_description_length(make: Make) -> object:
    return _role(make(), description="d" * 1025)


@case("InvalidParameter.PolicyName.InvalidChars", 400)
def policy_name_chars(make: Make) -> object:
    return make().ram.create_policy(policy_name="has.dot", policy_document=permission())


@case("InvalidParameter.PolicyName.Length", 400)
def policy_name_length(make: Make) -> object:
    return make().ram.create_policy(policy_name="p" * 129, policy_document=permission())


@case("InvalidParameter.NewDescription.Length", 400)
def policy_new_description_length(make: Make) -> object:
    c = make()
    c.ram.create_policy(policy_name="p", policy_document=permission())
    return c.ram.update_policy_description(policy_name="p", new_description="d" * 1025)


@case("InvalidParameter.MaxSessionDuration", 400)
def max_session_duration_low(make: Make) -> object:
    return _role(make(), max_session_duration=3599)


@case("InvalidParameter.MaxSessionDuration", 400)
def max_session_duration_high(make: Make) -> object:
    return _role(make(), max_session_duration=43201)


@case("InvalidParameter.MaxSessionDuration", 400)
def max_session_duration_update(make: Make) -> object:
    c = make()
    _role(c)
    return c.ram.update_role(role_name="r1", new_max_session_duration=100)


@case("InvalidParameter.PolicyType", 400)
def policy_type_lowercase(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    return c.ram.attach_policy_to_user(policy_type="system", policy_name="AdministratorAccess", user_name="u")


@case("InvalidParameter.PolicyType", 400)
def policy_type_get(make: Make) -> object:
    return make().ram.get_policy(policy_type="Managed", policy_name="p")


@case("InvalidParameter.VersionId.Format", 400)
def version_id_format(make: Make) -> object:
    c = make()
    c.ram.create_policy(policy_name="p", policy_document=permission())
    return c.ram.delete_policy_version(policy_name="p", version_id="1")


@case("InvalidParameter.Password.TooWeak", 400)
def password_too_weak(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    return c.ram.create_login_profile(user_name="u", password="short")


@case("InvalidParameter.RotateStrategy", 400)
def rotate_strategy_unknown(make: Make) -> object:
    c = make()
    c.ram.create_policy(policy_name="p", policy_document=permission())
    return c.ram.create_policy_version(
        policy_name="p", policy_document=permission(), rotate_strategy="Oldest"
    )


@case("InvalidParameter.Status", 400)
def access_key_status(make: Make) -> object:
    c = make()
    key = user_with_key(c, "u")
    return c.ram.update_access_key(user_name="u", user_access_key_id=key, status="Disabled")


# --- documents ------------------------------------------------------------------------------------


@case("MalformedPolicyDocument", 400)
def policy_not_json(make: Make) -> object:
    return make().ram.create_policy(policy_name="p", policy_document="{not json")


@case("MalformedPolicyDocument", 400)
def policy_bad_version(make: Make) -> object:
    doc = json.dumps({"Version": "2", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})
    return make().ram.create_policy(policy_name="p", policy_document=doc)


@case("MalformedPolicyDocument", 400)
def policy_no_statement(make: Make) -> object:
    return make().ram.create_policy(policy_name="p", policy_document='{"Version": "1"}')


@case("MalformedPolicyDocument", 400)
def policy_bad_effect(make: Make) -> object:
    return make().ram.create_policy(policy_name="p", policy_document=permission(effect="Permit"))


@case("MalformedPolicyDocument", 400)
def policy_version_not_json(make: Make) -> object:
    c = make()
    c.ram.create_policy(policy_name="p", policy_document=permission())
    return c.ram.create_policy_version(policy_name="p", policy_document="[]")


@case("MalformedPolicyDocument", 400)
def trust_not_json(make: Make) -> object:
    return _role(make(), doc="Version: 1")


@case("MalformedPolicyDocument", 400)
def trust_array(make: Make) -> object:
    return _role(make(), doc='["sts:AssumeRole"]')


@case("InvalidParameter.PolicyDocument.Length", 400)
def policy_too_long(make: Make) -> object:
    return make().ram.create_policy(policy_name="p", policy_document=sized_permission(6145))


@case("InvalidParameter.PolicyDocument.Length", 400)
def policy_too_long_multibyte(make: Make) -> object:
    # 3100 CJK characters are 9300 bytes: the byte count, not the character count, is checked.
    return make().ram.create_policy(policy_name="p", policy_document=permission(resource="桶" * 3100))


@case("InvalidParameter.PolicyDocument.Length", 400)
def policy_empty(make: Make) -> object:
    return make().ram.create_policy(policy_name="p", policy_document="")


@case("InvalidParameter.AssumeRolePolicyDocument.Length", 400)
def trust_too_long(make: Make) -> object:
    return _role(make(), doc=trust(*[role_arn("x" * 50)] * 200))


@case("InvalidParameter.NewAssumeRolePolicyDocument.Length", 400)
def new_trust_too_long(make: Make) -> object:
    c = make()
    _role(c)
    return c.ram.update_role(role_name="r1", new_assume_role_policy_document=" " * 7000)


@case("InvalidParameter.AssumeRolePolicyDocument", 400)
def trust_missing_user(make: Make) -> object:
    return _role(make(), doc=trust(user_arn("ghost")))


@case("InvalidParameter.AssumeRolePolicyDocument", 400)
def trust_missing_role_on_update(make: Make) -> object:
    c = make()
    _role(c)
    return c.ram.update_role(role_name="r1", new_assume_role_policy_document=trust(role_arn("ghost")))


@case("InvalidParameter.AssumeRolePolicyDocument", 400)
def trust_missing_oidc_provider(make: Make) -> object:
    return _role(make(), doc=trust(Federated=[f"acs:ram::{ACCOUNT}:oidc-provider/ghost"]))


# --- already exists -------------------------------------------------------------------------------


@case("EntityAlreadyExists.User", 409)
def user_exists(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    return c.ram.create_user(user_name="u")


@case("EntityAlreadyExists.User", 409)
def user_rename_clash(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="a")
    c.ram.create_user(user_name="b")
    return c.ram.update_user(user_name="a", new_user_name="b")


@case("EntityAlreadyExists.Group", 409)
def group_exists(make: Make) -> object:
    c = make()
    c.ram.create_group(group_name="g")
    return c.ram.create_group(group_name="g")


@case("EntityAlreadyExists.Role", 409)
def role_exists(make: Make) -> object:
    c = make()
    _role(c)
    return _role(c)


@case("EntityAlreadyExists.Policy", 409)
def policy_exists(make: Make) -> object:
    c = make()
    c.ram.create_policy(policy_name="p", policy_document=permission())
    return c.ram.create_policy(policy_name="p", policy_document=permission())


@case("EntityAlreadyExists.User.LoginProfile", 409)
def login_profile_exists(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    c.ram.create_login_profile(user_name="u", password="Passw0rd!x")
    return c.ram.create_login_profile(user_name="u", password="Passw0rd!x")


@case("EntityAlreadyExists.User.Group", 409)
def membership_exists(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    c.ram.create_group(group_name="g")
    c.ram.add_user_to_group(user_name="u", group_name="g")
    return c.ram.add_user_to_group(user_name="u", group_name="g")


@case("EntityAlreadyExists.User.Policy", 409)
def user_policy_exists(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    c.ram.attach_policy_to_user(policy_type="System", policy_name="AliyunOSSFullAccess", user_name="u")
    return c.ram.attach_policy_to_user(policy_type="System", policy_name="AliyunOSSFullAccess", user_name="u")


@case("EntityAlreadyExists.Group.Policy", 409)
def group_policy_exists(make: Make) -> object:
    c = make()
    c.ram.create_group(group_name="g")
    c.ram.create_policy(policy_name="p", policy_document=permission())
    c.ram.attach_policy_to_group(policy_type="Custom", policy_name="p", group_name="g")
    return c.ram.attach_policy_to_group(policy_type="Custom", policy_name="p", group_name="g")


@case("EntityAlreadyExists.Role.Policy", 409)
def role_policy_exists(make: Make) -> object:
    c = make()
    _role(c)
    c.ram.attach_policy_to_role(policy_type="System", policy_name="AliyunVODFullAccess", role_name="r1")
    return c.ram.attach_policy_to_role(
        policy_type="System", policy_name="AliyunVODFullAccess", role_name="r1"
    )


@case("EntityAlreadyExists.OIDCProvider", 409)
def oidc_exists(make: Make) -> object:
    c = make()
    c.ims.create_oidc_provider(oidc_provider_name="gh", issuer_url="https://a.example")
    return c.ims.create_oidc_provider(oidc_provider_name="gh", issuer_url="https://b.example")


@case("EntityAlreadyExists.OIDCProvider.Url", 409)
def oidc_issuer_exists(make: Make) -> object:
    c = make()
    c.ims.create_oidc_provider(oidc_provider_name="gh", issuer_url="https://a.example")
    return c.ims.create_oidc_provider(oidc_provider_name="gh2", issuer_url="https://a.example")


# --- not exist ------------------------------------------------------------------------------------


@case("EntityNotExist.User", 404)
def user_missing(make: Make) -> object:
    return make().ram.get_user(user_name="ghost")


@case("EntityNotExist.User", 404)
def user_missing_attach(make: Make) -> object:
    return make().ram.attach_policy_to_user(
        policy_type="System", policy_name="AdministratorAccess", user_name="x"
    )


@case("EntityNotExist.Group", 404)
def group_missing(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    return c.ram.add_user_to_group(user_name="u", group_name="ghost")


@case("EntityNotExist.Role", 404)
def role_missing(make: Make) -> object:
    return make().ram.delete_role(role_name="ghost")


@case("EntityNotExist.Policy", 404)
def custom_policy_missing(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    return c.ram.attach_policy_to_user(policy_type="Custom", policy_name="ghost", user_name="u")


@case("EntityNotExist.Policy", 404)
def system_policy_unknown(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    return c.ram.attach_policy_to_user(policy_type="System", policy_name="AliyunNoSuchAccess", user_name="u")


@case("EntityNotExist.Policy", 404)
def system_policy_unknown_get(make: Make) -> object:
    return make().ram.get_policy(policy_type="System", policy_name="AliyunNoSuchAccess")


@case("EntityNotExist.Policy.Version", 404)
def version_missing(make: Make) -> object:
    c = make()
    c.ram.create_policy(policy_name="p", policy_document=permission())
    return c.ram.get_policy_version(policy_name="p", policy_type="Custom", version_id="v9")


@case("EntityNotExist.User.AccessKey", 404)
def access_key_missing(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    return c.ram.delete_access_key(user_name="u", user_access_key_id="LTAI0000000000000000ghost")


@case("EntityNotExist.User.AccessKey", 404)
def access_key_of_other_user(make: Make) -> object:
    c = make()
    key = user_with_key(c, "a")
    c.ram.create_user(user_name="b")
    return c.ram.delete_access_key(user_name="b", user_access_key_id=key)


@case("EntityNotExist.User.LoginProfile", 404)
def login_profile_missing(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    return c.ram.delete_login_profile(user_name="u")


@case("EntityNotExist.User.Group", 404)
def membership_missing(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    c.ram.create_group(group_name="g")
    return c.ram.remove_user_from_group(user_name="u", group_name="g")


@case("EntityNotExist.User.Policy", 404)
def user_attachment_missing(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    return c.ram.detach_policy_from_user(
        policy_type="System", policy_name="AdministratorAccess", user_name="u"
    )


@case("EntityNotExist.Group.Policy", 404)
def group_attachment_missing(make: Make) -> object:
    c = make()
    c.ram.create_group(group_name="g")
    return c.ram.detach_policy_from_group(
        policy_type="System", policy_name="AdministratorAccess", group_name="g"
    )


@case("EntityNotExist.Role.Policy", 404)
def role_attachment_missing(make: Make) -> object:
    c = make()
    _role(c)
    return c.ram.detach_policy_from_role(
        policy_type="System", policy_name="AdministratorAccess", role_name="r1"
    )


@case("EntityNotExist.OIDCProvider", 404)
def oidc_missing(make: Make) -> object:
    return make().ims.delete_oidc_provider(oidc_provider_name="ghost")


# --- limits ---------------------------------------------------------------------------------------


@case("LimitExceeded.User", 409)
def too_many_users(make: Make) -> object:
    c = make(limits={"users_per_account": 2})
    c.ram.create_user(user_name="a")
    c.ram.create_user(user_name="b")
    return c.ram.create_user(user_name="c")


@case("LimitExceeded.User.AccessKey", 409)
def too_many_keys(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    c.ram.create_access_key(user_name="u")
    c.ram.create_access_key(user_name="u")
    return c.ram.create_access_key(user_name="u")


@case("LimitExceeded.User.Group", 409)
def too_many_groups_for_user(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    for i in range(10):
        c.ram.create_group(group_name=f"g{i}")
        c.ram.add_user_to_group(user_name="u", group_name=f"g{i}")
    c.ram.create_group(group_name="g10")
    return c.ram.add_user_to_group(user_name="u", group_name="g10")


@case("LimitExceeded.User.Policy", 409)
def too_many_system_policies(make: Make) -> object:
    c = make(system_policies=lambda name: name.startswith("Aliyun"))
    c.ram.create_user(user_name="u")
    for i in range(20):
        c.ram.attach_policy_to_user(policy_type="System", policy_name=f"Aliyun{i}Access", user_name="u")
    return c.ram.attach_policy_to_user(policy_type="System", policy_name="Aliyun20Access", user_name="u")


@case("LimitExceeded.User.Policy", 409)
def too_many_custom_policies_user(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    for i in range(11):
        c.ram.create_policy(policy_name=f"p{i}", policy_document=permission())
    for i in range(10):
        c.ram.attach_policy_to_user(policy_type="Custom", policy_name=f"p{i}", user_name="u")
    return c.ram.attach_policy_to_user(policy_type="Custom", policy_name="p10", user_name="u")


@case("LimitExceeded.Group.Policy", 409)
def too_many_group_policies(make: Make) -> object:
    c = make(limits={"custom_policies_per_principal": 1})
    c.ram.create_group(group_name="g")
    c.ram.create_policy(policy_name="p1", policy_document=permission())
    c.ram.create_policy(policy_name="p2", policy_document=permission())
    c.ram.attach_policy_to_group(policy_type="Custom", policy_name="p1", group_name="g")
    return c.ram.attach_policy_to_group(policy_type="Custom", policy_name="p2", group_name="g")


@case("LimitExceeded.Role.Policy", 409)
def too_many_role_policies(make: Make) -> object:
    c = make(limits={"system_policies_per_principal": 1})
    _role(c)
    c.ram.attach_policy_to_role(policy_type="System", policy_name="AliyunOSSFullAccess", role_name="r1")
    return c.ram.attach_policy_to_role(
        policy_type="System", policy_name="AliyunIMMFullAccess", role_name="r1"
    )


@case("LimitExceeded.Policy", 409)
def too_many_custom_policies(make: Make) -> object:
    c = make(limits={"custom_policies_per_account": 1})
    c.ram.create_policy(policy_name="p1", policy_document=permission())
    return c.ram.create_policy(policy_name="p2", policy_document=permission())


@case("LimitExceeded.Policy.Version", 409)
def too_many_versions(make: Make) -> object:
    c = make()
    c.ram.create_policy(policy_name="p", policy_document=permission())
    for _ in range(4):
        c.ram.create_policy_version(policy_name="p", policy_document=permission())
    return c.ram.create_policy_version(policy_name="p", policy_document=permission())


@case("LimitExceeded.Policy.Version", 409)
def rotation_without_non_default(make: Make) -> object:
    c = make(limits={"versions_per_policy": 1})
    c.ram.create_policy(policy_name="p", policy_document=permission())
    return c.ram.create_policy_version(
        policy_name="p",
        policy_document=permission(),
        rotate_strategy="DeleteOldestNonDefaultVersionWhenLimitExceeded",
    )


@case("LimitExceeded.Role", 409)
def too_many_roles(make: Make) -> object:
    c = make(limits={"roles_per_account": 1})
    _role(c, "r1")
    return _role(c, "r2")


@case("LimitExceeded.Group", 409)
def too_many_groups(make: Make) -> object:
    c = make(limits={"groups_per_account": 1})
    c.ram.create_group(group_name="g1")
    return c.ram.create_group(group_name="g2")


@case("LimitExceeded.OIDCProvider", 409)
def too_many_oidc_providers(make: Make) -> object:
    c = make(limits={"oidc_providers_per_account": 1})
    c.ims.create_oidc_provider(oidc_provider_name="a", issuer_url="https://a.example")
    return c.ims.create_oidc_provider(oidc_provider_name="b", issuer_url="https://b.example")


# --- delete conflicts -----------------------------------------------------------------------------


@case("DeleteConflict.User.AccessKey", 409)
def delete_user_with_key(make: Make) -> object:
    c = make()
    user_with_key(c, "u")
    return c.ram.delete_user(user_name="u")


@case("DeleteConflict.User.LoginProfile", 409)
def delete_user_with_login(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    c.ram.create_login_profile(user_name="u", password="Passw0rd!x")
    return c.ram.delete_user(user_name="u")


@case("DeleteConflict.User.Group", 409)
def delete_user_in_group(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    c.ram.create_group(group_name="g")
    c.ram.add_user_to_group(user_name="u", group_name="g")
    return c.ram.delete_user(user_name="u")


@case("DeleteConflict.User.Policy", 409)
def delete_user_with_policy(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    c.ram.attach_policy_to_user(policy_type="System", policy_name="AliyunOSSReadOnlyAccess", user_name="u")
    return c.ram.delete_user(user_name="u")


@case("DeleteConflict.Group.User", 409)
def delete_group_with_member(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    c.ram.create_group(group_name="g")
    c.ram.add_user_to_group(user_name="u", group_name="g")
    return c.ram.delete_group(group_name="g")


@case("DeleteConflict.Group.Policy", 409)
def delete_group_with_policy(make: Make) -> object:
    c = make()
    c.ram.create_group(group_name="g")
    c.ram.attach_policy_to_group(policy_type="System", policy_name="AliyunOSSReadOnlyAccess", group_name="g")
    return c.ram.delete_group(group_name="g")


@case("DeleteConflict.Role.Policy", 409)
def delete_role_with_policy(make: Make) -> object:
    c = make()
    _role(c)
    c.ram.attach_policy_to_role(policy_type="System", policy_name="AliyunOSSReadOnlyAccess", role_name="r1")
    return c.ram.delete_role(role_name="r1")


@case("DeleteConflict.Policy.User", 409)
def delete_policy_attached_user(make: Make) -> object:
    c = make()
    c.ram.create_user(user_name="u")
    c.ram.create_policy(policy_name="p", policy_document=permission())
    c.ram.attach_policy_to_user(policy_type="Custom", policy_name="p", user_name="u")
    return c.ram.delete_policy(policy_name="p", cascading_delete=True)


@case("DeleteConflict.Policy.Group", 409)
def delete_policy_attached_group(make: Make) -> object:
    c = make()
    c.ram.create_group(group_name="g")
    c.ram.create_policy(policy_name="p", policy_document=permission())
    c.ram.attach_policy_to_group(policy_type="Custom", policy_name="p", group_name="g")
    return c.ram.delete_policy(policy_name="p")


@case("DeleteConflict.Policy.Role", 409)
def delete_policy_attached_role(make: Make) -> object:
    c = make()
    _role(c)
    c.ram.create_policy(policy_name="p", policy_document=permission())
    c.ram.attach_policy_to_role(policy_type="Custom", policy_name="p", role_name="r1")
    return c.ram.delete_policy(policy_name="p")


@case("DeleteConflict.Policy.Version", 409)
def delete_policy_with_versions(make: Make) -> object:
    c = make()
    c.ram.create_policy(policy_name="p", policy_document=permission())
    c.ram.create_policy_version(policy_name="p", policy_document=permission())
    return c.ram.delete_policy(policy_name="p")


@case("DeleteConflict.Policy.Version.Default", 409)
def delete_default_version(make: Make) -> object:
    c = make()
    c.ram.create_policy(policy_name="p", policy_document=permission())
    return c.ram.delete_policy_version(policy_name="p", version_id="v1")


# --- STS ------------------------------------------------------------------------------------------


def _trusted(make: Make, *, grant: bool = True, **kw: Any) -> tuple[FakeCloud, str]:
    c = make(**kw)
    key = user_with_key(c, "alice")
    if grant:
        may_assume(c)
    _role(c, "deployer", doc=trust(user_arn("alice")))
    return c, key


@case("EntityNotExist.Role", 404)
def assume_missing_role(make: Make) -> object:
    c, key = _trusted(make)
    return c.sts.assume_role(caller_access_key_id=key, role_arn=role_arn("ghost"), role_session_name="s1")


@case("EntityNotExist.Role", 404)
def assume_role_of_other_account(make: Make) -> object:
    c, key = _trusted(make)
    arn = role_arn("deployer", account="9999999999999999")
    return c.sts.assume_role(caller_access_key_id=key, role_arn=arn, role_session_name="s1")


@case("InvalidParameter.RoleArn", 400)
def assume_bad_arn(make: Make) -> object:
    c, key = _trusted(make)
    return c.sts.assume_role(caller_access_key_id=key, role_arn="deployer", role_session_name="s1")


@case("InvalidParameter.RoleSessionName", 400)
def assume_session_name_short(make: Make) -> object:
    c, key = _trusted(make)
    return c.sts.assume_role(caller_access_key_id=key, role_arn=role_arn("deployer"), role_session_name="s")


@case("InvalidParameter.RoleSessionName", 400)
def assume_session_name_chars(make: Make) -> object:
    c, key = _trusted(make)
    return c.sts.assume_role(caller_access_key_id=key, role_arn=role_arn("deployer"), role_session_name="a b")


@case("InvalidParameter.DurationSeconds", 400)
def assume_duration_short(make: Make) -> object:
    c, key = _trusted(make)
    arn = role_arn("deployer")
    return c.sts.assume_role(
        caller_access_key_id=key, role_arn=arn, role_session_name="s1", duration_seconds=899
    )


@case("InvalidParameter.DurationSeconds", 400)
def assume_duration_over_role_max(make: Make) -> object:
    c, key = _trusted(make)
    arn = role_arn("deployer")
    return c.sts.assume_role(
        caller_access_key_id=key, role_arn=arn, role_session_name="s1", duration_seconds=3601
    )


@case("InvalidParameter.PolicySize", 400)
def assume_policy_too_big(make: Make) -> object:
    c, key = _trusted(make)
    arn = role_arn("deployer")
    return c.sts.assume_role(
        caller_access_key_id=key, role_arn=arn, role_session_name="s1", policy=sized_permission(2049)
    )


@case("InvalidParameter.PolicyGrammar", 400)
def assume_policy_not_json(make: Make) -> object:
    c, key = _trusted(make)
    arn = role_arn("deployer")
    return c.sts.assume_role(caller_access_key_id=key, role_arn=arn, role_session_name="s1", policy="{")


@case("InvalidParameter.PolicyGrammar", 400)
def assume_policy_bad_grammar(make: Make) -> object:
    c, key = _trusted(make)
    arn = role_arn("deployer")
    doc = json.dumps({"Version": "1", "Statement": []})
    return c.sts.assume_role(caller_access_key_id=key, role_arn=arn, role_session_name="s1", policy=doc)


@case("InvalidParameter.ExternalId", 400)
def assume_bad_external_id(make: Make) -> object:
    c, key = _trusted(make)
    arn = role_arn("deployer")
    return c.sts.assume_role(caller_access_key_id=key, role_arn=arn, role_session_name="s1", external_id="x")


@case("NoPermission", 403)
def assume_as_root(make: Make) -> object:
    c, _ = _trusted(make)
    return c.sts.assume_role(
        caller_access_key_id=root_key(c), role_arn=role_arn("deployer"), role_session_name="s1"
    )


@case("NoPermission", 403)
def assume_untrusted(make: Make) -> object:
    c, _ = _trusted(make)
    bob = user_with_key(c, "bob")
    may_assume(c, "user/bob")
    return c.sts.assume_role(caller_access_key_id=bob, role_arn=role_arn("deployer"), role_session_name="s1")


@case("NoPermission", 403)
def assume_service_role(make: Make) -> object:
    c, key = _trusted(make)
    _role(c, "ecs-role", doc=service_trust())
    return c.sts.assume_role(caller_access_key_id=key, role_arn=role_arn("ecs-role"), role_session_name="s1")


@case("NoPermission", 403)
def assume_trusted_without_identity_grant(make: Make) -> object:
    c, key = _trusted(make, grant=False)
    return c.sts.assume_role(caller_access_key_id=key, role_arn=role_arn("deployer"), role_session_name="s1")


@case("InvalidAccessKeyId.NotFound", 404)
def unknown_caller(make: Make) -> object:
    return make().sts.get_caller_identity(caller_access_key_id="LTAInotakey")


@case("InvalidAccessKeyId.Inactive", 400)
def inactive_caller(make: Make) -> object:
    c = make()
    key = user_with_key(c, "u")
    c.ram.update_access_key(user_name="u", user_access_key_id=key, status="Inactive")
    return c.sts.get_caller_identity(caller_access_key_id=key)


@case("InvalidSecurityToken.Expired", 400)
def expired_session(make: Make) -> object:
    clock = ManualClock()
    c, key = _trusted(make, clock=clock)
    creds = c.sts.assume_role(caller_access_key_id=key, role_arn=role_arn("deployer"), role_session_name="s1")
    clock.advance(3600)
    return c.sts.get_caller_identity(caller_access_key_id=creds["Credentials"]["AccessKeyId"])


# --- IMS ------------------------------------------------------------------------------------------


@case("InvalidParameter.OIDCProviderName.InvalidChars", 400)
def oidc_name_chars(make: Make) -> object:
    return make().ims.create_oidc_provider(oidc_provider_name="-gh", issuer_url="https://a.example")


@case("InvalidParameter.OIDCProviderName.Length", 400)
def oidc_name_length(make: Make) -> object:
    return make().ims.create_oidc_provider(oidc_provider_name="g" * 129, issuer_url="https://a.example")


@case("InvalidParameter.IssuerUrl", 400)
def oidc_issuer_http(make: Make) -> object:
    return make().ims.create_oidc_provider(oidc_provider_name="gh", issuer_url="http://a.example")


@case("InvalidParameter.IssuerUrl", 400)
def oidc_issuer_query(make: Make) -> object:
    return make().ims.create_oidc_provider(oidc_provider_name="gh", issuer_url="https://a.example/?x=1")


@case("InvalidParameter.ClientIds.InvalidChars", 400)
def oidc_client_id_chars(make: Make) -> object:
    return make().ims.create_oidc_provider(
        oidc_provider_name="gh", issuer_url="https://a.example", client_ids=":x"
    )


@case("InvalidParameter.ClientIds", 400)
def oidc_too_many_client_ids(make: Make) -> object:
    ids = [f"c{i}" for i in range(51)]
    return make().ims.create_oidc_provider(
        oidc_provider_name="gh", issuer_url="https://a.example", client_ids=ids
    )


@case("InvalidParameter.Fingerprints.InvalidChars", 400)
def oidc_fingerprint_chars(make: Make) -> object:
    return make().ims.create_oidc_provider(
        oidc_provider_name="gh", issuer_url="https://a.example", fingerprints="ab:cd"
    )


@case("InvalidParameter.Fingerprints", 400)
def oidc_too_many_fingerprints(make: Make) -> object:
    prints = ",".join(f"{i:040x}" for i in range(6))
    return make().ims.create_oidc_provider(
        oidc_provider_name="gh", issuer_url="https://a.example", fingerprints=prints
    )


@case("InvalidParameter.IssuanceLimitTime", 400)
def oidc_issuance_limit(make: Make) -> object:
    return make().ims.create_oidc_provider(
        oidc_provider_name="gh", issuer_url="https://a.example", issuance_limit_time=169
    )


# --- the test -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "status", "scenario"), CASES)
def test_error_code(code: str, status: int, scenario: Callable[[Make], object]) -> None:
    made: list[FakeCloud] = []

    def make(**kwargs: Any) -> FakeCloud:
        made.append(FakeCloud(**kwargs))
        return made[-1]

    with pytest.raises(CloudError) as info:
        scenario(make)
    assert (info.value.code, info.value.http_status) == (code, status)
    assert info.value.message
    calls = made[-1].calls
    assert calls[-1].error_code == code, "the failing call is recorded with its code"
    assert info.value.request_id == calls[-1].request_id
    assert all(c.error_code is None for c in calls[:-1]), "setup calls must all succeed"


# The codes the brief and reference §5/§6 require; each must be triggered above.
REQUIRED = {
    "InvalidParameter.UserName.InvalidChars",
    "InvalidParameter.UserName.Length",
    "InvalidParameter.GroupName.InvalidChars",
    "InvalidParameter.GroupName.Length",
    "InvalidParameter.RoleName.InvalidChars",
    "InvalidParameter.RoleName.Length",
    "InvalidParameter.PolicyName.InvalidChars",
    "InvalidParameter.PolicyName.Length",
    "InvalidParameter.DisplayName.Length",
    "InvalidParameter.MaxSessionDuration",
    "InvalidParameter.PolicyDocument.Length",
    "InvalidParameter.AssumeRolePolicyDocument",
    "InvalidParameter.PolicyType",
    "MalformedPolicyDocument",
    *(
        f"EntityAlreadyExists.{e}"
        for e in ("User", "Group", "Role", "Policy", "User.LoginProfile", "User.Group")
    ),
    *(f"EntityAlreadyExists.{e}" for e in ("User.Policy", "Group.Policy", "Role.Policy")),
    *(f"EntityNotExist.{e}" for e in ("User", "Group", "Role", "Policy", "Policy.Version", "User.AccessKey")),
    *(f"EntityNotExist.{e}" for e in ("User.LoginProfile", "OIDCProvider", "Role.Policy", "User.Policy")),
    *(f"LimitExceeded.{e}" for e in ("User", "User.AccessKey", "User.Group", "User.Policy", "Group.Policy")),
    *(f"LimitExceeded.{e}" for e in ("Role.Policy", "Policy", "Policy.Version", "Role", "Group")),
    *(f"DeleteConflict.{e}" for e in ("User.Group", "User.AccessKey", "User.LoginProfile", "User.Policy")),
    *(
        f"DeleteConflict.{e}"
        for e in ("Group.User", "Group.Policy", "Policy.User", "Policy.Group", "Role.Policy")
    ),
    *(f"DeleteConflict.{e}" for e in ("Policy.Version", "Policy.Version.Default")),
    "InvalidParameter.RoleSessionName",
    "InvalidParameter.DurationSeconds",
    "InvalidParameter.PolicySize",
    "InvalidParameter.PolicyGrammar",
    "InvalidParameter.RoleArn",
    "InvalidParameter.ExternalId",
    "NoPermission",
}


def test_every_required_code_has_a_scenario() -> None:
    covered = {p.values[0] for p in CASES}
    assert sorted(REQUIRED - covered) == []

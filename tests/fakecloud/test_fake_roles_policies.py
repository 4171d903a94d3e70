"""Roles, custom policies, versions and rotation, attachments and their listings."""

from __future__ import annotations

import json

import pytest

from ramstack.fakecloud import CloudError, FakeCloud

from .helpers import ACCOUNT, permission, role_arn, root_arn, service_trust, trust, user_arn

ROTATE = "DeleteOldestNonDefaultVersionWhenLimitExceeded"


def test_role_lifecycle(cloud: FakeCloud) -> None:
    document = service_trust()
    role = cloud.ram.create_role(
        role_name="ecs-role",
        assume_role_policy_document=document,
        description="for ECS",
        max_session_duration=7200,
    )["Role"]
    assert role["AssumeRolePolicyDocument"] == document  # stored verbatim
    assert (role["MaxSessionDuration"], role["Description"]) == (7200, "for ECS")
    assert cloud.ram.get_role(role_name="ecs-role")["Role"] == role
    new_document = trust(root_arn())
    updated = cloud.ram.update_role(
        role_name="ecs-role", new_assume_role_policy_document=new_document, new_max_session_duration=43200
    )["Role"]
    assert (updated["AssumeRolePolicyDocument"], updated["MaxSessionDuration"]) == (new_document, 43200)
    assert updated["RoleId"] == role["RoleId"]
    listed = cloud.ram.list_roles()["Roles"]["Role"]
    assert [r["RoleName"] for r in listed] == ["ecs-role"] and "AssumeRolePolicyDocument" not in listed[0]
    cloud.ram.delete_role(role_name="ecs-role")
    with pytest.raises(CloudError, match=r"EntityNotExist\.Role"):
        cloud.ram.get_role(role_name="ecs-role")


def test_default_max_session_duration(cloud: FakeCloud) -> None:
    role = cloud.ram.create_role(role_name="r", assume_role_policy_document=service_trust())["Role"]
    assert role["MaxSessionDuration"] == 3600


@pytest.mark.parametrize("duration", [3600, 43200])
def test_max_session_duration_bounds_accepted(cloud: FakeCloud, duration: int) -> None:
    cloud.ram.create_role(
        role_name="r", assume_role_policy_document=service_trust(), max_session_duration=duration
    )


def test_trust_principals_that_exist_are_accepted(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="alice")
    cloud.ram.create_role(role_name="base", assume_role_policy_document=service_trust())
    cloud.ims.create_oidc_provider(
        oidc_provider_name="gh", issuer_url="https://token.actions.githubusercontent.com"
    )
    document = trust(
        user_arn("alice"),
        role_arn("base"),
        root_arn(),
        user_arn("someone", account="9999999999999999"),  # other accounts cannot be checked
        Federated=[f"acs:ram::{ACCOUNT}:oidc-provider/gh"],
    )
    cloud.ram.create_role(role_name="multi", assume_role_policy_document=document)


def test_trust_principal_check_can_be_switched_off() -> None:
    cloud = FakeCloud(check_trust_principals=False)
    cloud.ram.create_role(role_name="r", assume_role_policy_document=trust(user_arn("ghost")))


def test_policy_lifecycle(cloud: FakeCloud) -> None:
    document = permission("oss:GetObject", "acs:oss:*:*:bucket/*")
    policy = cloud.ram.create_policy(policy_name="read-bucket", policy_document=document, description="d")[
        "Policy"
    ]
    assert (policy["PolicyType"], policy["DefaultVersion"], policy["Description"]) == ("Custom", "v1", "d")
    got = cloud.ram.get_policy(policy_name="read-bucket", policy_type="Custom")
    assert got["Policy"]["PolicyDocument"] == document
    assert got["Policy"]["AttachmentCount"] == 0
    assert got["DefaultPolicyVersion"]["VersionId"] == "v1"
    assert got["DefaultPolicyVersion"]["IsDefaultVersion"] is True
    cloud.ram.update_policy_description(policy_name="read-bucket", new_description="new")
    assert (
        cloud.ram.get_policy(policy_name="read-bucket", policy_type="Custom")["Policy"]["Description"]
        == "new"
    )
    cloud.ram.delete_policy(policy_name="read-bucket")
    assert cloud.ram.list_policies(policy_type="Custom")["Policies"]["Policy"] == []


def test_policy_document_at_the_byte_limit(cloud: FakeCloud) -> None:
    from .helpers import sized_permission

    document = sized_permission(6144)
    assert len(document.encode()) == 6144
    cloud.ram.create_policy(policy_name="big", policy_document=document)


def test_versions_and_default(cloud: FakeCloud) -> None:
    cloud.ram.create_policy(policy_name="p", policy_document=permission("oss:GetObject"))
    v2 = cloud.ram.create_policy_version(policy_name="p", policy_document=permission("oss:PutObject"))
    assert v2["PolicyVersion"] | {"CreateDate": None} == {
        "VersionId": "v2",
        "IsDefaultVersion": False,
        "PolicyDocument": permission("oss:PutObject"),
        "CreateDate": None,
    }
    cloud.ram.set_default_policy_version(policy_name="p", version_id="v2")
    got = cloud.ram.get_policy(policy_name="p", policy_type="Custom")
    assert got["Policy"]["DefaultVersion"] == "v2"
    assert got["Policy"]["PolicyDocument"] == permission("oss:PutObject")
    cloud.ram.delete_policy_version(policy_name="p", version_id="v1")
    versions = cloud.ram.list_policy_versions(policy_name="p", policy_type="Custom")["PolicyVersions"]
    assert [v["VersionId"] for v in versions["PolicyVersion"]] == ["v2"]
    v3 = cloud.ram.create_policy_version(policy_name="p", policy_document=permission(), set_as_default=True)
    assert v3["PolicyVersion"]["VersionId"] == "v3"  # ids are never reused
    assert v3["PolicyVersion"]["IsDefaultVersion"] is True


def test_rotation_deletes_oldest_non_default(cloud: FakeCloud) -> None:
    cloud.ram.create_policy(policy_name="p", policy_document=permission())
    for _ in range(4):
        cloud.ram.create_policy_version(policy_name="p", policy_document=permission(), set_as_default=True)
    # v5 is the default; v1..v4 are not. Rotation drops v1, then v2.
    for expected_new, expected_left in (
        ("v6", ["v2", "v3", "v4", "v5", "v6"]),
        ("v7", ["v3", "v4", "v5", "v6", "v7"]),
    ):
        made = cloud.ram.create_policy_version(
            policy_name="p", policy_document=permission(), rotate_strategy=ROTATE
        )
        assert made["PolicyVersion"]["VersionId"] == expected_new
        listed = cloud.ram.list_policy_versions(policy_name="p", policy_type="Custom")["PolicyVersions"]
        assert [v["VersionId"] for v in listed["PolicyVersion"]] == expected_left
    assert cloud.ram.get_policy(policy_name="p", policy_type="Custom")["Policy"]["DefaultVersion"] == "v5"


def test_rotation_keeps_the_default_even_when_oldest(cloud: FakeCloud) -> None:
    cloud.ram.create_policy(policy_name="p", policy_document=permission())
    for _ in range(4):
        cloud.ram.create_policy_version(policy_name="p", policy_document=permission())
    cloud.ram.create_policy_version(policy_name="p", policy_document=permission(), rotate_strategy=ROTATE)
    listed = cloud.ram.list_policy_versions(policy_name="p", policy_type="Custom")["PolicyVersions"]
    assert [v["VersionId"] for v in listed["PolicyVersion"]] == ["v1", "v3", "v4", "v5", "v6"]


def test_cascading_delete_removes_versions(cloud: FakeCloud) -> None:
    cloud.ram.create_policy(policy_name="p", policy_document=permission())
    cloud.ram.create_policy_version(policy_name="p", policy_document=permission())
    cloud.ram.delete_policy(policy_name="p", cascading_delete=True)
    with pytest.raises(CloudError, match=r"EntityNotExist\.Policy"):
        cloud.ram.get_policy(policy_name="p", policy_type="Custom")


def test_attachments_and_listings(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="u")
    cloud.ram.create_group(group_name="g")
    cloud.ram.create_role(role_name="r", assume_role_policy_document=service_trust())
    cloud.ram.create_policy(policy_name="p", policy_document=permission(), description="mine")
    cloud.ram.attach_policy_to_user(policy_type="Custom", policy_name="p", user_name="u")
    cloud.ram.attach_policy_to_group(policy_type="Custom", policy_name="p", group_name="g")
    cloud.ram.attach_policy_to_role(policy_type="Custom", policy_name="p", role_name="r")
    cloud.ram.attach_policy_to_role(policy_type="System", policy_name="AliyunICEFullAccess", role_name="r")
    for_role = cloud.ram.list_policies_for_role(role_name="r")["Policies"]["Policy"]
    assert [(p["PolicyType"], p["PolicyName"]) for p in for_role] == [
        ("Custom", "p"),
        ("System", "AliyunICEFullAccess"),
    ]
    assert for_role[0]["Description"] == "mine" and for_role[0]["AttachDate"]
    assert [
        p["PolicyName"] for p in cloud.ram.list_policies_for_group(group_name="g")["Policies"]["Policy"]
    ] == ["p"]
    entities = cloud.ram.list_entities_for_policy(policy_type="Custom", policy_name="p")
    assert [u["UserName"] for u in entities["Users"]["User"]] == ["u"]
    assert [g["GroupName"] for g in entities["Groups"]["Group"]] == ["g"]
    assert [r["Arn"] for r in entities["Roles"]["Role"]] == [role_arn("r")]
    assert cloud.ram.get_policy(policy_name="p", policy_type="Custom")["Policy"]["AttachmentCount"] == 3
    system = cloud.ram.get_policy(policy_name="AliyunICEFullAccess", policy_type="System")["Policy"]
    assert (system["PolicyType"], system["AttachmentCount"]) == ("System", 1)
    cloud.ram.detach_policy_from_role(policy_type="System", policy_name="AliyunICEFullAccess", role_name="r")
    assert len(cloud.ram.list_policies_for_role(role_name="r")["Policies"]["Policy"]) == 1


def test_system_and_custom_limits_are_counted_separately() -> None:
    cloud = FakeCloud(limits={"custom_policies_per_principal": 1, "system_policies_per_principal": 1})
    cloud.ram.create_user(user_name="u")
    cloud.ram.create_policy(policy_name="p", policy_document=permission())
    cloud.ram.attach_policy_to_user(policy_type="Custom", policy_name="p", user_name="u")
    cloud.ram.attach_policy_to_user(policy_type="System", policy_name="AdministratorAccess", user_name="u")


def test_system_policy_catalog_injection() -> None:
    cloud = FakeCloud(system_policies={"OnlyThis"})
    cloud.ram.create_user(user_name="u")
    cloud.ram.attach_policy_to_user(policy_type="System", policy_name="OnlyThis", user_name="u")
    with pytest.raises(CloudError, match=r"EntityNotExist\.Policy"):
        cloud.ram.attach_policy_to_user(
            policy_type="System", policy_name="AdministratorAccess", user_name="u"
        )
    listed = cloud.ram.list_policies(policy_type="System")["Policies"]["Policy"]
    assert [(p["PolicyName"], p["AttachmentCount"]) for p in listed] == [("OnlyThis", 1)]


def test_default_system_catalog_names(cloud: FakeCloud) -> None:
    names = [p["PolicyName"] for p in cloud.ram.list_policies(policy_type="System")["Policies"]["Policy"]]
    assert "AliyunSTSAssumeRoleAccess" in names and "AdministratorAccess" in names
    assert names == sorted(names)


def test_predicate_catalog_lists_no_system_policies() -> None:
    cloud = FakeCloud(system_policies=lambda name: True)
    assert cloud.ram.list_policies()["Policies"]["Policy"] == []


def test_list_policies_mixed(cloud: FakeCloud) -> None:
    cloud.ram.create_policy(policy_name="mine", policy_document=permission())
    types = {p["PolicyType"] for p in cloud.ram.list_policies()["Policies"]["Policy"]}
    assert types == {"System", "Custom"}


def test_trust_document_is_not_reformatted(cloud: FakeCloud) -> None:
    pretty = json.dumps(json.loads(service_trust()), indent=2)
    cloud.ram.create_role(role_name="r", assume_role_policy_document=pretty)
    assert cloud.ram.get_role(role_name="r")["Role"]["AssumeRolePolicyDocument"] == pretty


def test_create_policy_accepts_a_resource_that_can_never_match(cloud: FakeCloud) -> None:
    # Applied to a live account by terraform-provider-alicloud's acceptance tests: RAM stores it.
    document = (
        '{"Version":"1","Statement":[{"Effect":"Allow","Action":["ram:PassRole"],'
        '"Resource":["acs::ram::*"],"Condition":{}}]}'
    )
    cloud.ram.create_policy(policy_name="pass-role", policy_document=document)
    version = cloud.ram.get_policy(policy_name="pass-role", policy_type="Custom")["DefaultPolicyVersion"]
    assert version["PolicyDocument"] == document

"""Users, access keys, login profiles, groups and membership: happy paths and state transitions."""

from __future__ import annotations

from ramstack.fakecloud import FakeCloud

from .helpers import user_with_key


def test_create_get_user(cloud: FakeCloud) -> None:
    created = cloud.ram.create_user(
        user_name="alice",
        display_name="Alice",
        mobile_phone="86-18600008888",
        email="a@example.com",
        comments="hi",
    )
    got = cloud.ram.get_user(user_name="alice")
    assert created["User"] == got["User"]
    assert got["User"]["DisplayName"] == "Alice"
    assert got["User"]["MobilePhone"] == "86-18600008888"
    assert "RequestId" in got and got["RequestId"] != created["RequestId"]


def test_optional_fields_absent(cloud: FakeCloud) -> None:
    user = cloud.ram.create_user(user_name="bob")["User"]
    assert set(user) == {"UserId", "UserName", "CreateDate", "UpdateDate"}


def test_rename_user_keeps_relations(cloud: FakeCloud) -> None:
    key = user_with_key(cloud, "alice")
    cloud.ram.create_group(group_name="devs")
    cloud.ram.add_user_to_group(user_name="alice", group_name="devs")
    cloud.ram.attach_policy_to_user(
        policy_type="System", policy_name="AliyunOSSReadOnlyAccess", user_name="alice"
    )
    before = cloud.ram.get_user(user_name="alice")["User"]["UserId"]
    renamed = cloud.ram.update_user(user_name="alice", new_user_name="alice2", new_display_name="A2")["User"]
    assert (renamed["UserId"], renamed["UserName"], renamed["DisplayName"]) == (before, "alice2", "A2")
    assert cloud.ram.list_access_keys(user_name="alice2")["AccessKeys"]["AccessKey"][0]["AccessKeyId"] == key
    assert [
        g["GroupName"] for g in cloud.ram.list_groups_for_user(user_name="alice2")["Groups"]["Group"]
    ] == ["devs"]
    users = cloud.ram.list_users_for_group(group_name="devs")["Users"]["User"]
    assert [u["UserName"] for u in users] == ["alice2"]
    assert cloud.ram.list_policies_for_user(user_name="alice2")["Policies"]["Policy"][0]["PolicyName"] == (
        "AliyunOSSReadOnlyAccess"
    )


def test_list_users_sorted(cloud: FakeCloud) -> None:
    for name in ("zed", "amy", "max"):
        cloud.ram.create_user(user_name=name)
    listed = cloud.ram.list_users()
    assert [u["UserName"] for u in listed["Users"]["User"]] == ["amy", "max", "zed"]
    assert listed["IsTruncated"] is False


def test_delete_user(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="u")
    assert set(cloud.ram.delete_user(user_name="u")) == {"RequestId"}
    assert cloud.ram.list_users()["Users"]["User"] == []


def test_access_key_lifecycle(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="u")
    created = cloud.ram.create_access_key(user_name="u")["AccessKey"]
    assert created["Status"] == "Active" and "AccessKeySecret" in created
    listed = cloud.ram.list_access_keys(user_name="u")["AccessKeys"]["AccessKey"]
    assert listed == [{k: v for k, v in created.items() if k != "AccessKeySecret"}]
    cloud.ram.update_access_key(user_name="u", user_access_key_id=created["AccessKeyId"], status="Inactive")
    assert cloud.ram.list_access_keys(user_name="u")["AccessKeys"]["AccessKey"][0]["Status"] == "Inactive"
    cloud.ram.delete_access_key(user_name="u", user_access_key_id=created["AccessKeyId"])
    assert cloud.ram.list_access_keys(user_name="u")["AccessKeys"]["AccessKey"] == []
    cloud.ram.create_access_key(user_name="u")
    cloud.ram.create_access_key(user_name="u")  # a deleted key frees its slot


def test_root_access_keys_are_separate(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="u")
    root = cloud.ram.create_access_key()["AccessKey"]["AccessKeyId"]
    assert [k["AccessKeyId"] for k in cloud.ram.list_access_keys()["AccessKeys"]["AccessKey"]] == [root]
    assert cloud.ram.list_access_keys(user_name="u")["AccessKeys"]["AccessKey"] == []
    cloud.ram.create_access_key()
    cloud.ram.create_access_key()  # no per-user limit for the account's own keys
    cloud.ram.delete_access_key(user_access_key_id=root)


def test_login_profile_lifecycle(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="u")
    profile = cloud.ram.create_login_profile(
        user_name="u", password="Passw0rd!x", password_reset_required=True
    )
    assert profile["LoginProfile"]["PasswordResetRequired"] is True
    assert profile["LoginProfile"]["MFABindRequired"] is False
    assert "Password" not in profile["LoginProfile"]
    updated = cloud.ram.update_login_profile(user_name="u", mfa_bind_required=True, password="An0ther-pass")
    assert updated["LoginProfile"]["MFABindRequired"] is True
    assert cloud.ram.get_login_profile(user_name="u")["LoginProfile"]["UserName"] == "u"
    cloud.ram.delete_login_profile(user_name="u")
    cloud.ram.delete_user(user_name="u")


def test_group_lifecycle(cloud: FakeCloud) -> None:
    group = cloud.ram.create_group(group_name="devs", comments="developers")["Group"]
    assert group["Comments"] == "developers"
    cloud.ram.create_user(user_name="u")
    cloud.ram.add_user_to_group(user_name="u", group_name="devs")
    renamed = cloud.ram.update_group(group_name="devs", new_group_name="eng", new_comments="engineering")[
        "Group"
    ]
    assert (renamed["GroupId"], renamed["GroupName"]) == (group["GroupId"], "eng")
    assert [u["UserName"] for u in cloud.ram.list_users_for_group(group_name="eng")["Users"]["User"]] == ["u"]
    joined = cloud.ram.list_groups_for_user(user_name="u")["Groups"]["Group"][0]
    assert joined["GroupName"] == "eng" and joined["JoinDate"]
    cloud.ram.remove_user_from_group(user_name="u", group_name="eng")
    cloud.ram.delete_group(group_name="eng")
    assert cloud.ram.list_groups()["Groups"]["Group"] == []

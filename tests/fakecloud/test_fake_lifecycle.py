"""Provider-style force deletes built from API calls."""

from __future__ import annotations

import pytest

from ramstack.fakecloud import (
    CloudError,
    FakeCloud,
    force_delete_group,
    force_delete_policy,
    force_delete_role,
    force_delete_user,
)

from .helpers import permission, service_trust


def _everything(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="u")
    cloud.ram.create_access_key(user_name="u")
    cloud.ram.create_access_key(user_name="u")
    cloud.ram.create_login_profile(user_name="u", password="Passw0rd!x")
    cloud.ram.create_group(group_name="g")
    cloud.ram.add_user_to_group(user_name="u", group_name="g")
    cloud.ram.create_role(role_name="r", assume_role_policy_document=service_trust())
    cloud.ram.create_policy(policy_name="p", policy_document=permission())
    cloud.ram.create_policy_version(policy_name="p", policy_document=permission())
    for kind, name in (("user", "u"), ("group", "g"), ("role", "r")):
        getattr(cloud.ram, f"attach_policy_to_{kind}")(
            policy_type="Custom", policy_name="p", **{f"{kind}_name": name}
        )
        getattr(cloud.ram, f"attach_policy_to_{kind}")(
            policy_type="System", policy_name="AdministratorAccess", **{f"{kind}_name": name}
        )


def test_force_delete_everything(cloud: FakeCloud) -> None:
    _everything(cloud)
    force_delete_user(cloud.ram, "u")
    force_delete_group(cloud.ram, "g")
    force_delete_role(cloud.ram, "r")
    force_delete_policy(cloud.ram, "p")
    snap = cloud.snapshot()
    assert (snap["Users"], snap["Groups"], snap["Roles"], snap["Policies"]) == ([], [], [], [])
    assert all(c.error_code is None for c in cloud.calls if c.action != "GetLoginProfile")


def test_force_delete_policy_first(cloud: FakeCloud) -> None:
    _everything(cloud)
    force_delete_policy(cloud.ram, "p")
    assert [
        p["PolicyName"] for p in cloud.ram.list_policies_for_user(user_name="u")["Policies"]["Policy"]
    ] == ["AdministratorAccess"]


def test_force_delete_user_without_extras(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="plain")
    force_delete_user(cloud.ram, "plain")
    assert cloud.ram.list_users()["Users"]["User"] == []


def test_force_delete_stops_on_injected_fault(cloud: FakeCloud) -> None:
    _everything(cloud)
    cloud.fail_next("DetachPolicyFromRole", "Throttling.User")
    with pytest.raises(CloudError, match=r"Throttling\.User"):
        force_delete_role(cloud.ram, "r")
    assert cloud.ram.get_role(role_name="r")
    force_delete_role(cloud.ram, "r")  # a retry finishes the job

"""Provider-style force deletes built from API calls."""

from __future__ import annotations

import pytest

from ramstack.fakecloud import (
    CloudError,
    FakeCloud,
    bind_as_person,
    force_delete_group,
    force_delete_policy,
    force_delete_role,
    force_delete_user,
    totp,
)

from .helpers import permission, service_trust


def _everything(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="u")
    cloud.ram.create_access_key(user_name="u")
    cloud.ram.create_access_key(user_name="u")
    cloud.ram.create_login_profile(user_name="u", password="Passw0rd!x")
    bind_as_person(cloud.ram, "u")  # the person's own device, never created by IaC
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
    # the device survives, unbound: it belongs to the person, not to the user
    assert cloud.ram.list_virtual_mfa_devices()["VirtualMFADevices"]["VirtualMFADevice"] == [
        {"SerialNumber": "acs:ram::1234567890123456:mfa/u-phone"}
    ]


def test_a_bound_mfa_device_blocks_delete_user(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="alice")
    serial = bind_as_person(cloud.ram, "alice")
    assert cloud.ram.get_user_mfa_info(user_name="alice")["MFADevice"] == {"SerialNumber": serial}
    with pytest.raises(CloudError, match=r"DeleteConflict\.User\.MFADevice"):
        cloud.ram.delete_user(user_name="alice")
    with pytest.raises(CloudError, match=r"DeleteConflict\.VirtualMFADevice\.User"):
        cloud.ram.delete_virtual_mfa_device(serial_number=serial)
    force_delete_user(cloud.ram, "alice")  # force unbinds first, as the provider does
    assert cloud.ram.list_users()["Users"]["User"] == []
    cloud.ram.delete_virtual_mfa_device(serial_number=serial)


def test_binding_needs_two_consecutive_codes_of_the_device(cloud: FakeCloud, clock) -> None:
    cloud.ram.create_user(user_name="bob")
    created = cloud.ram.create_virtual_mfa_device(virtual_mfa_device_name="bob-phone")["VirtualMFADevice"]
    serial, seed, now = created["SerialNumber"], created["Base32StringSeed"], clock()
    for codes in (
        (totp(seed, now), totp(seed, now, -1)),
        ("000000", "000001"),
        (totp(seed, now, -3), totp(seed, now, -2)),
    ):
        with pytest.raises(CloudError, match=r"InvalidParameter\.AuthenticationCode"):
            cloud.ram.bind_mfa_device(
                serial_number=serial,
                user_name="bob",
                authentication_code1=codes[0],
                authentication_code2=codes[1],
            )
    cloud.ram.bind_mfa_device(
        serial_number=serial,
        user_name="bob",
        authentication_code1=totp(seed, now, -1),
        authentication_code2=totp(seed, now),
    )
    with pytest.raises(CloudError, match=r"EntityAlreadyExists\.User\.MFADevice"):
        bind_as_person(cloud.ram, "bob", "second")
    assert cloud.ram.unbind_mfa_device(user_name="bob")["MFADevice"] == {"SerialNumber": serial}
    with pytest.raises(CloudError, match=r"EntityNotExist\.User\.MFADevice"):
        cloud.ram.get_user_mfa_info(user_name="bob")
    cloud.ram.delete_user(user_name="bob")


def test_totp_matches_the_rfc_6238_vector() -> None:
    from datetime import UTC, datetime

    seed = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"  # base32 of "12345678901234567890" (RFC 6238 appendix B)
    assert totp(seed, datetime.fromtimestamp(59, UTC)) == "287082"


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

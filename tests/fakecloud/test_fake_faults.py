"""One-shot fault injection, throttling included, and the call log."""

from __future__ import annotations

import pytest
from pytest_mock import MockerFixture

from ramstack.fakecloud import CloudError, FakeCloud


def test_fail_next_is_one_shot(cloud: FakeCloud) -> None:
    cloud.fail_next("CreateUser", "Throttling.User")
    with pytest.raises(CloudError) as info:
        cloud.ram.create_user(user_name="u")
    assert (info.value.code, info.value.http_status) == ("Throttling.User", 400)
    assert info.value.message == "Request was denied due to user flow control."
    assert cloud.ram.list_users()["Users"]["User"] == [], "the failed call changed nothing"
    cloud.ram.create_user(user_name="u")  # the retry succeeds


def test_faults_queue_in_order_per_operation(cloud: FakeCloud) -> None:
    cloud.fail_next("CreateGroup", "Throttling")
    cloud.fail_next("CreateGroup", "ServiceUnavailable")
    cloud.fail_next("CreateUser", "InternalError")
    assert [f.code for f in cloud.pending_faults()] == ["Throttling", "ServiceUnavailable", "InternalError"]
    cloud.ram.create_role(role_name="r", assume_role_policy_document=_trust())  # untouched
    codes = []
    for _ in range(2):
        with pytest.raises(CloudError) as info:
            cloud.ram.create_group(group_name="g")
        codes.append((info.value.code, info.value.http_status))
    assert codes == [("Throttling", 400), ("ServiceUnavailable", 503)]
    cloud.ram.create_group(group_name="g")
    with pytest.raises(CloudError) as info:
        cloud.ram.create_user(user_name="u")
    assert info.value.http_status == 500


def test_any_operation_and_explicit_status(cloud: FakeCloud) -> None:
    cloud.fail_next("*", "Custom.Code", "boom", http_status=418)
    with pytest.raises(CloudError) as info:
        cloud.sts.get_caller_identity(caller_access_key_id="nope")
    assert (info.value.code, info.value.message, info.value.http_status) == ("Custom.Code", "boom", 418)


def test_named_fault_wins_over_any(cloud: FakeCloud) -> None:
    cloud.fail_next("*", "Throttling")
    cloud.fail_next("GetUser", "InternalError")
    with pytest.raises(CloudError, match=r"InternalError"):
        cloud.ram.get_user(user_name="x")
    with pytest.raises(CloudError, match=r"Throttling"):
        cloud.ram.get_user(user_name="x")


def test_unknown_operation_rejected(cloud: FakeCloud) -> None:
    with pytest.raises(ValueError, match="unknown operation"):
        cloud.fail_next("CreateUsers", "Throttling")


def test_clear_faults(cloud: FakeCloud) -> None:
    cloud.fail_next("CreateUser", "Throttling")
    cloud.clear_faults()
    assert cloud.pending_faults() == []
    cloud.ram.create_user(user_name="u")


def test_call_log(cloud: FakeCloud) -> None:
    cloud.fail_next("CreateUser", "Throttling")
    with pytest.raises(CloudError):
        cloud.ram.create_user(user_name="u")
    cloud.ram.create_user(user_name="u")
    calls = cloud.calls
    assert [(c.service, c.action, c.error_code) for c in calls] == [
        ("ram", "CreateUser", "Throttling"),
        ("ram", "CreateUser", None),
    ]
    assert calls[1].params == {"user_name": "u"}
    assert calls[0].request_id != calls[1].request_id


def test_pytest_mock_can_spy_an_operation(cloud: FakeCloud, mocker: MockerFixture) -> None:
    spy = mocker.spy(cloud.ram, "create_user")
    cloud.ram.create_user(user_name="u")
    spy.assert_called_once_with(user_name="u")


def test_operations_catalog(cloud: FakeCloud) -> None:
    ops = cloud.operations()
    expected = {
        "ram": "CreateUser GetUser DeleteUser UpdateUser CreateAccessKey DeleteAccessKey ListAccessKeys "
        "CreateLoginProfile DeleteLoginProfile CreateGroup DeleteGroup AddUserToGroup RemoveUserFromGroup "
        "CreateRole GetRole UpdateRole DeleteRole CreatePolicy GetPolicy CreatePolicyVersion "
        "DeletePolicyVersion DeletePolicy AttachPolicyToUser AttachPolicyToGroup AttachPolicyToRole "
        "DetachPolicyFromUser DetachPolicyFromGroup DetachPolicyFromRole ListPoliciesForUser "
        "ListPoliciesForGroup ListPoliciesForRole ListEntitiesForPolicy",
        "ims": "CreateOIDCProvider GetOIDCProvider DeleteOIDCProvider",
        "sts": "AssumeRole GetCallerIdentity",
    }
    for service, names in expected.items():
        for name in names.split():
            assert ops.get(name) == service, name


def _trust() -> str:
    from .helpers import service_trust

    return service_trust()

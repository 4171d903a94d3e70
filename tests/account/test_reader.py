from __future__ import annotations

import pytest

from ramstack.account.model import Attachment, LiveLogin
from ramstack.account.reader import read_account
from ramstack.account.transport import FakeCloudTransport, TransportError
from ramstack.fakecloud import FakeCloud
from tests.account.conftest import ACCOUNT, ISSUER, PagingTransport


def test_reads_what_the_console_made(console: FakeCloud) -> None:
    live = read_account(FakeCloudTransport(console), ACCOUNT)
    assert [u.name for u in live.users] == ["app", "bob"]
    app, bob = live.users
    assert app.access_keys and app.login is None and app.display_name == "Application"
    assert app.user_id == console.call("ram", "GetUser", {"UserName": "app"})["User"]["UserId"]
    assert bob.login == LiveLogin(mfa_bind_required=True, password_reset_required=False)
    assert bob.groups == ("readers",) and bob.email == "bob@example.com"
    # the default version's document, parsed (the first version said only PutObject)
    policy = live.policy_map["oss-upload"]
    assert sorted(policy.document["Statement"][0]["Action"]) == ["oss:GetObject", "oss:PutObject"]
    assert policy.description == "upload to one bucket"
    uploader = live.role_map["uploader"]
    assert uploader.max_session_duration == 7200
    assert uploader.trust_document["Statement"][0]["Principal"] == {"RAM": [f"acs:ram::{ACCOUNT}:user/app"]}
    assert live.oidc_provider_map["github"].issuer_url == ISSUER
    assert live.oidc_provider_map["github"].client_ids == ("sts.aliyuncs.com",)
    assert Attachment("group", "readers", "System", "AliyunOSSReadOnlyAccess") in live.attachments
    assert Attachment("user", "app", "Custom", "assume-uploader") in live.attachments
    assert Attachment("role", "uploader", "Custom", "oss-upload") in live.attachments


def test_follows_markers_to_the_last_page(console: FakeCloud) -> None:
    transport = PagingTransport(console, page=1)
    live = read_account(transport, ACCOUNT)
    assert [r.name for r in live.roles] == ["deployer", "mixed", "uploader"]
    assert [u.name for u in live.users] == ["app", "bob"]
    assert "page-2" in transport.markers  # the third role came from a third page


def test_account_id_comes_from_the_caller(console: FakeCloud) -> None:
    key = console.call("ram", "CreateAccessKey", {})["AccessKey"]["AccessKeyId"]  # a root key
    assert read_account(FakeCloudTransport(console, key)).account_id == ACCOUNT


def test_refusals_carry_the_api_code(console: FakeCloud) -> None:
    console.fail_next("ListRoles", "NoPermission")
    with pytest.raises(TransportError) as caught:
        read_account(FakeCloudTransport(console), ACCOUNT)
    assert caught.value.code == "NoPermission" and caught.value.action == "ListRoles"


def test_a_repeated_marker_stops_the_reader() -> None:
    class Looping:
        def call(self, service: str, action: str, params: object) -> dict[str, object]:
            return {"IsTruncated": True, "Marker": "same", "Users": {"User": []}}

    with pytest.raises(TransportError, match="twice"):
        read_account(Looping(), ACCOUNT)

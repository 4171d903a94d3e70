"""The endpoint's handling, in-process and fast: signatures (both schemes, signed by Alibaba's own
code), credentials, replay and clock checks, authorisation by identity, trust and session policies."""

from __future__ import annotations

import json
from typing import Any

import pytest

from ramstack.fakecloud import FakeCloud, ManualClock
from ramstack.serve.endpoint import Endpoint
from ramstack.serve.wire import HttpRequest
from tests.serve.signing import acs3, rpc_v1

ACCOUNT = "1234567890123456"
RAM_READ = {
    "Version": "1",
    "Statement": [{"Effect": "Allow", "Action": ["ram:Get*", "ram:List*"], "Resource": "*"}],
}


def _trust(*users: str) -> str:
    principals = [f"acs:ram::{ACCOUNT}:user/{u}" for u in users]
    return json.dumps(
        {
            "Version": "1",
            "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": principals}}],
        }
    )


class Account:
    """A fake account with an application user `app` that may assume `reader` (RAM read rights) and
    holds sts:AssumeRole on every role; `locked` trusts only `other`."""

    def __init__(self) -> None:
        self.clock = ManualClock()
        self.cloud = FakeCloud(account_id=ACCOUNT, clock=self.clock, seed="test")
        ram = self.cloud.ram
        for user in ("app", "other"):
            ram.create_user(user_name=user)
        ram.create_policy(
            policy_name="assume-any",
            policy_document=json.dumps(
                {
                    "Version": "1",
                    "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
                }
            ),
        )
        ram.attach_policy_to_user(policy_type="Custom", policy_name="assume-any", user_name="app")
        ram.create_policy(policy_name="ram-read", policy_document=json.dumps(RAM_READ))
        ram.create_role(role_name="reader", assume_role_policy_document=_trust("app"))
        ram.attach_policy_to_role(policy_type="Custom", policy_name="ram-read", role_name="reader")
        ram.create_role(role_name="locked", assume_role_policy_document=_trust("other"))
        key = ram.create_access_key(user_name="app")["AccessKey"]
        self.key_id, self.secret = key["AccessKeyId"], key["AccessKeySecret"]
        root = ram.create_access_key()["AccessKey"]
        self.root = (root["AccessKeyId"], root["AccessKeySecret"])
        self.endpoint = Endpoint(self.cloud, self.clock)

    def send(self, request: HttpRequest) -> tuple[int, dict[str, Any]]:
        response = self.endpoint.handle(request)
        return response.status, response.body

    def call(
        self, service: str, action: str, params: dict[str, str] | None = None, **kw: Any
    ) -> tuple[int, dict[str, Any]]:
        key_id, secret = kw.pop("key", (self.key_id, self.secret))
        return self.send(acs3(service, action, params or {}, key_id, secret, self.clock(), **kw))

    def assume(self, role: str, policy: dict[str, Any] | None = None) -> dict[str, str]:
        params = {"RoleArn": f"acs:ram::{ACCOUNT}:role/{role}", "RoleSessionName": "test"}
        if policy is not None:
            params["Policy"] = json.dumps(policy)
        status, body = self.call("sts", "AssumeRole", params)
        assert status == 200, body
        credentials: dict[str, str] = body["Credentials"]
        return credentials


@pytest.fixture
def account() -> Account:
    return Account()


def _code(result: tuple[int, dict[str, Any]]) -> tuple[int, str]:
    return result[0], str(result[1].get("Code"))


def test_acs3_request_signed_by_the_sdk_is_accepted(account: Account) -> None:
    status, body = account.call("sts", "GetCallerIdentity")
    assert status == 200
    assert body["Arn"] == f"acs:ram::{ACCOUNT}:user/app" and body["IdentityType"] == "RAMUser"
    assert body["RequestId"]


@pytest.mark.parametrize("credentials_library", [False, True])
def test_rpc_v1_signatures_of_the_sdk_and_of_the_credentials_library_are_accepted(
    account: Account, credentials_library: bool
) -> None:
    # A pretty-printed policy has spaces: the credentials library signs them as "+", the SDK as "%20".
    policy = json.dumps(
        {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ram:GetUser", "Resource": "*"}]},
        indent=1,
    )
    params = {"RoleArn": f"acs:ram::{ACCOUNT}:role/reader", "RoleSessionName": "v1", "Policy": policy}
    request = rpc_v1(
        "sts",
        "AssumeRole",
        params,
        account.key_id,
        account.secret,
        account.clock(),
        credentials_library=credentials_library,
        method="GET" if credentials_library else "POST",
    )
    status, body = account.send(request)
    assert status == 200, body
    assert body["AssumedRoleUser"]["Arn"] == f"acs:ram::{ACCOUNT}:role/reader/v1"


def test_tampered_parameter_or_header_is_refused(account: Account) -> None:
    params = {"RoleArn": f"acs:ram::{ACCOUNT}:role/reader", "RoleSessionName": "honest"}
    good = acs3("sts", "AssumeRole", params, account.key_id, account.secret, account.clock())
    forged_query = tuple((k, "forged" if k == "RoleSessionName" else v) for k, v in good.query)
    tampered = HttpRequest(good.method, good.path, forged_query, good.headers, good.body, good.client_ip)
    assert _code(account.send(tampered)) == (400, "SignatureDoesNotMatch")
    other_action = HttpRequest(
        good.method,
        good.path,
        good.query,
        {**good.headers, "x-acs-action": "GetCallerIdentity"},
        b"",
        good.client_ip,
    )
    assert _code(account.send(other_action)) == (400, "SignatureDoesNotMatch")
    with_body = HttpRequest(good.method, good.path, good.query, good.headers, b"extra", good.client_ip)
    assert _code(account.send(with_body)) == (400, "SignatureDoesNotMatch")
    v1 = rpc_v1("sts", "GetCallerIdentity", {}, account.key_id, account.secret, account.clock())
    forged_v1 = HttpRequest(
        v1.method,
        v1.path,
        (*tuple(p for p in v1.query if p[0] != "Timestamp"), ("Timestamp", "2025-01-01T00:00:01Z")),
        v1.headers,
        b"",
        v1.client_ip,
    )
    assert _code(account.send(forged_v1)) == (400, "SignatureDoesNotMatch")


def test_rpc_v1_reads_the_signed_action_not_the_unsigned_header(account: Account) -> None:
    v1 = rpc_v1("sts", "GetCallerIdentity", {}, account.key_id, account.secret, account.clock())
    sneaky = HttpRequest(
        v1.method, v1.path, v1.query, {**v1.headers, "x-acs-action": "AssumeRole"}, b"", v1.client_ip
    )
    status, body = account.send(sneaky)
    assert status == 200 and "Arn" in body and "Credentials" not in body


def test_wrong_secret_unknown_inactive_and_deleted_keys_are_refused(account: Account) -> None:
    assert _code(account.call("sts", "GetCallerIdentity", key=(account.key_id, "not-the-secret"))) == (
        400,
        "SignatureDoesNotMatch",
    )
    assert _code(account.call("sts", "GetCallerIdentity", key=("LTAInothere", "x"))) == (
        404,
        "InvalidAccessKeyId.NotFound",
    )
    account.cloud.ram.update_access_key(user_access_key_id=account.key_id, status="Inactive", user_name="app")
    assert _code(account.call("sts", "GetCallerIdentity")) == (400, "InvalidAccessKeyId.Inactive")
    account.cloud.ram.delete_access_key(user_access_key_id=account.key_id, user_name="app")
    assert _code(account.call("sts", "GetCallerIdentity")) == (404, "InvalidAccessKeyId.NotFound")


def test_replayed_nonce_and_stale_timestamp_are_refused(account: Account) -> None:
    request = acs3("sts", "GetCallerIdentity", {}, account.key_id, account.secret, account.clock())
    assert account.send(request)[0] == 200
    assert _code(account.send(request)) == (400, "SignatureNonceUsed")
    stale = acs3("sts", "GetCallerIdentity", {}, account.key_id, account.secret, account.clock())
    account.clock.advance(minutes=16)
    assert _code(account.send(stale)) == (400, "InvalidTimeStamp.Expired")


def test_unsigned_and_malformed_requests_are_refused(account: Account) -> None:
    plain = HttpRequest.parse(
        "POST", "/", {"x-acs-action": "GetCallerIdentity", "x-acs-version": "2015-04-01"}, b"", "127.0.0.1"
    )
    # Without Authorization the scheme is RPC v1, whose Action/Version are parameters.
    assert _code(account.send(plain)) == (400, "MissingAction")
    plain_v1 = HttpRequest.parse("GET", "/?Action=GetCallerIdentity&Version=2015-04-01", {}, b"", "127.0.0.1")
    assert _code(account.send(plain_v1)) == (400, "IncompleteSignature")
    good = acs3("sts", "GetCallerIdentity", {}, account.key_id, account.secret, account.clock())
    unsigned_date = dict(good.headers)
    unsigned_date["authorization"] = unsigned_date["authorization"].replace("x-acs-date;", "")
    assert _code(account.send(HttpRequest("POST", "/", (), unsigned_date, b"", "127.0.0.1"))) == (
        400,
        "IncompleteSignature",
    )


def test_unknown_action_and_version(account: Account) -> None:
    assert _code(account.call("ram", "FlyToTheMoon")) == (404, "InvalidApi.NotFound")
    assert _code(account.call("sts", "ListUsers")) == (404, "InvalidApi.NotFound")  # a RAM action under STS
    bad = acs3("sts", "GetCallerIdentity", {}, account.key_id, account.secret, account.clock())
    headers = {**bad.headers, "x-acs-version": "2099-01-01"}
    assert _code(account.send(HttpRequest("POST", "/", (), headers, b"", "127.0.0.1")))[1] == "InvalidVersion"


def test_identity_policies_authorise_every_call(account: Account) -> None:
    status, body = account.call("ram", "ListUsers")
    assert status == 403 and body["Code"] == "NoPermission"
    assert body["AccessDeniedDetail"]["AuthAction"] == "ram:ListUsers"
    assert body["AccessDeniedDetail"]["PolicyType"] == "AccountLevelIdentityBasedPolicy"
    assert body["HostId"] == "ram.aliyuncs.com"
    root = account.call("ram", "ListUsers", key=account.root)
    assert root[0] == 200 and {u["UserName"] for u in root[1]["Users"]["User"]} == {"app", "other"}


def test_assume_role_refused_by_the_trust_policy(account: Account) -> None:
    params = {"RoleArn": f"acs:ram::{ACCOUNT}:role/locked", "RoleSessionName": "probe"}
    status, body = account.call("sts", "AssumeRole", params)
    assert status == 403 and body["Code"] == "NoPermission"
    assert body["AccessDeniedDetail"]["PolicyType"] == "AssumeRolePolicy"


def test_sts_credentials_work_for_what_the_role_allows(account: Account) -> None:
    creds = account.assume("reader")
    key = (creds["AccessKeyId"], creds["AccessKeySecret"])
    token = creds["SecurityToken"]
    status, body = account.call("sts", "GetCallerIdentity", key=key, token=token)
    assert status == 200 and body["Arn"] == f"acs:ram::{ACCOUNT}:role/reader/test"
    assert account.call("ram", "ListUsers", key=key, token=token)[0] == 200
    assert _code(account.call("ram", "CreateUser", {"UserName": "mallory"}, key=key, token=token)) == (
        403,
        "NoPermission",
    )
    assert _code(account.call("sts", "GetCallerIdentity", key=key, token="CAIS.not-the-token")) == (
        400,
        "InvalidSecurityToken.MismatchWithAccessKey",
    )
    assert _code(account.call("sts", "GetCallerIdentity", key=key)) == (400, "MissingSecurityToken")
    v1 = rpc_v1("ram", "ListUsers", {}, key[0], key[1], account.clock(), token=token)
    assert account.send(v1)[0] == 200


def test_session_policy_narrows_the_credentials(account: Account) -> None:
    only_get_user = {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": "ram:GetUser", "Resource": "*"}],
    }
    creds = account.assume("reader", only_get_user)
    key, token = (creds["AccessKeyId"], creds["AccessKeySecret"]), creds["SecurityToken"]
    assert account.call("ram", "GetUser", {"UserName": "app"}, key=key, token=token)[0] == 200
    status, body = account.call("ram", "ListUsers", key=key, token=token)
    assert status == 403 and body["AccessDeniedDetail"]["PolicyType"] == "SessionPolicy"


def test_expired_sts_token_is_refused(account: Account) -> None:
    creds = account.assume("reader")
    key, token = (creds["AccessKeyId"], creds["AccessKeySecret"]), creds["SecurityToken"]
    account.clock.advance(seconds=3601)
    assert _code(account.call("sts", "GetCallerIdentity", key=key, token=token)) == (
        400,
        "InvalidSecurityToken.Expired",
    )


def test_a_full_nonce_cache_refuses_new_requests_and_forgets_no_live_nonce(account: Account) -> None:
    from ramstack.serve.authenticate import NonceCache

    account.endpoint.authenticator.nonces = NonceCache(capacity=2)
    first = acs3("sts", "GetCallerIdentity", {}, account.key_id, account.secret, account.clock())
    assert account.send(first)[0] == 200
    assert account.call("sts", "GetCallerIdentity")[0] == 200
    assert _code(account.call("sts", "GetCallerIdentity")) == (400, "Throttling")
    assert _code(account.send(first)) == (400, "SignatureNonceUsed")  # still remembered
    account.clock.advance(minutes=15)
    assert account.call("sts", "GetCallerIdentity")[0] == 200  # the expired ones made room


@pytest.mark.parametrize(
    ("service", "action", "params"),
    [
        ("ram", "CreatePolicy", {"PolicyName": "deep", "PolicyDocument": "[" * 3000 + "]" * 3000}),
        (
            "ram",
            "CreateRole",
            {"RoleName": "deep", "AssumeRolePolicyDocument": '{"a":' * 1000 + "1" + "}" * 1000},
        ),
        (
            "sts",
            "AssumeRole",
            {
                "RoleArn": f"acs:ram::{ACCOUNT}:role/reader",
                "RoleSessionName": "x1",
                "Policy": "[" * 1020 + "]" * 1020,
            },
        ),
    ],
    ids=["policy-document", "trust-document", "session-policy"],
)
def test_deeply_nested_documents_are_malformed_not_a_crash(
    account: Account, service: str, action: str, params: dict[str, str]
) -> None:
    key = account.root if service == "ram" else (account.key_id, account.secret)
    status, body = account.call(service, action, params, key=key)
    assert status == 400 and body["Code"] in ("MalformedPolicyDocument", "InvalidParameter.PolicyGrammar")

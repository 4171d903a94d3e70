"""`ramstack serve` end to end, over HTTP, with Alibaba's official SDK clients (both signature
schemes): the seed flows, refusals with Alibaba's codes, session policies, a clean stop."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from ramstack.live.sdk import StaticCredentials, Target, client, models
from tests.live.conftest import ACCOUNT, ROOT, Serve, Served, child_env
from tests.serve.signing import acs3

try:
    from alibabacloud_tea_openapi.exceptions import ClientException
except ImportError:  # pragma: no cover - the dev extra installs the SDKs
    pytest.skip("Alibaba's SDKs are not installed (pip install 'ramstack[live]')", allow_module_level=True)


def _sts(served: Served, user: str, signature: str = "acs3") -> Any:
    key_id, secret = served.key(user)
    return client("sts", Target(served["endpoint"]), StaticCredentials(key_id, secret), signature)  # type: ignore[arg-type]


def _with(served: Served, service: str, creds: Any, signature: str = "acs3") -> Any:
    static = StaticCredentials(creds.access_key_id, creds.access_key_secret, creds.security_token)
    return client(service, Target(served["endpoint"]), static, signature)  # type: ignore[arg-type]


def _assume(sts: Any, role: str, session: str, policy: str | None = None) -> Any:
    request = models("sts").AssumeRoleRequest(
        role_arn=f"acs:ram::{ACCOUNT}:role/{role}",
        role_session_name=session,
        duration_seconds=900,
        policy=policy,
    )
    return sts.assume_role(request).body


def test_dev_stack_ims_user_assumes_its_role_with_both_signature_schemes(serve: Serve) -> None:
    served = serve()
    assert served["account_id"] == ACCOUNT and set(served["access_keys"]) == {"ims-app"}
    for signature in ("acs3", "v1"):
        _ims_flow(served, signature)
    _tampered_request_is_refused(served)


def _ims_flow(served: Served, signature: str) -> None:
    sts = _sts(served, "ims-app", signature)
    me = sts.get_caller_identity().body
    assert me.arn == f"acs:ram::{ACCOUNT}:user/ims-app" and me.identity_type == "RAMUser"
    body = _assume(sts, "ims-sts-role", "ims-web")
    assert body.assumed_role_user.arn == f"acs:ram::{ACCOUNT}:role/ims-sts-role/ims-web"
    assert body.credentials.access_key_id.startswith("STS.")
    session = _with(served, "sts", body.credentials, signature).get_caller_identity().body
    assert session.arn == f"acs:ram::{ACCOUNT}:role/ims-sts-role/ims-web"
    assert session.identity_type == "AssumedRoleUser"
    # The application user itself holds only its assume grant: RAM administration is refused.
    ram = client("ram", Target(served["endpoint"]), StaticCredentials(*served.key("ims-app")), signature)  # type: ignore[arg-type]
    with pytest.raises(ClientException) as refused:
        ram.list_users(models("ram").ListUsersRequest())
    assert refused.value.code == "NoPermission" and refused.value.status_code == 403


def test_role_that_does_not_trust_the_caller_is_refused(serve: Serve, flow_project: Path) -> None:
    served = serve(flow_project, "test")
    sts = _sts(served, "app")
    with pytest.raises(ClientException) as refused:
        _assume(sts, "locked", "probe")
    assert refused.value.code == "NoPermission"
    assert refused.value.access_denied_detail["PolicyType"] == "AssumeRolePolicy"
    # `other` is trusted by `locked` but holds no sts:AssumeRole: its identity side refuses.
    with pytest.raises(ClientException) as identity:
        _assume(_sts(served, "other"), "locked", "probe")
    assert identity.value.code == "NoPermission"
    assert identity.value.access_denied_detail["PolicyType"] == "AccountLevelIdentityBasedPolicy"


def test_session_policy_narrows_sts_credentials(serve: Serve, flow_project: Path) -> None:
    served = serve(flow_project, "test")
    ram_models = models("ram")
    full = _with(served, "ram", _assume(_sts(served, "app"), "reader", "full").credentials)
    assert {u.user_name for u in full.list_users(ram_models.ListUsersRequest()).body.users.user} == {
        "app",
        "other",
    }
    only_get_user = json.dumps(
        {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ram:GetUser", "Resource": "*"}]}
    )
    narrowed_creds = _assume(_sts(served, "app", "v1"), "reader", "narrow", only_get_user).credentials
    narrowed = _with(served, "ram", narrowed_creds, "v1")
    assert narrowed.get_user(ram_models.GetUserRequest(user_name="other")).body.user.user_name == "other"
    with pytest.raises(ClientException) as refused:
        narrowed.list_users(ram_models.ListUsersRequest())
    assert refused.value.code == "NoPermission"
    assert refused.value.access_denied_detail["PolicyType"] == "SessionPolicy"


def _tampered_request_is_refused(served: Served) -> None:
    key_id, secret = served.key("ims-app")
    params = {"RoleArn": f"acs:ram::{ACCOUNT}:role/ims-sts-role", "RoleSessionName": "honest"}
    signed = acs3("sts", "AssumeRole", params, key_id, secret, datetime.now(UTC), host=served["endpoint"])
    host, port = served["endpoint"].split(":")
    headers = {k: v for k, v in signed.headers.items() if k != "host"}
    results = []
    for query in (params, {**params, "RoleSessionName": "forged"}):
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request(
            "POST", "/?" + urlencode(query), headers={**headers, "host": served["endpoint"]}
        )  # as signed
        response = connection.getresponse()
        results.append((response.status, json.loads(response.read())))
        connection.close()
    # The forged copy reuses the nonce too, but the signature is checked first.
    assert results[0][0] == 200
    assert results[1][0] == 400 and results[1][1]["Code"] == "SignatureDoesNotMatch"


def test_serve_stops_cleanly_on_sigterm_and_removes_its_ready_file(serve: Serve) -> None:
    """SIGTERM here; the `serve` fixture stops every other server with SIGINT and checks the same."""
    served = serve()
    served.process.send_signal(signal.SIGTERM)
    out, err = served.process.communicate(timeout=20)
    assert served.process.returncode == 0, err
    assert "Traceback" not in err and "stopped" in err, err
    assert err.splitlines()[-1] == "Serve: 0 requests answered, 0 refused.", err  # the closing summary
    assert not served.ready_file.exists()
    # No secret reaches the terminal: the ready file is the one place they are written.
    assert served["access_keys"]["ims-app"]["secret"] not in out + err


def test_bad_input_and_taken_port_are_exit_2() -> None:
    missing = subprocess.run(
        [sys.executable, "-m", "ramstack", "serve", "--stack", "nope"],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert missing.returncode == 2 and "CFG001" in missing.stderr and "Traceback" not in missing.stderr
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        taken = subprocess.run(
            [sys.executable, "-m", "ramstack", "serve", "--port", port],
            cwd=ROOT,
            env=child_env(),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert taken.returncode == 2 and "SERVE001" in taken.stderr and "Traceback" not in taken.stderr


def test_github_deploy_role_assumed_with_oidc(serve: Serve, tmp_path: Path) -> None:
    """GitHub Actions' flow: the credentials library's OIDC provider sends an unsigned
    AssumeRoleWithOIDC with the workflow's token; a token of another repository is refused."""
    from alibabacloud_credentials.provider.oidc import OIDCRoleArnCredentialsProvider

    from ramstack.fakecloud.oidc_issuer import OidcIssuer
    from ramstack.fakecloud.oidc_token import make_token

    served = serve(ROOT / "examples" / "github-deploy", "example")
    now = int(datetime.now(UTC).timestamp())
    github = "https://token.actions.githubusercontent.com"
    # The ready file holds the key of serve's stand-in for GitHub's issuer: tokens must be signed by it.
    described = served["oidc_issuers"][github]
    issuer = OidcIssuer.from_pem(github, described["private_key_pem"], described["kid"])

    def provider(subject: str, signed: bool = True) -> Any:
        token_file = tmp_path / f"token-{abs(hash(subject))}-{signed}"
        claims = {"aud": "sts.aliyuncs.com", "sub": subject, "iat": now, "exp": now + 600}
        token_file.write_text(issuer.mint(claims) if signed else make_token({"iss": github, **claims}))
        return OIDCRoleArnCredentialsProvider(
            role_arn=f"acs:ram::{ACCOUNT}:role/ci-deployer",
            oidc_provider_arn=f"acs:ram::{ACCOUNT}:oidc-provider/github",
            oidc_token_file_path=str(token_file),
            role_session_name="gha-run-1",
            sts_endpoint=f"http://{served['endpoint']}",  # the provider hard-codes https otherwise
        )

    credentials = provider("repo:example-org/access-infra:ref:refs/heads/main").get_credentials()
    static = StaticCredentials(
        credentials.get_access_key_id(), credentials.get_access_key_secret(), credentials.get_security_token()
    )
    me = client("sts", Target(served["endpoint"]), static).get_caller_identity().body
    assert me.arn == f"acs:ram::{ACCOUNT}:role/ci-deployer/gha-run-1"
    # The deploy role may administer RAM at this endpoint, as `pulumi up` would.
    ram = client("ram", Target(served["endpoint"]), static)
    assert (
        ram.get_role(models("ram").GetRoleRequest(role_name="ci-deployer")).body.role.role_name
        == "ci-deployer"
    )
    # IMS 2019-08-15 on the same port: the provider the stack created.
    ims = client("ims", Target(served["endpoint"]), static)
    listed = ims.list_oidcproviders(models("ims").ListOIDCProvidersRequest()).body
    assert [p.oidcprovider_name for p in listed.oidcproviders.oidcprovider] == ["github"]
    with pytest.raises(Exception) as refused:
        provider("repo:evil-org/access-infra:ref:refs/heads/main").get_credentials()
    assert "AuthenticationFail.NoPermission" in str(refused.value)
    with pytest.raises(Exception) as forged:  # the right claims without the issuer's signature
        provider("repo:example-org/access-infra:ref:refs/heads/main", signed=False).get_credentials()
    assert "AuthenticationFail.OIDCToken.InvalidSignature" in str(forged.value)

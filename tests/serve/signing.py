"""Requests signed by Alibaba's own code (the SDK's and the credentials library's signers), so the
endpoint's verifier is checked against an independent implementation, never against itself."""

from __future__ import annotations

import hashlib
import uuid
from types import SimpleNamespace
from urllib.parse import urlencode

from alibabacloud_credentials.utils import parameter_helper
from alibabacloud_tea_openapi.utils import Utils

from ramstack.fakecloud.clock import iso8601
from ramstack.serve.wire import HttpRequest

HOST = "127.0.0.1:8080"
VERSIONS = {"sts": "2015-04-01", "ram": "2015-05-01", "ims": "2019-08-15"}


def acs3(
    service: str,
    action: str,
    params: dict[str, str],
    key_id: str,
    secret: str,
    when: object,
    *,
    token: str | None = None,
    nonce: str | None = None,
    host: str = HOST,
) -> HttpRequest:
    """As the SDK's default path sends it: POST /, parameters in the query, signed headers."""
    headers = {
        "host": host,
        "x-acs-version": VERSIONS[service],
        "x-acs-action": action,
        "user-agent": "AlibabaCloud test",
        "x-acs-date": iso8601(when),  # type: ignore[arg-type]
        "x-acs-signature-nonce": nonce or uuid.uuid4().hex,
        "accept": "application/json",
        "x-acs-content-sha256": hashlib.sha256(b"").hexdigest(),
    }
    if token is not None:
        headers["x-acs-accesskey-id"] = key_id
        headers["x-acs-security-token"] = token
    request = SimpleNamespace(method="POST", pathname="/", query=dict(params), headers=dict(headers))
    headers["Authorization"] = Utils.get_authorization(
        request, "ACS3-HMAC-SHA256", headers["x-acs-content-sha256"], key_id, secret
    )
    return HttpRequest.parse("POST", "/?" + urlencode(params), headers, b"", "127.0.0.1")


def rpc_v1(
    service: str,
    action: str,
    params: dict[str, str],
    key_id: str,
    secret: str,
    when: object,
    *,
    token: str | None = None,
    nonce: str | None = None,
    credentials_library: bool = False,
    method: str = "POST",
) -> HttpRequest:
    """RPC v1 HMAC-SHA1: the SDK's signer, or the credentials library's (quote_plus) one."""
    query = {
        "Action": action,
        "Format": "JSON",
        "Version": VERSIONS[service],
        "Timestamp": iso8601(when),  # type: ignore[arg-type]
        "SignatureNonce": nonce or uuid.uuid4().hex,
        "SignatureMethod": "HMAC-SHA1",
        "SignatureVersion": "1.0",
        "AccessKeyId": key_id,
        **params,
    }
    if token is not None:
        query["SecurityToken"] = token
    if credentials_library:
        string_to_sign = parameter_helper.compose_string_to_sign(method, query)
        query["Signature"] = parameter_helper.sign_string(string_to_sign, secret + "&")
    else:
        query["Signature"] = Utils.get_rpcsignature(query, method, secret)
    return HttpRequest.parse(method, "/?" + urlencode(query), {"host": HOST}, b"", "127.0.0.1")

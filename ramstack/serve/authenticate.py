"""Who sent a request: verify its signature (either scheme) with the caller's secret.

Refusals use the POP gateway's codes and messages (developer.aliyun.com/ask/278265, "管控OpenAPI的客户端
公用错误码": InvalidAccessKeyId.NotFound 404, InvalidAccessKeyId.Inactive, InvalidTimeStamp.Format,
InvalidTimeStamp.Expired (15 minutes), SignatureNonceUsed, InvalidSignatureMethod,
SignatureDoesNotMatch; DOCUMENTED) and help.aliyun.com/document_detail/51132 (IncompleteSignature
400; DOCUMENTED). The STS-token codes (InvalidSecurityToken.*, MissingSecurityToken) are UNCONFIRMED.

Nonces are remembered for the 15-minute window, never less (forgetting one early would let it be
replayed), and at most MAX_NONCES at once (bounded memory): when that many are live the endpoint
answers Throttling. A nonce is recorded only after its signature verified, so nobody can burn
another caller's nonce.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime, timedelta

from ramstack.fakecloud import CloudError, FakeCloud
from ramstack.fakecloud.credentials import Credential
from ramstack.serve.signature import (
    acs3_signature,
    form_encode,
    parse_acs3_authorization,
    percent_encode,
    rpc_signature,
    same,
)
from ramstack.serve.wire import HttpRequest

WINDOW = timedelta(minutes=15)
MAX_NONCES = 100_000
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

# Headers an ACS3 signature must cover, or the request could be replayed or re-targeted.
REQUIRED_SIGNED = ("host", "x-acs-action", "x-acs-version", "x-acs-date", "x-acs-signature-nonce")

# RPC v1 parameters that describe the signature, not the operation.
RPC_SIGNING_PARAMETERS = frozenset(
    {
        "Action",
        "Version",
        "Format",
        "Timestamp",
        "SignatureNonce",
        "SignatureMethod",
        "SignatureVersion",
        "SignatureType",
        "AccessKeyId",
        "Signature",
        "SecurityToken",
        "RegionId",
    }
)

BAD_SIGNATURE = "Specified signature is not matched with our calculation."


def incomplete(detail: str) -> CloudError:
    return CloudError(
        "IncompleteSignature", f"The request signature does not conform to Aliyun standards. {detail}"
    )


class NonceCache:
    """Nonces seen in the last WINDOW, oldest first. An unexpired nonce is never forgotten (that would
    allow its replay); once MAX_NONCES are live, new requests are refused with Throttling instead."""

    def __init__(self, capacity: int = MAX_NONCES) -> None:
        self._seen: OrderedDict[str, datetime] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity

    def use(self, nonce: str, now: datetime) -> bool:
        """Record `nonce`; False when it was already used inside the window. Raises Throttling
        when the cache is full of unexpired nonces."""
        with self._lock:
            while self._seen:
                oldest, when = next(iter(self._seen.items()))
                if now - when < WINDOW:
                    break
                del self._seen[oldest]
            if nonce in self._seen:
                return False
            if len(self._seen) >= self.capacity:
                # The gateway's flow-control code (TF retries it; reference §6).
                raise CloudError("Throttling", "Request was denied due to user flow control.")
            self._seen[nonce] = now
            return True


def _timestamp(value: str | None, now: datetime, name: str) -> None:
    if not value:
        raise CloudError(f"Missing{name}", f"{name} is mandatory for this action.")
    try:
        when = datetime.strptime(value, TIMESTAMP_FORMAT).replace(tzinfo=now.tzinfo)
    except ValueError:
        raise CloudError(
            "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted."
        ) from None
    if abs(now - when) > WINDOW:
        raise CloudError("InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.")


class Authenticator:
    def __init__(self, cloud: FakeCloud, clock: Callable[[], datetime]) -> None:
        self.cloud = cloud
        self.clock = clock
        self.nonces = NonceCache()

    def _credential(self, access_key_id: str, token: str | None) -> Credential:
        credential = self.cloud.credential(access_key_id)
        if credential is None:
            raise CloudError("InvalidAccessKeyId.NotFound", "Specified access key is not found.")
        if not credential.active:
            raise CloudError("InvalidAccessKeyId.Inactive", "Specified access key is disabled.")
        if credential.kind == "session":
            assert credential.security_token is not None and credential.expiration is not None
            if not token:
                raise CloudError("MissingSecurityToken", "SecurityToken is mandatory for this action.")
            if not same(token, credential.security_token.reveal()):
                raise CloudError(
                    "InvalidSecurityToken.MismatchWithAccessKey",
                    "Specified SecurityToken mismatch with the AccessKey.",
                )
            if self.clock() >= credential.expiration:
                raise CloudError("InvalidSecurityToken.Expired", "Specified SecurityToken is expired.")
        elif token:
            raise CloudError(
                "InvalidSecurityToken.MismatchWithAccessKey",
                "Specified SecurityToken mismatch with the AccessKey.",
            )
        return credential

    def authenticate(self, request: HttpRequest) -> Credential:
        authorization = request.headers.get("authorization")
        if authorization is not None:
            return self._acs3(request, authorization)
        if "Signature" in request.params:
            return self._rpc(request)
        raise incomplete("The request carries neither an Authorization header nor a Signature parameter.")

    def _acs3(self, request: HttpRequest, authorization: str) -> Credential:
        fields = parse_acs3_authorization(authorization)
        if fields is None:
            raise incomplete(
                "Authorization must be ACS3-HMAC-SHA256 Credential=...,SignedHeaders=...,Signature=..."
            )
        signed = [h for h in fields["SignedHeaders"].lower().split(";") if h]
        missing = [h for h in REQUIRED_SIGNED if h not in signed]
        if "x-acs-security-token" in request.headers and "x-acs-security-token" not in signed:
            missing.append("x-acs-security-token")
        if missing:
            raise incomplete(f"SignedHeaders must include {', '.join(missing)}.")
        credential = self._credential(fields["Credential"], request.headers.get("x-acs-security-token"))
        payload = hashlib.sha256(request.body).hexdigest()
        claimed = request.headers.get("x-acs-content-sha256")
        expected = acs3_signature(
            credential.secret.reveal(),
            request.method,
            request.path,
            request.query,
            request.headers,
            signed,
            payload,
        )
        if (claimed is not None and claimed != payload) or not same(expected, fields["Signature"]):
            raise CloudError("SignatureDoesNotMatch", BAD_SIGNATURE)
        now = self.clock()
        _timestamp(request.headers.get("x-acs-date"), now, "Date")
        if not self.nonces.use(request.headers.get("x-acs-signature-nonce", ""), now):
            raise CloudError("SignatureNonceUsed", "Specified signature nonce was used already.")
        return credential

    def _rpc(self, request: HttpRequest) -> Credential:
        params = request.params
        if params.get("SignatureMethod", "HMAC-SHA1") != "HMAC-SHA1":
            raise CloudError("InvalidSignatureMethod", "Specified signature method is not valid.")
        access_key_id = params.get("AccessKeyId")
        if not access_key_id:
            raise CloudError("MissingAccessKeyId", "AccessKeyId is mandatory for this action.")
        credential = self._credential(access_key_id, params.get("SecurityToken"))
        secret = credential.secret.reveal()
        given = params["Signature"]
        # The SDKs encode RFC 3986-style; alibabacloud_credentials' RAM-role provider uses quote_plus
        # (a space becomes "+"): both are what real clients send (live-sdk.md §2, VERIFIED).
        if not any(
            same(rpc_signature(secret, request.method, params, enc), given)
            for enc in (percent_encode, form_encode)
        ):
            raise CloudError("SignatureDoesNotMatch", BAD_SIGNATURE)
        now = self.clock()
        _timestamp(params.get("Timestamp"), now, "Timestamp")
        nonce = params.get("SignatureNonce")
        if not nonce:
            raise CloudError("MissingSignatureNonce", "SignatureNonce is mandatory for this action.")
        if not self.nonces.use(nonce, now):
            raise CloudError("SignatureNonceUsed", "Specified signature nonce was used already.")
        return credential

"""OIDC ID tokens (JWTs) as the fake's AssumeRoleWithOIDC reads them, and an unsigned maker for tests.

The fake decodes the token, verifies its signature with the keys registered for its issuer
(oidc_keys.py; a real STS fetches the issuer's JWKS) and checks its claims (iss, aud, sub, exp, iat)
against the IMS OIDC provider and the role's trust policy. The header's algorithm must be an
asymmetric one, as STS refuses `HS256` (STS error-code page); `none` is never acceptable.
Valid tokens come from `oidc_issuer.OidcIssuer.mint`; `make_token` builds unsigned ones, which the
fake refuses, for tests of refusals.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from ramstack.fakecloud.errors import CloudError

INVALID = "AuthenticationFail.OIDCToken.Invalid"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
# Asymmetric JWS algorithms (RFC 7518); STS names HS256 as unknown, `none` is never acceptable.
_ALGORITHMS = {f"{family}{bits}" for family in ("RS", "PS", "ES") for bits in (256, 384, 512)}


def invalid_token(message: str) -> CloudError:
    return CloudError(INVALID, message)  # HTTP 401, as every AuthenticationFail.* (errors.py)


@dataclass(frozen=True)
class OidcClaims:
    issuer: str
    subject: str
    audiences: tuple[str, ...]
    expires_at: int  # seconds since the epoch
    issued_at: int | None
    algorithm: str = "RS256"
    key_id: str | None = None  # the header's `kid`
    signing_input: bytes = b""  # `header.payload` as sent: what the signature covers
    signature: bytes = b""


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(part: str) -> bytes:
    if not _BASE64URL.fullmatch(part):
        raise invalid_token("Cannot decode base64 encoded response(format invalided).")
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError):
        raise invalid_token("Cannot decode base64 encoded response(format invalided).") from None


def make_token(claims: Mapping[str, Any], *, algorithm: str = "RS256", key_id: str = "fake-key") -> str:
    """A JWT with these claims and a placeholder signature: the fake refuses it (InvalidSignature).
    For tests of refusals; `OidcIssuer.mint` makes tokens that verify."""
    header = {"alg": algorithm, "typ": "JWT", "kid": key_id}
    parts = [json.dumps(header, separators=(",", ":")), json.dumps(dict(claims), separators=(",", ":"))]
    return ".".join([*(_b64url(p.encode()) for p in parts), _b64url(b"not-verified-by-the-fake")])


def _object(part: str) -> dict[str, Any]:
    try:
        value = json.loads(_unb64url(part))
    except (UnicodeDecodeError, ValueError):
        raise invalid_token("The Jwt content is invalid that cannot be recognized.") from None
    if not isinstance(value, dict):
        raise invalid_token("The Jwt content is invalid that cannot be recognized.")
    return value


_LAST_SECOND = 253402300799  # 9999-12-31T23:59:59Z: later times are not dates a clock can hold


def _seconds(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _LAST_SECOND


def read_token(token: str | None) -> OidcClaims:
    """The claims of `token`, or the `AuthenticationFail.OIDCToken.Invalid` error STS answers."""
    if not token:
        raise invalid_token("The OIDCToken can not empty.")
    parts = token.split(".")
    if len(parts) != 3:
        raise invalid_token("The number of Jwt field should be divided into 3 parts with '.' .")
    header, payload = _object(parts[0]), _object(parts[1])
    signature = _unb64url(parts[2])
    algorithm = header.get("alg")
    if algorithm not in _ALGORITHMS:
        raise invalid_token(f"The algorithm {algorithm} that be specified in Jwt header is unknown.")
    key_id = header.get("kid")
    if key_id is not None and not isinstance(key_id, str):
        raise invalid_token("The Jwt content is invalid that cannot be recognized.")
    issuer, subject, audience = payload.get("iss"), payload.get("sub"), payload.get("aud")
    expires, issued = payload.get("exp"), payload.get("iat")
    audiences = (audience,) if isinstance(audience, str) else audience
    if (
        not isinstance(issuer, str)
        or not isinstance(subject, str)
        or not isinstance(audiences, list | tuple)
        or not all(isinstance(a, str) for a in audiences)
        or not _seconds(expires)
        or not (issued is None or _seconds(issued))
    ):
        # UNCONFIRMED wording: a token without string iss/sub/aud and a numeric exp is unusable.
        raise invalid_token("The Jwt content is invalid that cannot be recognized.")
    return OidcClaims(
        issuer,
        subject,
        tuple(audiences),
        cast(int, expires),
        issued,
        str(algorithm),
        key_id,
        f"{parts[0]}.{parts[1]}".encode("ascii"),
        signature,
    )

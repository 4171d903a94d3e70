"""The public keys an OIDC issuer publishes (its JWKS) and the JWS signature check STS makes with them.

STS fetches the issuer's JWKS and refuses a token whose signature does not verify
(`AuthenticationFail.OIDCToken.InvalidSignature`, STS error-code page, CONFIRMED). The fake has no
network: the keys of each issuer are registered with it (`FakeCloud.oidc_issuer` makes a local
issuer whose key it trusts; `FakeCloud.trust_oidc_keys` takes a JWKS document). An issuer without
registered keys verifies nothing, so its tokens are refused.

RS256/RS384/RS512 only (RSASSA-PKCS1-v1_5, RFC 7518 §3.3), what GitHub Actions and most issuers
sign with; PS*/ES* tokens are refused as unverifiable (stricter than STS). The check is the
standard library's modular exponentiation and a constant-time comparison with the whole expected
encoding (RFC 8017 §8.2.2: encode and compare, never parse the decrypted block), so the core needs
no crypto package.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MIN_RSA_BITS = 2048  # RFC 7518 §3.3: "A key of size 2048 bits or larger MUST be used"

# RFC 8017 §9.2 note 1: the DER DigestInfo prefix of each hash.
_DIGEST_INFO = {
    "RS256": (hashlib.sha256, bytes.fromhex("3031300d060960864801650304020105000420")),
    "RS384": (hashlib.sha384, bytes.fromhex("3041300d060960864801650304020205000430")),
    "RS512": (hashlib.sha512, bytes.fromhex("3051300d060960864801650304020305000440")),
}
VERIFIED_ALGORITHMS = frozenset(_DIGEST_INFO)


class BadJwks(ValueError):
    """A JWKS document that is not a set of usable RSA public keys."""


@dataclass(frozen=True)
class RsaPublicKey:
    """One RSA key of an issuer's JWKS: its `kid` (may be empty), modulus and exponent."""

    kid: str
    n: int
    e: int

    def to_jwk(self) -> dict[str, str]:
        return {
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "n": b64url_uint(self.n),
            "e": b64url_uint(self.e),
        }


def b64url_uint(value: int) -> str:
    data = value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _uint(text: Any, name: str) -> int:
    if not isinstance(text, str) or not text:
        raise BadJwks(f"RSA key member {name!r} must be a base64url string")
    try:
        return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")
    except (binascii.Error, ValueError):
        raise BadJwks(f"RSA key member {name!r} is not base64url") from None


def parse_jwks(document: Any) -> list[RsaPublicKey]:
    """The RSA signing keys of a JWKS document `{"keys": [{"kty": "RSA", "n", "e", "kid"}, ...]}`;
    keys of other types or for encryption are skipped; a set with no usable key is an error."""
    keys = document.get("keys") if isinstance(document, Mapping) else None
    if not isinstance(keys, list):
        raise BadJwks('a JWKS document is an object {"keys": [...]}')
    out: list[RsaPublicKey] = []
    for jwk in keys:
        if not isinstance(jwk, Mapping) or jwk.get("kty") != "RSA" or jwk.get("use", "sig") != "sig":
            continue
        key = RsaPublicKey(str(jwk.get("kid", "")), _uint(jwk.get("n"), "n"), _uint(jwk.get("e"), "e"))
        if key.n.bit_length() < MIN_RSA_BITS or key.e < 3 or key.e % 2 == 0:
            raise BadJwks(f"RSA key {key.kid!r} is weaker than {MIN_RSA_BITS} bits or has a bad exponent")
        out.append(key)
    if not out:
        raise BadJwks("the JWKS holds no RSA signing key")
    return out


def verify_signature(
    algorithm: str, signing_input: bytes, signature: bytes, key_id: str | None, keys: list[RsaPublicKey]
) -> bool:
    """True when `signature` over `signing_input` (the token's `header.payload`) verifies with the
    key named by `key_id` (or, when the token names none, with any key)."""
    if algorithm not in _DIGEST_INFO:
        return False
    hash_function, prefix = _DIGEST_INFO[algorithm]
    digest_info = prefix + hash_function(signing_input).digest()
    candidates = [k for k in keys if key_id is None or k.kid == key_id]
    return any(_verify_pkcs1_v15(key, digest_info, signature) for key in candidates)


def _verify_pkcs1_v15(key: RsaPublicKey, digest_info: bytes, signature: bytes) -> bool:
    size = (key.n.bit_length() + 7) // 8
    if key.n.bit_length() < MIN_RSA_BITS or len(signature) != size:
        return False
    value = int.from_bytes(signature, "big")
    if value >= key.n:
        return False
    padding = size - 3 - len(digest_info)
    expected = b"\x00\x01" + b"\xff" * padding + b"\x00" + digest_info
    return hmac.compare_digest(pow(value, key.e, key.n).to_bytes(size, "big"), expected)

"""A local OIDC issuer: an RSA key that signs ID tokens (RS256) for the fake's AssumeRoleWithOIDC.

It stands in for a real issuer (GitHub Actions, a Kubernetes cluster) whose JWKS STS would fetch:
`FakeCloud.oidc_issuer(url)` makes one and trusts its public key for `url`; `ramstack serve` makes
one per OIDC provider of the stack and puts its private key in the ready file, so local clients can
mint tokens (`OidcIssuer.from_pem(...).mint(claims)`).

Key generation and signing use `cryptography` (imported lazily; the core never needs it: only tests
and `ramstack serve` mint tokens). Verification is `oidc_keys.verify_signature`, standard library.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping
from typing import Any

from ramstack.fakecloud.oidc_keys import RsaPublicKey

KEY_BITS = 2048


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class OidcIssuer:
    """An issuer URL with its RSA signing key (private: never in a snapshot, log or plan)."""

    def __init__(self, issuer_url: str, private_key: Any, key_id: str) -> None:
        self.issuer_url = issuer_url
        self._private_key = private_key  # cryptography RSAPrivateKey
        self.key_id = key_id

    @classmethod
    def generate(cls, issuer_url: str) -> OidcIssuer:
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        return cls(issuer_url, key, f"ramstack-{secrets.token_hex(8)}")

    @classmethod
    def from_pem(cls, issuer_url: str, private_key_pem: str, key_id: str) -> OidcIssuer:
        """The issuer `ramstack serve` describes in its ready file (`oidc_issuers`)."""
        from cryptography.hazmat.primitives.asymmetric import rsa
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        key = load_pem_private_key(private_key_pem.encode("ascii"), password=None)
        if not isinstance(key, rsa.RSAPrivateKey):
            raise ValueError("the issuer's key must be an RSA private key")
        return cls(issuer_url, key, key_id)

    @property
    def public_key(self) -> RsaPublicKey:
        numbers = self._private_key.public_key().public_numbers()
        return RsaPublicKey(self.key_id, numbers.n, numbers.e)

    def private_key_pem(self) -> str:
        from cryptography.hazmat.primitives import serialization

        data: bytes = self._private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        return data.decode("ascii")

    def mint(self, claims: Mapping[str, Any]) -> str:
        """An RS256 ID token with these claims (`iss` defaults to this issuer's URL)."""
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.asymmetric import padding

        header = {"alg": "RS256", "typ": "JWT", "kid": self.key_id}
        body = {"iss": self.issuer_url, **claims}
        signing_input = ".".join(
            _b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, body)
        )
        signature = self._private_key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64url(signature)}"

    def __repr__(self) -> str:
        return f"OidcIssuer({self.issuer_url!r}, key_id={self.key_id!r})"

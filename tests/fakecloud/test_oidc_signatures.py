"""AssumeRoleWithOIDC verifies the token's signature with its issuer's keys before trusting a claim:
unsigned, forged, re-signed or tampered tokens are AuthenticationFail.OIDCToken.InvalidSignature."""

from __future__ import annotations

import base64
import functools
import json
from typing import Any

import pytest

from ramstack.fakecloud import CloudError, FakeCloud, ManualClock
from ramstack.fakecloud.oidc_issuer import OidcIssuer
from ramstack.fakecloud.oidc_keys import BadJwks, RsaPublicKey, parse_jwks, verify_signature
from ramstack.fakecloud.oidc_token import make_token

from .test_fake_sts_federation import ISSUER, PROVIDER_ARN, SUBJECT, issuer, oidc_trust, role_arn

INVALID_SIGNATURE = "AuthenticationFail.OIDCToken.InvalidSignature"


@functools.cache
def impostor() -> OidcIssuer:
    """Someone else's key, claiming to be GitHub."""
    return OidcIssuer.generate(ISSUER)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(clock: ManualClock) -> dict[str, Any]:
    now = int(clock().timestamp())
    return {"iss": ISSUER, "aud": "sts.aliyuncs.com", "sub": SUBJECT, "iat": now, "exp": now + 300}


def _cloud(clock: ManualClock, trusted: bool = True) -> FakeCloud:
    cloud = FakeCloud(clock=clock)
    cloud.ims.create_oidc_provider(
        oidc_provider_name="github", issuer_url=ISSUER, client_ids="sts.aliyuncs.com"
    )
    cloud.ram.create_role(role_name="ci", assume_role_policy_document=oidc_trust())
    if trusted:
        cloud.trust_oidc_keys(ISSUER, {"keys": [issuer().public_key.to_jwk()]})
    return cloud


def _assume(cloud: FakeCloud, token: str) -> dict[str, Any]:
    return cloud.call(
        "sts",
        "AssumeRoleWithOIDC",
        {
            "OIDCProviderArn": PROVIDER_ARN,
            "RoleArn": role_arn("ci"),
            "OIDCToken": token,
            "RoleSessionName": "s1",
        },
    )


def _refused(cloud: FakeCloud, token: str) -> CloudError:
    with pytest.raises(CloudError) as raised:
        _assume(cloud, token)
    assert not cloud.snapshot()["Sessions"]
    return raised.value


def _forged(clock: ManualClock, header: dict[str, Any], signature: bytes = b"forged") -> str:
    parts = [json.dumps(header).encode(), json.dumps(_claims(clock)).encode(), signature]
    return ".".join(_b64(p) for p in parts)


def test_a_token_signed_by_the_issuer_is_accepted(clock: ManualClock) -> None:
    out = _assume(_cloud(clock), issuer().mint(_claims(clock)))
    assert out["OIDCTokenInfo"]["VerificationInfo"] == "Success"


@pytest.mark.parametrize(
    "make",
    [
        lambda clock: make_token(_claims(clock)),  # a placeholder signature
        lambda clock: _forged(clock, {"alg": "RS256", "typ": "JWT"}),  # the reviewer's probe
        lambda clock: _forged(clock, {"alg": "RS256", "kid": issuer().key_id}, b"\x00" * 256),
        lambda clock: impostor().mint(_claims(clock)),  # another key
        lambda clock: OidcIssuer(ISSUER, impostor()._private_key, issuer().key_id).mint(_claims(clock)),
        lambda clock: _forged(clock, {"alg": "ES256", "kid": issuer().key_id}),
        lambda clock: _forged(clock, {"alg": "PS256", "kid": issuer().key_id}),
    ],
    ids=[
        "placeholder",
        "forged",
        "zero-signature",
        "other-key",
        "other-key-same-kid",
        "es256",
        "ps256",
    ],
)
def test_unsigned_and_forged_tokens_are_refused(clock: ManualClock, make: Any) -> None:
    error = _refused(_cloud(clock), make(clock))
    assert (error.code, error.http_status) == (INVALID_SIGNATURE, 401)


def test_a_signed_token_with_altered_claims_is_refused(clock: ManualClock) -> None:
    header, _, signature = issuer().mint(_claims(clock)).split(".")
    other = {**_claims(clock), "sub": "repo:my-org/infra:ref:refs/heads/main", "exp": 2**31}
    tampered = f"{header}.{_b64(json.dumps(other).encode())}.{signature}"
    assert _refused(_cloud(clock), tampered).code == INVALID_SIGNATURE


def test_alg_none_and_hs256_are_never_accepted(clock: ManualClock) -> None:
    for algorithm in ("none", "HS256"):
        token = _forged(clock, {"alg": algorithm}, b"")
        assert _refused(_cloud(clock), token).code == "AuthenticationFail.OIDCToken.Invalid"


def test_an_issuer_without_known_keys_verifies_nothing(clock: ManualClock) -> None:
    error = _refused(_cloud(clock, trusted=False), issuer().mint(_claims(clock)))
    assert error.code == INVALID_SIGNATURE and "No signing keys" in error.message


def test_oidc_issuer_is_trusted_by_its_cloud(clock: ManualClock) -> None:
    cloud = _cloud(clock, trusted=False)
    local = cloud.oidc_issuer(ISSUER)
    assert cloud.oidc_issuer(ISSUER) is local  # one key per issuer
    assert "Credentials" in _assume(cloud, local.mint(_claims(clock)))
    # Its private key survives the round trip through serve's ready file.
    again = OidcIssuer.from_pem(ISSUER, local.private_key_pem(), local.key_id)
    assert "Credentials" in _assume(cloud, again.mint(_claims(clock)))


@pytest.mark.parametrize("algorithm", ["RS256", "RS384", "RS512"])
def test_verification_agrees_with_the_cryptography_package(algorithm: str) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    digest = {"RS256": hashes.SHA256(), "RS384": hashes.SHA384(), "RS512": hashes.SHA512()}[algorithm]
    signed = b"header.payload"
    signature = issuer()._private_key.sign(signed, padding.PKCS1v15(), digest)
    keys = [issuer().public_key]
    assert verify_signature(algorithm, signed, signature, issuer().key_id, keys)
    assert verify_signature(algorithm, signed, signature, None, keys)
    assert not verify_signature(algorithm, signed + b"x", signature, None, keys)
    assert not verify_signature(algorithm, signed, signature, "another-kid", keys)
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not verify_signature(algorithm, signed, flipped, None, keys)


def test_jwks_documents_are_checked() -> None:
    good = issuer().public_key.to_jwk()
    assert parse_jwks({"keys": [{"kty": "EC"}, good]}) == [issuer().public_key]
    weak = RsaPublicKey("weak", (1 << 1023) + 1, 65537).to_jwk()
    for document in ({"keys": []}, [], {"keys": [weak]}, {"keys": [{"kty": "RSA", "n": "!", "e": "AQAB"}]}):
        with pytest.raises(BadJwks):
            parse_jwks(document)

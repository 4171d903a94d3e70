"""The two request-signing schemes of Alibaba Cloud's RPC APIs, recomputed from a received request.

ACS3-HMAC-SHA256 (what the official SDKs send by default) and RPC v1 HMAC-SHA1 (`signature_algorithm
='v2'` in the SDK Config, and the credentials library's RAM-role provider). Facts from
../shared/research/live-sdk.md §5 (VERIFIED by recomputation against the SDKs' own requests) and
Alibaba's "V3 request structure and signature" page. Pure functions: no I/O, no state.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import quote, quote_plus

ACS3 = "ACS3-HMAC-SHA256"
EMPTY_PAYLOAD_SHA256 = hashlib.sha256(b"").hexdigest()


def percent_encode(text: str) -> str:
    """RFC 3986: unreserved characters raw, everything else %XX of its UTF-8 bytes (space %20)."""
    return quote(text, safe="~")


def form_encode(text: str) -> str:
    """`quote_plus`, as alibabacloud_credentials' RAM-role provider signs (space `+`)."""
    return quote_plus(text)


def acs3_canonical_query(pairs: Iterable[tuple[str, str]]) -> str:
    """Decoded query pairs, sorted by key, each re-encoded RFC 3986-style and joined with `&`."""
    return "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(pairs))


def acs3_signature(
    secret: str,
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: Iterable[str],
    payload_sha256: str,
) -> str:
    """Hex HMAC-SHA256 (key: the secret itself) of the canonical request; `headers` keyed lowercase."""
    names = [h.lower() for h in signed_headers]
    canonical_headers = "".join(f"{name}:{headers.get(name, '').strip()}\n" for name in names)
    canonical_request = "\n".join(
        [method, path or "/", acs3_canonical_query(query), canonical_headers, ";".join(names), payload_sha256]
    )
    string_to_sign = f"{ACS3}\n{hashlib.sha256(canonical_request.encode()).hexdigest()}"
    return hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()


def rpc_signature(
    secret: str,
    method: str,
    params: Mapping[str, str],
    encode: Callable[[str], str] = percent_encode,
) -> str:
    """Base64 HMAC-SHA1 (key: secret + "&") of `METHOD&%2F&enc(sorted k=v&...)`; `Signature` excluded."""
    canonical = "&".join(f"{encode(k)}={encode(v)}" for k, v in sorted(params.items()) if k != "Signature")
    string_to_sign = f"{method}&%2F&{percent_encode(canonical)}"
    digest = hmac.new((secret + "&").encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def parse_acs3_authorization(value: str) -> dict[str, str] | None:
    """`ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex` -> its three fields, or None."""
    scheme, _, rest = value.strip().partition(" ")
    if scheme != ACS3:
        return None
    fields: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, val = part.strip().partition("=")
        if not sep:
            return None
        fields[key] = val
    if not {"Credential", "SignedHeaders", "Signature"} <= set(fields):
        return None
    return fields


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())

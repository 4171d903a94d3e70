"""Deterministic identifiers: the same seed and the same sequence of calls give the same ids.

Each kind of id has its own counter, so creating a role never shifts the ids of users. Values are
derived by hashing (seed, kind, counter), which is stable across Python versions and platforms.
"""

from __future__ import annotations

import functools
import hashlib
from collections import Counter

DIGITS = "0123456789"
ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789ABCDEF"
TOKEN_ALPHABET = ALNUM + "+/"


@functools.cache
def _byte_table(alphabet: str) -> bytes:
    """bytes.translate table: byte b -> alphabet[b % len(alphabet)] (every alphabet here is ASCII)."""
    return bytes(ord(alphabet[b % len(alphabet)]) for b in range(256))


class IdFactory:
    def __init__(self, seed: int | str = 0) -> None:
        self._seed = str(seed)
        self._counters: Counter[str] = Counter()

    def _chars(self, kind: str, length: int, alphabet: str) -> str:
        """`length` characters: each byte b of sha256(seed|kind|counter|block) is alphabet[b % len]."""
        self._counters[kind] += 1
        n = self._counters[kind]
        table = _byte_table(alphabet)
        out = ""
        block = 0
        while len(out) < length:
            digest = hashlib.sha256(f"{self._seed}|{kind}|{n}|{block}".encode()).digest()
            out += digest.translate(table).decode("ascii")
            block += 1
        return out[:length]

    def _number(self, kind: str, length: int) -> str:
        body = self._chars(kind, length, DIGITS)
        return str(int(body[0]) % 9 + 1) + body[1:]  # no leading zero

    def user_id(self) -> str:
        """RAM UserId: 16 digits."""
        return self._number("user", 16)

    def role_id(self) -> str:
        """RAM RoleId: 18 digits (fits a signed 64-bit integer)."""
        return self._number("role", 18)

    def group_id(self) -> str:
        """GroupId: `g-` + 16 alphanumerics (IMS shape)."""
        return "g-" + self._chars("group", 16, ALNUM)

    def access_key_id(self) -> str:
        """Long-lived AccessKeyId: `LTAI` + 20 alphanumerics."""
        return "LTAI" + self._chars("access-key", 20, ALNUM)

    def access_key_secret(self) -> str:
        """AccessKeySecret: 30 alphanumerics."""
        return self._chars("access-key-secret", 30, ALNUM)

    def sts_access_key_id(self) -> str:
        """STS AccessKeyId: `STS.` + 24 alphanumerics."""
        return "STS." + self._chars("sts-key", 24, ALNUM)

    def sts_access_key_secret(self) -> str:
        return self._chars("sts-secret", 44, ALNUM)

    def security_token(self) -> str:
        """SecurityToken: `CAIS` + opaque text (real tokens have no fixed length)."""
        return "CAIS" + self._chars("sts-token", 316, TOKEN_ALPHABET)

    def request_id(self) -> str:
        """RequestId: an upper-case UUID-shaped string."""
        h = self._chars("request", 32, HEX)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

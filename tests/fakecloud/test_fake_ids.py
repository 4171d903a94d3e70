"""Identifier and ARN formats, and determinism under a seed."""

from __future__ import annotations

import re
from typing import Any

import pytest

from ramstack.fakecloud import FakeCloud, ManualClock

from .helpers import ACCOUNT, may_assume, permission, trust, user_arn, user_with_key


def _build(seed: int | str) -> dict[str, Any]:
    c = FakeCloud(seed=seed, clock=ManualClock())
    out: dict[str, Any] = {}
    out["user"] = c.ram.create_user(user_name="alice")
    out["key"] = c.ram.create_access_key(user_name="alice")
    c.ram.attach_policy_to_user(
        policy_type="System", policy_name="AliyunSTSAssumeRoleAccess", user_name="alice"
    )
    out["group"] = c.ram.create_group(group_name="devs")
    out["role"] = c.ram.create_role(
        role_name="deployer", assume_role_policy_document=trust(user_arn("alice"))
    )
    out["sts"] = c.sts.assume_role(
        caller_access_key_id=out["key"]["AccessKey"]["AccessKeyId"],
        role_arn=out["role"]["Role"]["Arn"],
        role_session_name="ci",
    )
    return out


def test_same_seed_same_ids() -> None:
    assert _build(7) == _build(7)


def test_different_seed_different_ids() -> None:
    a, b = _build(1), _build(2)
    assert a["user"]["User"]["UserId"] != b["user"]["User"]["UserId"]
    assert a["key"]["AccessKey"]["AccessKeyId"] != b["key"]["AccessKey"]["AccessKeyId"]
    assert a["user"]["RequestId"] != b["user"]["RequestId"]


def test_id_kinds_have_independent_counters() -> None:
    """Creating a role first does not shift the id the next user gets."""
    a = FakeCloud(seed=3)
    b = FakeCloud(seed=3)
    b.ram.create_role(role_name="r", assume_role_policy_document=trust(Service=["ecs.aliyuncs.com"]))
    assert (
        a.ram.create_user(user_name="u")["User"]["UserId"]
        == b.ram.create_user(user_name="u")["User"]["UserId"]
    )


def test_formats() -> None:
    out = _build(0)
    assert re.fullmatch(r"[1-9][0-9]{15}", out["user"]["User"]["UserId"])
    assert re.fullmatch(r"[1-9][0-9]{17}", out["role"]["Role"]["RoleId"])
    assert re.fullmatch(r"g-[A-Za-z0-9]{16}", out["group"]["Group"]["GroupId"])
    key = out["key"]["AccessKey"]
    assert re.fullmatch(r"LTAI[A-Za-z0-9]{20}", key["AccessKeyId"])
    assert re.fullmatch(r"[A-Za-z0-9]{30}", key["AccessKeySecret"])
    creds = out["sts"]["Credentials"]
    assert re.fullmatch(r"STS\.[A-Za-z0-9]{24}", creds["AccessKeyId"])
    assert creds["SecurityToken"].startswith("CAIS") and len(creds["SecurityToken"]) > 100
    assert creds["Expiration"] == "2025-01-01T01:00:00Z"
    assert re.fullmatch(
        r"[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}", out["user"]["RequestId"]
    )


def test_arns() -> None:
    c = FakeCloud(account_id="5555555555555555")
    role = c.ram.create_role(role_name="r", assume_role_policy_document=trust(Service=["ecs.aliyuncs.com"]))
    assert role["Role"]["Arn"] == "acs:ram::5555555555555555:role/r"
    oidc = c.ims.create_oidc_provider(
        oidc_provider_name="gh", issuer_url="https://token.actions.githubusercontent.com"
    )
    assert oidc["OIDCProvider"]["Arn"] == "acs:ram::5555555555555555:oidc-provider/gh"
    key = user_with_key(c, "alice")
    may_assume(c)
    c.ram.update_role(
        role_name="r", new_assume_role_policy_document=trust("acs:ram::5555555555555555:user/alice")
    )
    session = c.sts.assume_role(
        caller_access_key_id=key, role_arn=role["Role"]["Arn"], role_session_name="s-1"
    )
    assert session["AssumedRoleUser"] == {
        "Arn": "acs:ram::5555555555555555:role/r/s-1",
        "AssumedRoleId": f"{role['Role']['RoleId']}:s-1",
    }


def test_policy_arns() -> None:
    from ramstack.fakecloud.arns import policy_arn

    assert policy_arn(ACCOUNT, "Custom", "p") == f"acs:ram::{ACCOUNT}:policy/p"
    assert (
        policy_arn(ACCOUNT, "System", "AdministratorAccess") == "acs:ram::system:policy/AdministratorAccess"
    )


@pytest.mark.parametrize("account_id", ["", "12ab", "1" * 21])
def test_account_id_validated(account_id: str) -> None:
    with pytest.raises(ValueError, match="account_id"):
        FakeCloud(account_id=account_id)


def test_unknown_limit_rejected() -> None:
    with pytest.raises(ValueError, match="unknown limit"):
        FakeCloud(limits={"users": 3})


def test_dates_follow_the_clock() -> None:
    clock = ManualClock()
    c = FakeCloud(clock=clock)
    c.ram.create_policy(policy_name="p", policy_document=permission())
    clock.advance(hours=2)
    version = c.ram.create_policy_version(policy_name="p", policy_document=permission(), set_as_default=True)
    assert version["PolicyVersion"]["CreateDate"] == "2025-01-01T02:00:00Z"
    policy = c.ram.get_policy(policy_name="p", policy_type="Custom")["Policy"]
    assert (policy["CreateDate"], policy["UpdateDate"]) == ("2025-01-01T00:00:00Z", "2025-01-01T02:00:00Z")


def _documented_chars(seed: str, kind: str, n: int, length: int, alphabet: str) -> str:
    """The module's formula written out plainly: each byte b of sha256(seed|kind|n|block) is
    alphabet[b % len(alphabet)], blocks appended until `length` characters."""
    import hashlib

    out: list[str] = []
    block = 0
    while len(out) < length:
        digest = hashlib.sha256(f"{seed}|{kind}|{n}|{block}".encode()).digest()
        out.extend(alphabet[b % len(alphabet)] for b in digest)
        block += 1
    return "".join(out[:length])


@pytest.mark.parametrize("seed", [0, "bench", 7])
def test_ids_follow_the_documented_formula(seed: int | str) -> None:
    """The byte-table implementation deals the same ids as the formula (so a fake cloud's ids stay
    the same from one version to the next), for every alphabet and past one hash block."""
    from ramstack.fakecloud.ids import ALNUM, DIGITS, HEX, TOKEN_ALPHABET, IdFactory

    ids = IdFactory(seed)
    for n in (1, 2, 3):
        assert ids.access_key_id() == "LTAI" + _documented_chars(str(seed), "access-key", n, 20, ALNUM)
        token = _documented_chars(str(seed), "sts-token", n, 316, TOKEN_ALPHABET)
        assert ids.security_token() == "CAIS" + token
        h = _documented_chars(str(seed), "request", n, 32, HEX)
        assert ids.request_id() == f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        body = _documented_chars(str(seed), "user", n, 16, DIGITS)
        assert ids.user_id() == str(int(body[0]) % 9 + 1) + body[1:]


def test_timestamps_are_the_instant_to_the_second_in_utc() -> None:
    """`iso8601` shares one formatting per second (a plan makes thousands of views within one): each
    datetime still reads as its own instant, naive ones as UTC, aware ones converted from their zone."""
    from datetime import UTC, datetime, timedelta, timezone

    from ramstack.fakecloud.clock import iso8601

    plus8 = timezone(timedelta(hours=8))
    cases = [
        (datetime(2025, 1, 1, 0, 0, 0, tzinfo=UTC), "2025-01-01T00:00:00Z"),
        (datetime(2025, 1, 1, 0, 0, 0, 999_999, tzinfo=UTC), "2025-01-01T00:00:00Z"),
        (datetime(2025, 1, 1, 8, 0, 0, 500_000, tzinfo=plus8), "2025-01-01T00:00:00Z"),  # same instant
        (datetime(2025, 1, 1, 8, 0, 0), "2025-01-01T08:00:00Z"),  # naive: taken as UTC, not as +8
        (datetime(2025, 1, 1, 7, 59, 59, 999_999, tzinfo=plus8), "2024-12-31T23:59:59Z"),
        (datetime(2025, 1, 1, 0, 0, 1, 1, tzinfo=UTC), "2025-01-01T00:00:01Z"),
    ]
    for _ in range(2):  # the second time from the shared formatting
        assert [iso8601(when) for when, _ in cases] == [text for _, text in cases]

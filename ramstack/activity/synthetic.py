"""Synthetic, realistic ActionTrail events for the seed flows (tests and bench/activity.py).

Shapes follow the published samples (../shared/corpus/actiontrail/samples.json): a RAM user
with an AccessKey assuming roles (the IMS application), role sessions (`assumed-role`, userName
`Role:Session`, STS. key ids), a console user who signs in with MFA, and a VOD uploader session
writing objects to OSS.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

APP_IP = "203.0.113.10"


def _event(
    rng: random.Random, when: datetime, service: str, name: str, identity: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "eventId": f"{rng.getrandbits(64):016X}-{when:%Y%m%d%H%M%S}",
        "eventVersion": 1,
        "eventType": "ApiCall",
        "eventTime": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventName": name,
        "serviceName": service,
        "eventSource": f"{service.lower()}.aliyuncs.com",
        "acsRegion": "cn-shanghai",
        "sourceIpAddress": APP_IP,
        "userIdentity": identity,
        "additionalEventData": {"Scheme": "https"},
    }
    event.update(extra)
    return event


def _user(account: str, name: str, key: str | None, mfa: bool | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "ram-user",
        "accountId": account,
        "principalId": "2741806465482",
        "userName": name,
    }
    if key:
        out["accessKeyId"] = key
    if mfa is not None:
        out["sessionContext"] = {"attributes": {"mfaAuthenticated": str(mfa).lower()}}
    return out


def _session(account: str, role: str, session: str) -> dict[str, Any]:
    return {
        "type": "assumed-role",
        "accountId": account,
        "principalId": f"3164566644860:{session}",
        "userName": f"{role}:{session}",
        "accessKeyId": "STS.NUnj6nuqKaEoMZGsT" + session[-4:],
        "sessionContext": {"attributes": {"mfaAuthenticated": "false"}},
    }


def seed_flow_events(
    count: int, account: str = "1234567890123456", *, start: datetime | None = None, seed: int = 14
) -> Iterator[dict[str, Any]]:
    """`count` events of the seed flows, one minute apart from `start` (default 2026-11-01); event ids
    are unique across calls with different seeds or starts (the store deduplicates by eventId)."""
    rng = random.Random(seed)
    when = start or datetime(2026, 11, 1, tzinfo=UTC)
    app = _user(account, "ims-app", "LTAI5tAppKey0001")
    alice = _user(account, "alice", None, mfa=True)
    for i in range(count):
        when += timedelta(minutes=1)
        flow = rng.randrange(10)
        session = f"s{i // 50:06d}"
        if flow < 2:
            role = "ims-sts-role" if flow == 0 else "imm-task-role"
            params = {"RoleArn": f"acs:ram::{account}:role/{role}", "RoleSessionName": session}
            yield _event(rng, when, "Sts", "AssumeRole", app, requestParameters=params)
        elif flow < 6:
            name = rng.choice(["GetMediaInfo", "GetMediaProducingJob", "ListMediaBasicInfos"])
            yield _event(rng, when, "ICE", name, _session(account, "ims-sts-role", session))
        elif flow < 8:
            yield _event(rng, when, "imm", "ListProjects", _session(account, "imm-task-role", session))
        elif flow == 8:
            yield _event(rng, when, "ICE", "ListMediaBasicInfos", alice, sourceIpAddress="198.51.100.7")
        else:
            event = _event(rng, when, "Ims", "ConsoleSignin", alice, sourceIpAddress="198.51.100.7")
            event["eventType"] = "ConsoleSignin"
            yield event


def vod_upload_events(
    count: int, account: str = "1234567890123456", bucket: str = "vod-uploads", *, seed: int = 7
) -> Iterator[dict[str, Any]]:
    """The VOD uploader's session: CreateUploadVideo, then the object written to OSS."""
    rng = random.Random(seed)
    when = datetime(2026, 11, 1, tzinfo=UTC)
    for i in range(count):
        when += timedelta(minutes=1)
        identity = _session(account, "vod-uploader", f"u{i:05d}")
        if i % 2 == 0:
            yield _event(rng, when, "Vod", "CreateUploadVideo", identity)
        else:
            key = f"{bucket}/videos/{rng.randrange(4)}.mp4"
            yield _event(
                rng, when, "Oss", "PutObject", identity, referencedResources={"ACS::OSS::Object": [key]}
            )

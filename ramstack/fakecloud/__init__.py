"""A stateful, in-memory fake of Alibaba Cloud RAM, STS and IMS (OIDC and SAML providers), for tests,
offline plans and a loopback API server. Pure Python; never imports pulumi."""

from ramstack.fakecloud.catalog import DEFAULT_SYSTEM_POLICIES
from ramstack.fakecloud.clock import ManualClock, iso8601
from ramstack.fakecloud.cloud import DEFAULT_ACCOUNT_ID, FakeCloud
from ramstack.fakecloud.context import CallRecord
from ramstack.fakecloud.errors import CloudError
from ramstack.fakecloud.faults import Fault
from ramstack.fakecloud.lifecycle import (
    force_delete_group,
    force_delete_policy,
    force_delete_role,
    force_delete_user,
)
from ramstack.fakecloud.ram_mfa import bind_as_person, totp
from ramstack.fakecloud.redaction import REDACTED, Secret

__all__ = [
    "DEFAULT_ACCOUNT_ID",
    "DEFAULT_SYSTEM_POLICIES",
    "REDACTED",
    "CallRecord",
    "CloudError",
    "FakeCloud",
    "Fault",
    "ManualClock",
    "Secret",
    "bind_as_person",
    "force_delete_group",
    "force_delete_policy",
    "force_delete_role",
    "force_delete_user",
    "iso8601",
    "totp",
]

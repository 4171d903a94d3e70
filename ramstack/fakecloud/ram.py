"""The RAM service (API 2015-05-01) of the fake: one class, its operations grouped by entity."""

from __future__ import annotations

from typing import ClassVar

from ramstack.fakecloud.ram_access_keys import AccessKeyOperations
from ramstack.fakecloud.ram_attachments import AttachmentOperations
from ramstack.fakecloud.ram_groups import GroupOperations
from ramstack.fakecloud.ram_login_profiles import LoginProfileOperations
from ramstack.fakecloud.ram_mfa import MfaOperations
from ramstack.fakecloud.ram_policies import PolicyOperations
from ramstack.fakecloud.ram_roles import RoleOperations
from ramstack.fakecloud.ram_users import UserOperations


class RamApi(
    UserOperations,
    AccessKeyOperations,
    LoginProfileOperations,
    MfaOperations,
    GroupOperations,
    RoleOperations,
    PolicyOperations,
    AttachmentOperations,
):
    service: ClassVar[str] = "ram"

"""Virtual MFA devices (RAM API 2015-05-01): CreateVirtualMFADevice, ListVirtualMFADevices,
DeleteVirtualMFADevice, BindMFADevice, UnbindMFADevice, GetUserMFAInfo.

A console user binds their own device (console logins require it by default), so a device is the one
thing IaC never created yet blocks DeleteUser (`DeleteConflict.User.MFADevice`) until it is unbound,
which the provider does only with `force` (resource_alicloud_ram_user.go). Binding checks two
consecutive TOTP codes (RFC 6238: HMAC-SHA1, 30 s, 6 digits) against the device's seed, as an
authenticator app would produce them; `totp()` computes them for tests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
from datetime import datetime
from typing import Any

from ramstack.fakecloud.errors import already_exists, delete_conflict, invalid, not_exist
from ramstack.fakecloud.lookups import require_user
from ramstack.fakecloud.redaction import Secret
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import VirtualMfaDevice

TOTP_STEP = 30
# Device names: the console's rule (letters, digits, `.` `-` `_`, 1-64) is UNCONFIRMED for the API.
DEVICE_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}")


def totp(seed: str, when: datetime, step_offset: int = 0) -> str:
    """The 6-digit code an authenticator shows for the Base32 `seed` at `when` (+ offset steps)."""
    counter = int(when.timestamp()) // TOTP_STEP + step_offset
    key = base64.b32decode(seed + "=" * (-len(seed) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def _device_view(device: VirtualMfaDevice, user_name: str | None) -> dict[str, Any]:
    view: dict[str, Any] = {"SerialNumber": device.serial_number}
    if device.activate_date is not None:
        view["ActivateDate"] = device.activate_date.strftime("%Y-%m-%dT%H:%M:%SZ")
    if user_name is not None:
        view["User"] = {"UserName": user_name, "UserId": device.user_id}
    return view


class MfaOperations(Service):
    def _device(self, serial_number: str) -> VirtualMfaDevice:
        device = self._ctx.state.mfa_devices.get(serial_number)
        if device is None:
            raise not_exist("VirtualMFADevice", f"The MFA device does not exist: {serial_number}")
        return device

    @api("CreateVirtualMFADevice")
    def create_virtual_mfa_device(self, *, virtual_mfa_device_name: str) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        if not DEVICE_NAME.fullmatch(virtual_mfa_device_name):
            raise invalid(
                "VirtualMFADeviceName.InvalidChars",
                "The parameter VirtualMFADeviceName can contain only letters, digits, periods (.), "
                "hyphens (-) and underscores (_), 1 to 64 characters",
            )
        serial = f"acs:ram::{state.account_id}:mfa/{virtual_mfa_device_name}"
        if serial in state.mfa_devices:
            raise already_exists("VirtualMFADevice", f"The MFA device already exists: {serial}")
        raw = hashlib.sha256(f"mfa|{serial}|{ctx.ids.access_key_secret()}".encode()).digest()[:20]
        seed = base64.b32encode(raw).decode().rstrip("=")
        state.mfa_devices[serial] = VirtualMfaDevice(serial, Secret(seed), ctx.now())
        return {"VirtualMFADevice": {"SerialNumber": serial, "Base32StringSeed": seed}}

    @api("ListVirtualMFADevices")
    def list_virtual_mfa_devices(self) -> dict[str, Any]:
        state = self._ctx.state
        devices = []
        for device in sorted(state.mfa_devices.values(), key=lambda d: d.serial_number):
            user = state.user_by_id(device.user_id) if device.user_id else None
            devices.append(_device_view(device, user.user_name if user else None))
        return {"VirtualMFADevices": {"VirtualMFADevice": devices}}

    @api("DeleteVirtualMFADevice")
    def delete_virtual_mfa_device(self, *, serial_number: str) -> dict[str, Any]:
        device = self._device(serial_number)
        if device.user_id is not None:
            # UNCONFIRMED code: RAM refuses deleting a bound device; the exact code is not documented.
            raise delete_conflict(
                "VirtualMFADevice.User", f"The MFA device is bound to a user: {serial_number}"
            )
        del self._ctx.state.mfa_devices[serial_number]
        return {}

    @api("BindMFADevice")
    def bind_mfa_device(
        self,
        *,
        serial_number: str,
        user_name: str,
        authentication_code1: str,
        authentication_code2: str,
    ) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        user = require_user(state, user_name)
        device = self._device(serial_number)
        if state.mfa_device_of(user.user_id) is not None:
            raise already_exists("User.MFADevice", f"The user already has an MFA device: {user_name}")
        if device.user_id is not None:
            raise already_exists("VirtualMFADevice.User", f"The MFA device is bound already: {serial_number}")
        seed, now = device.seed.reveal(), ctx.now()
        # Two consecutive codes, the later one current or one step old (clock skew).
        if not any(
            (authentication_code1, authentication_code2) == (totp(seed, now, k - 1), totp(seed, now, k))
            for k in (0, -1)
        ):
            # UNCONFIRMED code: the API's wording for wrong codes is not documented.
            raise invalid("AuthenticationCode", "The authentication codes are not two consecutive codes")
        device.user_id, device.activate_date = user.user_id, now
        return {}

    @api("UnbindMFADevice")
    def unbind_mfa_device(self, *, user_name: str) -> dict[str, Any]:
        state = self._ctx.state
        user = require_user(state, user_name)
        device = state.mfa_device_of(user.user_id)
        if device is None:
            raise not_exist("User.MFADevice", f"The user has no MFA device: {user_name}")
        device.user_id = device.activate_date = None
        return {"MFADevice": {"SerialNumber": device.serial_number}}

    @api("GetUserMFAInfo")
    def get_user_mfa_info(self, *, user_name: str) -> dict[str, Any]:
        state = self._ctx.state
        user = require_user(state, user_name)
        device = state.mfa_device_of(user.user_id)
        if device is None:
            raise not_exist("User.MFADevice", f"The user has no MFA device: {user_name}")
        return {"MFADevice": {"SerialNumber": device.serial_number}}


def bind_as_person(ram: MfaOperations, user_name: str, device_name: str | None = None) -> str:
    """What a console user does at first logon, outside any IaC: create a virtual device, scan its
    seed into an authenticator, and bind it with two consecutive codes. Returns the serial number."""
    created = ram.create_virtual_mfa_device(virtual_mfa_device_name=device_name or f"{user_name}-phone")
    serial, seed = (
        created["VirtualMFADevice"]["SerialNumber"],
        created["VirtualMFADevice"]["Base32StringSeed"],
    )
    now = ram._ctx.now()
    ram.bind_mfa_device(
        serial_number=serial,
        user_name=user_name,
        authentication_code1=totp(seed, now, -1),
        authentication_code2=totp(seed, now),
    )
    return str(serial)

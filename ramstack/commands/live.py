"""The transport and failure reporting shared by the verbs that read a live account (import,
drift); their options are every live verb's (`ramstack.live.options`)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ramstack.account.transport import Transport, TransportError
from ramstack.diagnostics import Diagnostic, InvalidInput, Level, Location
from ramstack.live.sdk import Target, api_error_fix
from ramstack.ui.progress import tick


def open_transport(target: Target) -> Transport:
    """The SDK transport, on Alibaba's default credential chain (ALIBABA_CLOUD_ACCESS_KEY_ID, ...);
    ramstack.live imports the SDK lazily: a missing SDK is reported (LIVE004) at the first call."""
    from ramstack.live.transport import SdkTransport

    return SdkTransport(target)


class _Counted:
    """A transport that ticks the verb's progress line once per API call."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner

    def call(self, service: str, action: str, params: Any) -> dict[str, Any]:
        try:
            return self.inner.call(service, action, params)
        finally:
            tick()


def counted(transport: Transport) -> Transport:
    return _Counted(transport)


READ_ACCESS = (
    "the caller needs read access to RAM and IMS (e.g. AliyunRAMReadOnlyAccess and ims:List*/ims:Get*)"
)


def read_failure(exc: TransportError) -> InvalidInput:
    """A failed read as one located diagnostic: the transport's own, or one naming the action."""
    if exc.diagnostic is not None:
        found = exc.diagnostic
        if exc.code and exc.code.startswith("NoPermission"):
            found = replace(found, fix=READ_ACCESS)
        return InvalidInput(
            [replace(found, message=f"cannot read the account: {exc.action}: {found.message}")]
        )
    cause = f"{exc.code}: {exc.message}" if exc.code else exc.message
    return InvalidInput(
        [
            Diagnostic(
                Location("<api>"),
                Level.ERROR,
                "LIVE001",
                f"cannot read the account: {exc.action}: {cause}",
                READ_ACCESS if (exc.code or "").startswith("NoPermission") else api_error_fix(exc.code or ""),
            )
        ]
    )

"""The transport and failure reporting shared by the verbs that read a live account (import,
drift); their options are every live verb's (`ramstack.live.options`)."""

from __future__ import annotations

from dataclasses import replace

from ramstack.account.transport import Transport, TransportError
from ramstack.diagnostics import Diagnostic, InvalidInput, Level, Location
from ramstack.live.sdk import Target, api_error_fix


def open_transport(target: Target) -> Transport:
    """The SDK transport, on Alibaba's default credential chain (ALIBABA_CLOUD_ACCESS_KEY_ID, ...);
    ramstack.live imports the SDK lazily: a missing SDK is reported (LIVE004) at the first call."""
    from ramstack.live.transport import SdkTransport

    return SdkTransport(target)


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

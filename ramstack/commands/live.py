"""Options and the transport shared by the verbs that read a live account (import, drift)."""

from __future__ import annotations

import argparse

from ramstack.account.transport import Transport, TransportError
from ramstack.diagnostics import Diagnostic, InvalidInput, Level, Location

ENDPOINT = Location("<endpoint>")


def add_endpoint_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--endpoint",
        metavar="HOST:PORT",
        help="a local endpoint over HTTP (e.g. ramstack serve); default: Alibaba Cloud over HTTPS",
    )


def open_transport(endpoint: str | None, region: str) -> Transport:
    """The SDK transport (credentials from the standard chain: ALIBABA_CLOUD_ACCESS_KEY_ID, ...)."""
    try:
        from ramstack.live.transport import sdk_transport

        return sdk_transport(endpoint, region)
    except ImportError as exc:
        raise InvalidInput(
            [
                Diagnostic(
                    ENDPOINT,
                    Level.ERROR,
                    "LIVE001",
                    f"reading a live account needs Alibaba's SDKs ({exc.name} is missing)",
                    "pip install 'ramstack[live]'",
                )
            ]
        ) from None


def read_failure(exc: TransportError) -> InvalidInput:
    cause = f"{exc.code}: {exc.message}" if exc.code else exc.message
    fix = (
        "the caller needs read access to RAM and IMS (e.g. AliyunRAMReadOnlyAccess and ims:List*/Get*)"
        if exc.code and exc.code.startswith(("NoPermission", "Forbidden"))
        else "check the endpoint and the credentials (ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET or a profile)"
    )
    return InvalidInput(
        [Diagnostic(ENDPOINT, Level.ERROR, "LIVE002", f"cannot read the account: {exc.action}: {cause}", fix)]
    )

"""How the account reader talks to an account: `call(service, action, params) -> response dict`.

Two implementations: `ramstack.live.transport` over Alibaba's official SDK clients (HTTP), and
`FakeCloudTransport` here, in-process over the fake cloud (fast tests, same response shapes). Both
raise `TransportError` carrying the API's error code.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any, Protocol

from ramstack.diagnostics import Diagnostic

if TYPE_CHECKING:
    from ramstack.fakecloud import FakeCloud


class TransportError(Exception):
    """A refused or failed call: `code` as the API spells it (None when nothing was answered);
    `diagnostic`, when the transport already explained the failure."""

    def __init__(
        self,
        code: str | None,
        message: str,
        service: str = "",
        action: str = "",
        diagnostic: Diagnostic | None = None,
    ) -> None:
        self.code = code
        self.message = message
        self.service = service
        self.action = action
        self.diagnostic = diagnostic
        super().__init__(f"{action}: {code}: {message}" if code else f"{action}: {message}")


class Transport(Protocol):
    def call(self, service: str, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
        """Invoke `action` of `service` ("ram", "sts", "ims") with wire parameters."""
        ...


class FakeCloudTransport:
    """The fake cloud in-process, signed as `caller_access_key_id` (for GetCallerIdentity)."""

    def __init__(self, cloud: FakeCloud, caller_access_key_id: str | None = None) -> None:
        self.cloud = cloud
        self.caller_access_key_id = caller_access_key_id

    def call(self, service: str, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
        from ramstack.fakecloud import CloudError

        try:
            return self.cloud.call(service, action, params, caller_access_key_id=self.caller_access_key_id)
        except CloudError as exc:
            raise TransportError(exc.code, exc.message, service, action) from None


# RAM lists take MaxItems 1-1000, IMS ListOIDCProviders 1-100 (live-sdk.md §7).
PAGE_SIZE = {"ram": 1000, "ims": 100}


def pages(
    transport: Transport, service: str, action: str, params: Mapping[str, Any], wrapper: str, item: str
) -> Iterator[dict[str, Any]]:
    """Every `<wrapper>.<item>` entry of a Marker/IsTruncated-paged list, all pages."""
    marker: str | None = None
    seen: set[str] = set()
    while True:
        query = {**params, "MaxItems": PAGE_SIZE.get(service, 100)}
        if marker:
            query["Marker"] = marker
        response = transport.call(service, action, query)
        yield from entries(response, wrapper, item)
        marker = response.get("Marker") if response.get("IsTruncated") is True else None
        if not marker:
            return
        if marker in seen:  # a server repeating a marker would loop forever
            raise TransportError(None, f"the API returned marker {marker!r} twice", service, action)
        seen.add(marker)


def entries(response: Mapping[str, Any], wrapper: str, item: str) -> list[dict[str, Any]]:
    """`response[wrapper][item]` as a list; an absent wrapper or item is an empty list."""
    box = response.get(wrapper) or {}
    found = box.get(item) if isinstance(box, Mapping) else None
    if isinstance(found, Mapping):  # XML-derived bodies give a single entry as an object
        return [dict(found)]
    return [dict(e) for e in found or () if isinstance(e, Mapping)]

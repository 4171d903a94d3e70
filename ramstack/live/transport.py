"""`SdkTransport`: the account reader's transport over Alibaba's typed SDK clients (from
`ramstack.live.sdk`), e.g. `Client.list_users_with_options(ListUsersRequest, runtime)`.

Responses are the body's `to_map()`, the API's own shapes. Failures are `sdk.LiveError`s, handed to
the core as `TransportError` with the API's code and the already-explained diagnostic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ramstack.account.transport import TransportError
from ramstack.live import sdk


class SdkTransport:
    def __init__(self, target: sdk.Target, credentials: sdk.StaticCredentials | None = None) -> None:
        self.target = target
        self.credentials = credentials
        self._clients: dict[str, Any] = {}
        self._methods: dict[tuple[str, str], str] = {}

    def _client(self, service: sdk.Service) -> Any:
        if service not in self._clients:
            self._clients[service] = sdk.client(service, self.target, self.credentials)
        return self._clients[service]

    def _method(self, client: Any, service: str, action: str) -> str:
        key = (service, action)
        if key not in self._methods:
            wanted = action.lower() + "withoptions"
            # list_oidcproviders_with_options <-> ListOIDCProviders: compare without underscores
            found = [
                n for n in dir(type(client)) if not n.endswith("_async") and n.replace("_", "") == wanted
            ]
            if not found:
                raise TransportError("InvalidAction.NotFound", f"the SDK has no {action}", service, action)
            self._methods[key] = found[0]
        return self._methods[key]

    def call(self, service: str, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
        if service not in ("ram", "sts", "ims"):
            raise ValueError(f"unknown service {service!r}")
        name: sdk.Service = "ram" if service == "ram" else "sts" if service == "sts" else "ims"
        host = self.target.host(name)
        try:
            client = self._client(name)
            method = getattr(client, self._method(client, service, action))
            request_type = getattr(sdk.models(name), f"{action}Request", None)

            def invoke() -> Any:
                from darabonba.runtime import RuntimeOptions

                if request_type is None:  # e.g. STS GetCallerIdentity takes no request
                    return method(RuntimeOptions())
                return method(request_type().from_map(dict(params)), RuntimeOptions())

            response = sdk.call(host, invoke)
        except sdk.LiveError as exc:
            raise TransportError(exc.api_code, exc.message, service, action, exc.diagnostic()) from None
        return dict(response.body.to_map()) if response.body is not None else {}

"""`SdkTransport`: the account reader's transport over Alibaba's typed SDK clients (RAM 2015-05-01,
STS 2015-04-01, IMS 2019-08-15), e.g. `Client.list_users_with_options(ListUsersRequest, runtime)`.

Responses are the body's `to_map()`, the API's own shapes. SDK exceptions become `TransportError`
with the API's code (None for transport failures: refused connection, TLS, proxy).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ramstack.account.transport import TransportError


class SdkTransport:
    def __init__(self, clients: Mapping[str, Any]) -> None:
        """`clients`: "ram", "sts" and "ims" -> an SDK `Client`."""
        self.clients = dict(clients)
        self._methods: dict[tuple[str, str], str] = {}

    def _method(self, service: str, action: str) -> str:
        key = (service, action)
        if key not in self._methods:
            wanted = action.lower() + "withoptions"
            for name in dir(type(self.clients[service])):
                # list_oidcproviders_with_options <-> ListOIDCProviders: compare without underscores
                if not name.endswith("_async") and name.replace("_", "") == wanted:
                    self._methods[key] = name
                    break
            else:
                raise TransportError("InvalidAction.NotFound", f"the SDK has no {action}", service, action)
        return self._methods[key]

    def call(self, service: str, action: str, params: Mapping[str, Any]) -> dict[str, Any]:
        import importlib

        from darabonba.runtime import RuntimeOptions

        client = self.clients[service]
        method = getattr(client, self._method(service, action))
        models = importlib.import_module(f"{type(client).__module__.rsplit('.', 1)[0]}.models")
        request_type = getattr(models, f"{action}Request", None)
        try:
            if request_type is None:  # e.g. STS GetCallerIdentity takes no request
                response = method(RuntimeOptions())
            else:
                response = method(request_type().from_map(dict(params)), RuntimeOptions())
        except Exception as exc:  # every SDK failure, reported with the API's code when there is one
            code = getattr(exc, "code", None)
            message = str(getattr(exc, "message", None) or exc)
            raise TransportError(str(code) if code else None, message, service, action) from None
        body = response.body.to_map() if response.body is not None else {}
        return dict(body)


def sdk_transport(endpoint: str | None, region: str) -> SdkTransport:
    """Clients on the standard credential chain: `endpoint` (HOST:PORT) over HTTP for a local endpoint
    such as `ramstack serve`, else the regional endpoints over HTTPS."""
    from alibabacloud_credentials.client import Client as CredentialClient
    from alibabacloud_ims20190815.client import Client as ImsClient
    from alibabacloud_ram20150501.client import Client as RamClient
    from alibabacloud_sts20150401.client import Client as StsClient
    from alibabacloud_tea_openapi.utils_models import Config

    def config(default_host: str) -> Config:
        if endpoint:
            return Config(credential=CredentialClient(), endpoint=endpoint, protocol="http")
        return Config(credential=CredentialClient(), endpoint=default_host, region_id=region)

    return SdkTransport(
        {
            "ram": RamClient(config("ram.aliyuncs.com")),
            "sts": StsClient(config(f"sts.{region}.aliyuncs.com")),
            "ims": ImsClient(config("ims.aliyuncs.com")),
        }
    )

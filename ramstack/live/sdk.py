"""Clients of Alibaba's official SDKs for RAM (2015-05-01), STS (2015-04-01) and IMS (2019-08-15):
endpoint and protocol, credentials, and SDK exceptions mapped to ramstack diagnostics.

- `endpoint="HOST:PORT"` talks plain HTTP to a local endpoint (`ramstack serve`); without it the
  SDK's regional endpoints over HTTPS (STS `sts.<region>.aliyuncs.com`, RAM `ram.aliyuncs.com`, IMS
  `ims.aliyuncs.com`; live-sdk.md §3, VERIFIED).
- Credentials: explicit `StaticCredentials` (an AccessKey, or STS credentials with their token), or
  Alibaba's default chain (env `ALIBABA_CLOUD_ACCESS_KEY_ID`/`_SECRET`/`_SECURITY_TOKEN`, OIDC env,
  `~/.aliyun/config.json`, `~/.alibabacloud/credentials.ini`, ECS RAM role; live-sdk.md §2). The
  chain reads the environment when alibabacloud_credentials is first imported, so set it before.
- Signature: "acs3" (ACS3-HMAC-SHA256, the SDK's default) or "v1" (RPC HMAC-SHA1).
- The SDK applies HTTP(S)_PROXY even to 127.0.0.1 and ignores NO_PROXY (live-sdk.md §3, VERIFIED):
  for a loopback endpoint this process drops those variables, so a local endpoint is reached directly.

Every SDK failure becomes `LiveError` (code, message, request id, HTTP status, AccessDeniedDetail),
rendered as a located diagnostic `<api HOST>:1:1: error LIVE00n: ...`; secrets never appear in it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from ramstack.diagnostics import Diagnostic, Level, Location

Service = Literal["sts", "ram", "ims"]
Signature = Literal["acs3", "v1"]

DEFAULT_REGION = "cn-hangzhou"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")

# Diagnostic codes of the live verbs.
API_ERROR = "LIVE001"  # the API answered with an error code
UNREACHABLE = "LIVE002"  # no answer: refused, TLS, proxy, timeout, non-JSON body
NO_CREDENTIALS = "LIVE003"  # the credential chain found nothing usable
NOT_INSTALLED = "LIVE004"  # the SDK packages are missing

T = TypeVar("T")


@dataclass(frozen=True)
class StaticCredentials:
    access_key_id: str
    access_key_secret: str = field(repr=False)
    security_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Target:
    """Where the live verbs send requests."""

    endpoint: str | None = None  # HOST:PORT of a local endpoint (plain HTTP); None: Alibaba Cloud
    region: str = DEFAULT_REGION

    @property
    def local(self) -> bool:
        return self.endpoint is not None

    def host(self, service: Service) -> str:
        if self.endpoint is not None:
            return self.endpoint
        return f"sts.{self.region}.aliyuncs.com" if service == "sts" else f"{service}.aliyuncs.com"


class LiveError(Exception):
    """A failed live call, already explained: render() is one diagnostic line."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        host: str,
        api_code: str | None = None,
        request_id: str | None = None,
        http_status: int | None = None,
        detail: dict[str, Any] | None = None,
        fix: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.host = host
        self.api_code = api_code
        self.request_id = request_id
        self.http_status = http_status
        self.detail = detail or {}
        self.fix = fix

    def diagnostic(self) -> Diagnostic:
        return Diagnostic(Location(f"<api {self.host}>"), Level.ERROR, self.code, self.message, self.fix)

    def render(self) -> str:
        return self.diagnostic().format()


def not_installed(exc: ImportError) -> LiveError:
    return LiveError(
        NOT_INSTALLED,
        f"the live verbs need Alibaba's SDKs ({exc.name} is missing)",
        host="local",
        fix="pip install 'ramstack[live]'",
    )


def _is_loopback(endpoint: str) -> bool:
    host = endpoint.rsplit(":", 1)[0] if not endpoint.startswith("[") else endpoint.split("]")[0] + "]"
    return host in LOOPBACK_HOSTS


def _config(
    service: Service, target: Target, credentials: StaticCredentials | None, signature: Signature
) -> Any:
    from alibabacloud_tea_openapi.models import Config

    kwargs: dict[str, Any] = {"region_id": target.region}
    if target.endpoint is not None:
        kwargs.update(endpoint=target.endpoint, protocol="http")
        if _is_loopback(target.endpoint):
            for name in PROXY_VARIABLES:  # the SDK would send even loopback requests to the proxy
                os.environ.pop(name, None)
    else:
        kwargs.update(endpoint=target.host(service), protocol="https")
    if signature == "v1":
        kwargs["signature_algorithm"] = "v2"  # the SDK's name for RPC v1 HMAC-SHA1
    if credentials is not None:
        kwargs.update(
            access_key_id=credentials.access_key_id,
            access_key_secret=credentials.access_key_secret,
            security_token=credentials.security_token,
        )
    else:
        kwargs["credential"] = default_credential_chain(target.host(service))
    return Config(**kwargs)


def default_credential_chain(host: str) -> Any:
    """Alibaba's default credential chain (alibabacloud_credentials.client.Client())."""
    from alibabacloud_credentials.client import Client as CredentialClient

    # Its providers log each failed attempt, with a traceback, through their own stderr handler on
    # the "credentials" logger; the chain's failure is reported once, as LIVE003 (no_credentials).
    logging.getLogger("credentials").disabled = True
    try:
        return CredentialClient()
    except Exception as exc:  # the chain raises its own CredentialException and ValueErrors
        raise no_credentials(host, exc) from None


def no_credentials(host: str, exc: BaseException) -> LiveError:
    return LiveError(
        NO_CREDENTIALS,
        f"no usable credentials: {exc}",
        host=host,
        fix="export ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET (and "
        "ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials), or configure a profile with `aliyun configure`",
    )


def client(
    service: Service,
    target: Target,
    credentials: StaticCredentials | None = None,
    signature: Signature = "acs3",
) -> Any:
    """An official SDK client for `service` (alibabacloud_<service>.client.Client)."""
    try:
        config = _config(service, target, credentials, signature)
        if service == "sts":
            from alibabacloud_sts20150401.client import Client as StsClient

            return StsClient(config)
        if service == "ram":
            from alibabacloud_ram20150501.client import Client as RamClient

            return RamClient(config)
        from alibabacloud_ims20190815.client import Client as ImsClient

        return ImsClient(config)
    except ImportError as exc:
        raise not_installed(exc) from None


def models(service: Service) -> Any:
    """The SDK's request/response model module for `service`."""
    try:
        if service == "sts":
            from alibabacloud_sts20150401 import models as sts_models

            return sts_models
        if service == "ram":
            from alibabacloud_ram20150501 import models as ram_models

            return ram_models
        from alibabacloud_ims20190815 import models as ims_models

        return ims_models
    except ImportError as exc:
        raise not_installed(exc) from None


def call(host: str, operation: Callable[[], T]) -> T:
    """Run one SDK call; every failure becomes a `LiveError`."""
    try:
        return operation()
    except LiveError:
        raise
    except Exception as exc:
        raise to_live_error(host, exc) from None


# The API error codes of a bad credential (RAM/STS error centre); each LIVE001 carries a fix.
_CREDENTIAL_CODES = (
    "SignatureDoesNotMatch",
    "InvalidAccessKeyId",
    "InvalidSecurityToken",
    "InvalidAccessKey",
)


def api_error_fix(code: str) -> str:
    """The fix for an API error code (callers with more context, e.g. `assume`, refine it)."""
    if code.startswith(_CREDENTIAL_CODES):
        return (
            "check the credential chain: ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET "
            "must be one AccessKey pair (a wrong or stale secret fails the signature), and STS credentials "
            "need ALIBABA_CLOUD_SECURITY_TOKEN"
        )
    if code.startswith(("NoPermission", "Forbidden")):
        return (
            "the caller's policies (or the role's trust policy) do not allow this call; grant it or use "
            "another identity"
        )
    if code.startswith("Throttling"):
        return "retry later, with fewer calls per second"
    if code.startswith("EntityNotExist"):
        return "check the name or ARN: the account has no such entity"
    return (
        "see the API's error code and request id in Alibaba Cloud's error centre; check the credential chain"
    )


def to_live_error(host: str, exc: BaseException) -> LiveError:
    """SDK exceptions (live-sdk.md §6): ClientException (4xx) / ServerException (5xx) / Throttling
    carry the API's code; UnretryableException is a transport or non-JSON failure; a credential
    failure (`InvalidCredentials`, or the chain's CredentialException) is LIVE003."""
    code = getattr(exc, "code", None)
    status = getattr(exc, "status_code", None)
    inner = getattr(exc, "inner_exception", None) or exc
    if code == "InvalidCredentials" or "CredentialException" in (type(exc).__name__, type(inner).__name__):
        return no_credentials(host, inner)
    if code and status:
        data = getattr(exc, "data", None) or {}
        message = str(data.get("Message") or getattr(exc, "message", "") or code)
        detail = data.get("AccessDeniedDetail") if isinstance(data, dict) else None
        request_id = getattr(exc, "request_id", None) or (
            data.get("RequestId") if isinstance(data, dict) else None
        )
        return LiveError(
            API_ERROR,
            f"{code}: {message} (HTTP {status}, request id {request_id})",
            host=host,
            api_code=str(code),
            request_id=request_id,
            http_status=int(status),
            detail=detail if isinstance(detail, dict) else None,
            fix=api_error_fix(str(code)),
        )
    reason = getattr(inner, "message", None) or str(inner) or type(inner).__name__
    return LiveError(
        UNREACHABLE,
        f"no answer from {host}: {reason}",
        host=host,
        fix="check --endpoint (HOST:PORT of a running `ramstack serve`), the network and any HTTP(S)_PROXY",
    )

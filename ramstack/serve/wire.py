"""One HTTP request as the endpoint sees it, and the JSON answer it sends back.

Every RAM/STS/IMS operation of the official SDKs is `POST /` with all parameters in the URL query
and an empty body; RPC v1 callers may also send a form body or use GET (live-sdk.md §4). Action and
version travel in the `x-acs-action`/`x-acs-version` headers (ACS3) or the `Action`/`Version`
parameters (RPC v1).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

# API version -> the fake cloud's service, and the host its error bodies name.
SERVICES = {"2015-05-01": "ram", "2015-04-01": "sts", "2019-08-15": "ims"}
HOSTS = {"ram": "ram.aliyuncs.com", "sts": "sts.aliyuncs.com", "ims": "ims.aliyuncs.com"}

FORM = "application/x-www-form-urlencoded"
MAX_BODY_BYTES = 1 << 20  # RPC parameters are small; anything larger is refused before it is read


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: Mapping[str, str]  # lowercase names
    body: bytes = b""
    client_ip: str = "127.0.0.1"
    form: tuple[tuple[str, str], ...] = field(default=())

    @classmethod
    def parse(
        cls, method: str, target: str, headers: Mapping[str, str], body: bytes, client_ip: str
    ) -> HttpRequest:
        split = urlsplit(target)
        lowered = {k.lower(): v for k, v in headers.items()}
        form: tuple[tuple[str, str], ...] = ()
        if body and lowered.get("content-type", "").split(";")[0].strip().lower() == FORM:
            form = tuple(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        return cls(
            method.upper(),
            split.path or "/",
            tuple(parse_qsl(split.query, keep_blank_values=True)),
            lowered,
            body,
            client_ip,
            form,
        )

    @property
    def params(self) -> dict[str, str]:
        """Query and form parameters (the last of a repeated name wins)."""
        return dict(self.query + self.form)

    @property
    def action(self) -> str | None:
        return self.headers.get("x-acs-action") or self.params.get("Action")

    @property
    def version(self) -> str | None:
        return self.headers.get("x-acs-version") or self.params.get("Version")


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: dict[str, Any]

    def encode(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @property
    def request_id(self) -> str:
        return str(self.body.get("RequestId", ""))


def new_request_id() -> str:
    return str(uuid.uuid4()).upper()


def error_body(
    code: str,
    message: str,
    service: str | None,
    request_id: str | None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Alibaba's RPC error body: RequestId, HostId, Code, Message (+ AccessDeniedDetail for NoPermission)."""
    body: dict[str, Any] = {
        "RequestId": request_id or new_request_id(),
        "HostId": HOSTS.get(service or "", "ram.aliyuncs.com"),
        "Code": code,
        "Message": message,
    }
    body.update(extra or {})
    return body

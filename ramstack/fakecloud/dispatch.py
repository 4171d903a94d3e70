"""Calls by API name with wire parameters (`CreateUser`, `{"UserName": "alice"}`), for the loopback
HTTP server: PascalCase names become the snake_case keywords, strings become ints and booleans.

Unknown parameters are ignored, as the RPC gateway ignores them. `Missing<Parameter>` for an absent
required parameter and `InvalidAction.NotFound` follow the gateway's habits (UNCONFIRMED for RAM).
"""

from __future__ import annotations

import inspect
import re
import types
import typing
from collections.abc import Mapping
from typing import Any

from ramstack.fakecloud.errors import CloudError, invalid
from ramstack.fakecloud.service import Service

# Keywords that never come from request parameters (they describe the request's signer).
RESERVED = {"caller_access_key_id": "AccessKeyId"}

_ACRONYMS = {"oidc": "OIDC", "mfa": "MFA", "saml": "SAML"}


def to_snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def to_pascal(name: str) -> str:
    if name in RESERVED:
        return RESERVED[name]
    return "".join(_ACRONYMS.get(part, part.capitalize()) for part in name.split("_"))


def _coerce(value: Any, hint: Any, wire_name: str) -> Any:
    options = set(typing.get_args(hint)) if isinstance(hint, types.UnionType) else {hint}
    if not isinstance(value, str) or str in options:
        return value
    if bool in options:
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise invalid(wire_name, f"{wire_name} must be true or false, got {value!r}")
    if int in options:
        try:
            return int(value)
        except ValueError:
            raise invalid(wire_name, f"{wire_name} must be an integer, got {value!r}") from None
    return value


def dispatch(
    service: Service, action: str, params: Mapping[str, Any], signer: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    method_name = service.actions().get(action)
    if method_name is None:
        raise CloudError("InvalidAction.NotFound", f"Specified api is not found: {action}")
    implementation = getattr(type(service), method_name).__wrapped__
    signature = inspect.signature(implementation)
    hints = typing.get_type_hints(implementation)
    kwargs: dict[str, Any] = {}
    for wire_name, value in params.items():
        name = to_snake(wire_name)
        if name in signature.parameters and name != "self" and name not in RESERVED and value is not None:
            kwargs[name] = _coerce(value, hints[name], wire_name)
    for name, value in (signer or {}).items():
        if name in signature.parameters and value is not None:
            kwargs[name] = value
    for parameter in signature.parameters.values():
        required = parameter.kind is inspect.Parameter.KEYWORD_ONLY and parameter.default is parameter.empty
        if required and parameter.name not in kwargs:
            wire = to_pascal(parameter.name)
            raise CloudError(f"Missing{wire}", f"{wire} is mandatory for this action.")
    result: dict[str, Any] = getattr(service, method_name)(**kwargs)
    return result

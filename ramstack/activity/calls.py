"""An ActionTrail event -> the call it records: who (a ramstack subject), which RAM action(s), on
which resource, with the request context the evaluator reads.

Fields follow ActionTrail's event reference (eventName, serviceName, eventSource, eventTime,
acsRegion, sourceIpAddress, userIdentity{type, principalId, accountId, userName, accessKeyId,
sessionContext.attributes.mfaAuthenticated}, requestParameters, referencedResources, errorCode,
additionalEventData.Scheme); PascalCase spellings (EventName, UserIdentity.Type) are read too.

- Principal: `ram-user` -> `user/<userName>`; `assumed-role` (userName `RoleName:SessionName`, or an
  `acs:ram::<uid>:assumed-role/<Role>/<Session>` arn) -> `role/<RoleName>`; `root-account` ->
  `root-account/<uid>`; any other type -> `<type>/<principalId>`. A principal of another account
  keeps its account (`acs:ram::<uid>:user/NAME`).
- Action: the catalog's serviceName -> RAM code, and API -> action where they differ (OSS); a
  service whose action list is incomplete falls back to `<code>:<eventName>` (marked `assumed`).
- Resource: the RoleArn of an AssumeRole, OSS buckets/objects and RAM entities named by the event,
  else the catalog's ARN template filled from the request parameters; otherwise a placeholder
  (`acs:<svc>:<region>:<account>:*`, see `placeholder`).
- Context: acs:SourceIp (when an address), acs:CurrentTime, acs:MFAPresent, acs:SecureTransport.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from ramstack.diagnostics import Location
from ramstack.evaluate import actions_catalog as catalog

_PLACEHOLDER = re.compile(r"\{#([A-Za-z0-9_.]+)\}")
_RAM_ENTITIES = (("UserName", "user"), ("GroupName", "group"), ("RoleName", "role"), ("PolicyName", "policy"))
_SIGNIN = "ConsoleSignin"


@dataclass(frozen=True)
class Call:
    """One recorded event, mapped. `reason` is set (and `actions` empty) when it cannot be mapped."""

    principal: str
    account: str
    actions: tuple[str, ...]
    resource: str
    context: tuple[tuple[str, str], ...]
    time: datetime | None
    location: Location
    event_name: str = ""
    service_name: str = ""
    success: bool = True
    access_key: str | None = None  # a long-term AccessKey id (STS ones are not a user's key)
    signin: bool = False
    assumed: bool = False  # action inferred from the API name (service's action list incomplete)
    reason: str | None = None

    @property
    def resource_known(self) -> bool:
        return not is_placeholder(self.resource)


def placeholder(action: str, region: str, account: str) -> str:
    """The resource of a call whose event names none: any resource of the service in the event's
    region and account. Statements on `*` or `acs:<svc>:*:*:*` cover it; narrower ones do not, so
    such a call is never claimed allowed by a grant that might not cover the real resource."""
    return f"acs:{action.partition(':')[0]}:{region or '*'}:{account or '*'}:*"


def is_placeholder(resource: str) -> bool:
    return resource == "*" or (resource.endswith(":*") and resource.count(":") == 4)


def _normal_keys(data: Mapping[str, Any]) -> Mapping[str, Any]:
    """ActionTrail fields are camelCase; some serialisations write PascalCase (EventName)."""
    if isinstance(data, dict) and not any(k[:1].isupper() for k in data if isinstance(k, str)):
        return data  # the usual camelCase event: no copy
    return {_camel(k) if isinstance(k, str) else k: v for k, v in data.items()}


def _camel(key: str) -> str:
    # PascalCase (EventName) only: keys such as ACS::OSS::Object stay as they are
    return key[0].lower() + key[1:] if key[:1].isupper() and key[1:2].islower() else key


def _text(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def _mapping(value: Any) -> Mapping[str, Any]:
    return _normal_keys(value) if isinstance(value, dict) else {}


@lru_cache(maxsize=65536)
def _is_address(text: str) -> bool:
    """Addresses repeat across events: parse each once."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False  # "Internal", masked ("10.10.**.**"): the address is not known
    return True


def parse_time(text: str) -> datetime | None:
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def principal_of(identity: Mapping[str, Any]) -> tuple[str, str]:
    """(subject, account) of a userIdentity; subject `unknown/<type>` when it says too little."""
    kind = _text(identity.get("type")).lower()
    account = _text(identity.get("accountId"))
    name = _text(identity.get("userName"))
    if kind == "ram-user" and name:
        return f"user/{name}", account
    if kind == "assumed-role":
        arn = _text(identity.get("arn"))
        if ":assumed-role/" in arn:
            role = arn.split(":assumed-role/", 1)[1].split("/", 1)[0]
            return f"role/{role}", arn.split(":")[3] if arn.count(":") >= 4 else account
        if name:
            return f"role/{name.split(':', 1)[0]}", account
    if kind == "root-account":
        return f"root-account/{account or '?'}", account
    principal = _text(identity.get("principalId")) or "?"
    return f"{kind or 'unknown'}/{principal}", account


def _context(event: Mapping[str, Any], identity: Mapping[str, Any], when: str) -> tuple[tuple[str, str], ...]:
    out: list[tuple[str, str]] = []
    source = _text(event.get("sourceIpAddress"))
    if _is_address(source):
        out.append(("acs:SourceIp", source))
    if when:
        out.append(("acs:CurrentTime", when))
    attributes = _mapping(_mapping(identity.get("sessionContext")).get("attributes"))
    attributes = attributes or _mapping(_mapping(identity.get("sessionContext")).get("sessionAttributes"))
    mfa = _text(attributes.get("mfaAuthenticated")).lower()
    if mfa in ("true", "false"):
        out.append(("acs:MFAPresent", mfa))
    scheme = _text(_mapping(event.get("additionalEventData")).get("scheme")).lower()
    if scheme in ("http", "https"):
        out.append(("acs:SecureTransport", "true" if scheme == "https" else "false"))
    return tuple(out)


def _param(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if value is None:
        lowered = name.lower()
        value = next((v for k, v in params.items() if isinstance(k, str) and k.lower() == lowered), None)
    return _text(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _resource(action: str, event: Mapping[str, Any], params: Mapping[str, Any], account: str) -> str:
    service = action.partition(":")[0]
    if action == "sts:AssumeRole":
        return _param(params, "RoleArn") or "*"
    referenced = _mapping(event.get("referencedResources"))
    if service == "oss":
        objects = referenced.get("ACS::OSS::Object")
        buckets = referenced.get("ACS::OSS::Bucket")
        for found in (objects, buckets):
            if isinstance(found, list) and len(found) == 1 and isinstance(found[0], str):
                return f"acs:oss:*:{account}:{found[0]}"
        return "*"
    if service == "ram":
        for param, kind in _RAM_ENTITIES:
            value = _param(params, param)
            if value:
                return f"acs:ram:*:{account}:{kind}/{value}"
        return "*"
    info = catalog.action_info(action) or {}
    templates = info.get("resources") or []
    if len(templates) != 1:
        return "*"
    values = {"regionId": _text(event.get("acsRegion")) or "*", "accountId": account}

    def fill(match: re.Match[str]) -> str:
        key = match.group(1)
        return values.get(key) or _param(params, key) or "\0"

    filled = _PLACEHOLDER.sub(fill, str(templates[0]))
    return "*" if "\0" in filled or "*" in filled.rpartition(":")[2] else filled


def _actions(
    service_name: str, event_name: str, params: Mapping[str, Any]
) -> tuple[tuple[str, ...], bool, str | None]:
    code = catalog.service_for_event(service_name) if service_name else None
    if code is None:
        hinted = _param(params, "ServiceCode").lower()
        code = hinted if hinted and catalog.service_info(hinted) is not None else None
    if code is None:
        return (), False, f"service {service_name or '(none)'!r} has no RAM service code in the catalog"
    if not event_name:
        return (), False, "event has no eventName"
    mapped = catalog.api_actions(code, event_name)
    if mapped:
        return mapped, False, None
    if catalog.is_complete(code):
        return (), False, f"{event_name} is not an API that RAM authorises for {code} (console-internal?)"
    return (f"{code}:{event_name}",), True, None


def map_event(data: Mapping[str, Any], location: Location) -> Call:
    event = _normal_keys(data)
    identity = _mapping(event.get("userIdentity"))
    principal, account = principal_of(identity)
    account = account or _text(event.get("recipientAccountId"))
    when_text = _text(event.get("eventTime"))
    when = parse_time(when_text) if when_text else None
    iso = when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if when else ""
    error = _text(event.get("errorCode"))
    key = _text(identity.get("accessKeyId"))
    common: dict[str, Any] = {
        "principal": principal,
        "account": account,
        "time": when,
        "location": location,
        "event_name": _text(event.get("eventName")),
        "service_name": _text(event.get("serviceName")),
        "success": not error,
        "access_key": key if key and not key.upper().startswith(("STS.", "TMP.")) else None,
        "context": _context(event, identity, iso),
    }
    if _text(event.get("eventType")) == _SIGNIN or common["event_name"] == _SIGNIN:
        return Call(actions=(), resource="*", signin=True, **common)
    if not identity:
        return Call(actions=(), resource="*", reason="event has no userIdentity", **common)
    params = _mapping(event.get("requestParameters"))
    actions, assumed, reason = _actions(common["service_name"], common["event_name"], params)
    resource = _resource(actions[0], event, params, account) if len(actions) == 1 else "*"
    if resource == "*" and actions:
        resource = placeholder(actions[0], _text(event.get("acsRegion")), account)
    return Call(actions=actions, resource=resource, assumed=assumed, reason=reason, **common)

"""Known RAM actions per service code (ramstack/data/actions.json), access levels, wildcard expansion.

The catalog is built by scripts/gen_catalog.py from pinned public sources (Alibaba's OpenAPI
metadata, its SDKs, OSS's API-to-action table, a hand-curated overlay citing its pages);
`catalog_info()` returns the recorded provenance and snapshot date. Services outside it stay
unknown, so every answer separates "unknown action" from "service not in the catalog": `is_known`
returns None for the latter, `expand` flags it.

Access levels: read, list, write, permissions-management (a write that changes who may do what),
or None where the source gives none. `api_actions` maps an API operation to the actions RAM
authorises it under where they differ (OSS UploadPart -> oss:PutObject); `service_for_event`
maps ActionTrail's serviceName to the RAM code (ramstack/data/activity.json).

Matching is case-insensitive like action matching in the evaluator; results use the catalog's
casing (`ice:GetMediaInfo`).
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from ramstack.evaluate.matchers import PatternSet, has_wildcard
from ramstack.spelling import nearest


class Expansion(tuple[str, ...]):
    """The catalog actions a pattern covers (a tuple), plus what the catalog could not answer.

    `unknown_services`: literal service codes of the pattern that the catalog does not hold;
    `complete`: False when the pattern may cover actions outside the catalog (unknown service, or a
    wildcard in the service code such as `*` or `*:Get*`).
    """

    unknown_services: tuple[str, ...]
    complete: bool

    def __new__(
        cls, actions: tuple[str, ...], unknown_services: tuple[str, ...] = (), complete: bool = True
    ) -> Expansion:
        self = super().__new__(cls, actions)
        self.unknown_services = unknown_services
        self.complete = complete
        return self


@cache
def _raw() -> dict[str, Any]:
    text = resources.files("ramstack").joinpath("data/actions.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _services() -> dict[str, tuple[str, ...]]:
    return {
        code: tuple(f"{code}:{op}" for op in entry["actions"]) for code, entry in _raw()["services"].items()
    }


@cache
def _by_lower(service: str) -> dict[str, str]:
    """lowercased operation -> catalog spelling, for one service."""
    entry = _raw()["services"].get(service)
    return {op.lower(): op for op in entry["actions"]} if entry else {}


def catalog_info() -> dict[str, Any]:
    """Provenance: snapshot date, generator, sources, and per service its sources and counts."""
    raw = _raw()
    return {
        "snapshot": raw["snapshot"],
        "generator": raw["generator"],
        "sources": raw["sources"],
        "services": {
            code: {
                "names": entry["names"],
                "sources": entry["sources"],
                "code_source": entry["code_source"],
                "actions": len(entry["actions"]),
            }
            for code, entry in raw["services"].items()
        },
    }


def catalog_snapshot() -> str:
    return str(_raw()["snapshot"])


def services() -> tuple[str, ...]:
    return tuple(sorted(_services()))


def known_actions(service: str) -> tuple[str, ...]:
    """Every catalog action of a service code (`"ice"` -> `("ice:ActiveAiRtcLicense", ...)`);
    empty when the service is not in the catalog."""
    return _services().get(service.lower(), ())


def is_known(action: str) -> bool | None:
    """True/False for an action of a catalogued service (case-insensitive); None when the service
    is not in the catalog (nothing can be said)."""
    service, sep, _ = action.partition(":")
    service = service.lower()
    if not sep or service not in _services():
        return None
    return action.partition(":")[2].lower() in _by_lower(service)


@lru_cache(maxsize=8192)
def expand(pattern: str) -> Expansion:
    """The catalog actions an Action pattern covers: `ice:Get*` -> every ice action starting Get.
    Cached: lint asks for the same patterns in every document, and each scans a service's catalog."""
    matcher = PatternSet.of([pattern], ignore_case=True)
    service, sep, _ = pattern.partition(":")
    if not sep:  # "*" (or a malformed pattern): every service that matches
        found = tuple(a for code in services() for a in _services()[code] if matcher.matches(a.lower()))
        return Expansion(found, (), False)
    if has_wildcard(service):
        codes = PatternSet.of([service], ignore_case=True)
        found = tuple(
            a
            for code in services()
            if codes.matches(code)
            for a in _services()[code]
            if matcher.matches(a.lower())
        )
        return Expansion(found, (), False)
    code = service.lower()
    if code not in _services():
        return Expansion((), (code,), False)
    return Expansion(tuple(a for a in _services()[code] if matcher.matches(a.lower())))


@lru_cache(maxsize=16384)
def access_level(action: str) -> str | None:
    """read, list, write or permissions-management; None when unknown (or not in the catalog).
    Cached: the lint rules ask it of every action of every statement."""
    found = _catalog_name(action)
    if found is None:
        return None
    service, name = found
    level: str = _raw()["services"][service]["actions"][name]
    return level


def _catalog_name(action: str) -> tuple[str, str] | None:
    """(service code, the catalog's spelling of the action) for a literal action, any case."""
    service, sep, operation = action.partition(":")
    service = service.lower()
    name = _by_lower(service).get(operation.lower()) if sep else None
    return None if name is None else (service, name)


def action_info(action: str) -> dict[str, Any] | None:
    """The catalog's record of one literal action (case-insensitive): name (catalog spelling),
    level, and resources, conditions and source where recorded; None when not in the catalog."""
    found = _catalog_name(action)
    if found is None:
        return None
    service, name = found
    entry = _raw()["services"][service]
    details = entry.get("details", {}).get(name, {})
    return {"action": f"{service}:{name}", "level": entry["actions"][name], **details}


def service_info(service: str) -> dict[str, Any] | None:
    """A service's record: names, sources, code_source, action count, condition keys, API mapping."""
    entry = _raw()["services"].get(service.lower())
    if entry is None:
        return None
    return {
        "service": service.lower(),
        "names": entry["names"],
        "sources": entry["sources"],
        "code_source": entry["code_source"],
        "code_confirmed": bool(entry.get("code_confirmed", False)),
        "actions": len(entry["actions"]),
        "condition_keys": entry.get("condition_keys", []),
        "apis": entry.get("apis", {}),
    }


def api_actions(service: str, api: str) -> tuple[str, ...]:
    """The actions RAM authorises an API operation under: the mapped ones where the source says
    they differ (oss UploadPart -> oss:PutObject), else the operation's own action if catalogued."""
    entry = _raw()["services"].get(service.lower())
    if entry is None:
        return ()
    mapped = entry.get("apis", {}).get(api)
    if mapped:
        return tuple(mapped)
    name = _by_lower(service.lower()).get(api.lower())
    return (f"{service.lower()}:{name}",) if name else ()


@cache
def _activity() -> dict[str, Any]:
    text = resources.files("ramstack").joinpath("data/activity.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def _event_services() -> dict[str, str]:
    return {name.lower(): entry["code"] for name, entry in _activity()["service_names"].items()}


def service_for_event(service_name: str) -> str | None:
    """The RAM code for an ActionTrail event's serviceName (Ecs -> ecs, PrivateZone -> pvtz)."""
    return _event_services().get(service_name.lower())


def is_complete(service: str) -> bool:
    """Whether the catalog's action list of a service is meant to be complete (sts, ram, oss, ...):
    elsewhere it holds the API's operation names, and a real action can be missing from it."""
    entry = _raw()["services"].get(service.lower())
    return bool(entry and entry.get("complete"))


def suggest(action: str) -> str | None:
    """The catalog action of the same service that `action` is a near-miss of (kms:ListeAliases ->
    kms:ListAliases), or None."""
    service, sep, operation = action.partition(":")
    if not sep:
        return None
    hit = nearest(operation, _by_lower(service.lower()).values())
    return f"{service.lower()}:{hit}" if hit else None

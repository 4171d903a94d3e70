"""What is asked: an action on a resource, with a request context, optionally by a known caller.

Context values are always tuples of strings (a key may carry several values, e.g. tag keys);
`Request.of` accepts friendlier input (a single string, numbers, booleans) and normalises it.
The caller matters only to statements that name a `Principal` (trust policies).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from ramstack.policy.arn import RamEntity, parse_ram_entity

ASSUME_ROLE = "sts:AssumeRole"  # the action of a role assumption

CallerKind = Literal["user", "role", "service", "federated"]
ContextInput = Mapping[str, str | int | float | bool | Iterable[str | int | float | bool]]

_EMPTY: Mapping[str, tuple[str, ...]] = MappingProxyType({})


@dataclass(frozen=True)
class Caller:
    """Who makes a request: a RAM user or role (by ARN), a cloud service, or an identity provider.

    `arn` is `acs:ram::<uid>:user/<name>` / `role/<name>` / `oidc-provider|saml-provider/<name>`,
    or the service principal itself (`ecs.aliyuncs.com`) for kind "service".
    """

    kind: CallerKind
    arn: str

    @classmethod
    def user(cls, account: str, name: str) -> Caller:
        return cls("user", f"acs:ram::{account}:user/{name}")

    @classmethod
    def role(cls, account: str, name: str) -> Caller:
        return cls("role", f"acs:ram::{account}:role/{name}")

    @classmethod
    def service(cls, name: str) -> Caller:
        return cls("service", name)

    @classmethod
    def federated(cls, provider_arn: str) -> Caller:
        return cls("federated", provider_arn)

    @property
    def entity(self) -> RamEntity | None:
        return None if self.kind == "service" else parse_ram_entity(self.arn)

    def __str__(self) -> str:
        return self.arn


def _text(value: str | int | float | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def freeze_context(context: ContextInput | None) -> Mapping[str, tuple[str, ...]]:
    """A read-only `key -> tuple of strings`; keys with no values are dropped (absent)."""
    if not context:
        return _EMPTY
    out: dict[str, tuple[str, ...]] = {}
    for key, raw in context.items():
        if isinstance(raw, str | int | float | bool):
            values: tuple[str, ...] = (_text(raw),)
        else:
            values = tuple(_text(v) for v in raw)
        if values:
            out[str(key)] = values
    return MappingProxyType(out)


@dataclass(frozen=True)
class Request:
    action: str
    resource: str
    context: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: _EMPTY)
    caller: Caller | None = None
    _folded: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        return hash((self.action, self.resource, tuple(sorted(self.context.items())), self.caller))

    def __post_init__(self) -> None:
        folded: dict[str, tuple[str, ...]] = {}
        for key, values in self.context.items():
            folded.setdefault(key.lower(), ())
            folded[key.lower()] += values
        object.__setattr__(self, "_folded", folded)

    @classmethod
    def of(
        cls, action: str, resource: str, context: ContextInput | None = None, caller: Caller | None = None
    ) -> Request:
        return cls(action, resource, freeze_context(context), caller)

    def values(self, key: str, *, case_sensitive: bool = False) -> tuple[str, ...] | None:
        """The values of a context key, or None when the request does not carry it.

        Case-insensitive lookup expects `key` already lowercased (compiled conditions do that).
        """
        if case_sensitive:
            return self.context.get(key)
        return self._folded.get(key)

    def context_dict(self) -> dict[str, list[str]]:
        return {k: list(v) for k, v in self.context.items()}

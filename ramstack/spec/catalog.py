"""The catalog of Alibaba system policies: bundled (ramstack/data/system_policies.json), extensible.

The bundled file is built by scripts/gen_catalog.py from pinned public sources: every name that
Alibaba's "services that support RAM" pages listed (each version since 2018) with where it was
seen, and, for the policies whose reference page was read, the document with its version and
update date. A name can be known without a document: it validates, and evaluation reports its
permissions as unknown instead of guessing them.

`PolicyCatalog.extended()` layers more entries on top (what a live account lists, with its own
provenance and date) without touching the bundled data; `decide()` says what to do with a name
the catalog lacks: a typo of a known name (an error with a suggestion that never escalates), a
name with the shape of a system policy (a warning: it may exist, its permissions are unknown), or
neither (an error).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ramstack.policy.document import PolicyDocument
from ramstack.spelling import distance, typo_limit


@dataclass(frozen=True)
class SystemPolicy:
    """A system policy whose document is known (evaluable offline)."""

    name: str
    description: str
    version: str
    confirmed: bool
    document: PolicyDocument


@dataclass(frozen=True)
class PolicyEntry:
    """One catalog entry: the name, where it was seen, and the document if a source gave one."""

    name: str
    listed: tuple[str, ...] = ()
    document: Mapping[str, Any] | None = None
    version: str | None = None
    updated: str | None = None
    confirmed: bool = True
    document_source: str | None = None
    administrator_equivalent: bool = False

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "listed": list(self.listed)}
        if self.document is not None:
            out.update(
                document=dict(self.document),
                version=self.version,
                updated=self.updated,
                confirmed=self.confirmed,
                document_source=self.document_source,
            )
        else:
            out["document"] = None
        if self.administrator_equivalent:
            out["administrator_equivalent"] = True
        return out


@dataclass(frozen=True)
class PolicyCatalog:
    snapshot: str
    entries: Mapping[str, PolicyEntry]
    sources: Mapping[str, Any] = field(default_factory=dict)

    def names(self) -> frozenset[str]:
        return frozenset(self.entries)

    def get(self, name: str) -> PolicyEntry | None:
        return self.entries.get(name)

    def extended(
        self, entries: Iterable[PolicyEntry], source: str, snapshot: str | None = None
    ) -> PolicyCatalog:
        """A catalog with `entries` added or replacing bundled ones (e.g. a live account's list,
        whose documents are newer); `source` is recorded under sources["extensions"]."""
        merged = dict(self.entries)
        for entry in entries:
            merged[entry.name] = entry
        sources = {**self.sources, "extensions": [*self.sources.get("extensions", []), source]}
        return PolicyCatalog(snapshot or self.snapshot, merged, sources)

    def decide(self, name: str) -> Decision:
        return decide(name, self)

    def to_json(self) -> dict[str, Any]:
        """The bundled file's shape: what a live import writes so `from_json` can layer it."""
        policies = {}
        for name, entry in sorted(self.entries.items()):
            record = {k: v for k, v in entry.to_json().items() if k != "name" and v is not None}
            policies[name] = record
        return {"snapshot": self.snapshot, "sources": dict(self.sources), "policies": policies}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> PolicyCatalog:
        entries = {
            name: PolicyEntry(
                name=name,
                listed=tuple(e.get("listed", ())),
                document=e.get("document"),
                version=e.get("version"),
                updated=e.get("updated"),
                confirmed=bool(e.get("confirmed", True)),
                document_source=e.get("document_source"),
                administrator_equivalent=bool(e.get("administrator_equivalent", False)),
            )
            for name, e in data["policies"].items()
        }
        return cls(str(data["snapshot"]), entries, dict(data.get("sources", {})))


@cache
def _raw() -> dict[str, Any]:
    # the package's own data file, read by path: importlib.resources costs an import on every run
    text = (Path(__file__).parent.parent / "data" / "system_policies.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def bundled_catalog() -> PolicyCatalog:
    return PolicyCatalog.from_json(_raw())


def snapshot() -> str:
    return str(_raw()["snapshot"])


def system_policy_names() -> frozenset[str]:
    return bundled_catalog().names()


@cache
def system_policy(name: str) -> SystemPolicy | None:
    """The policy with its parsed document; None when the name is unknown or has no document."""
    entry = bundled_catalog().get(name)
    if entry is None or entry.document is None:
        return None
    from ramstack.policy.validate import parse_policy_dict

    document = parse_policy_dict(dict(entry.document), "permission", source=f"system:{name}")
    description = f"{name} {entry.version} ({entry.document_source})"
    return SystemPolicy(name, description, str(entry.version), entry.confirmed, document)


# -- names the catalog lacks -----------------------------------------------------------------------

# The shape of a system policy name: Aliyun + CamelCase + the suffix words system policies use.
_SHAPE = re.compile(r"^Aliyun[A-Z0-9][A-Za-z0-9]*(Access|Policy|Auth|ReadOnly|Admin)$")
_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+")
# Words after the service part of a name ("Aliyun" <service words> <these>).
_TAIL_WORDS = frozenset(
    {
        "Full",
        "Read",
        "Only",
        "Access",
        "Policy",
        "Auth",
        "Admin",
        "Role",
        "Write",
        "Management",
        "Upload",
        "Play",
    }
)


@dataclass(frozen=True)
class Decision:
    """What a name outside the catalog is: `typo` (error, `suggestion` set), `unlisted` (warning:
    well-formed, maybe real; `suggestion` may name a similar known policy of another service), or
    `invalid` (error; `suggestion` may be set)."""

    kind: Literal["typo", "unlisted", "invalid"]
    suggestion: str | None = None


def has_system_policy_shape(name: str) -> bool:
    return bool(_SHAPE.match(name))


def _split(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(Aliyun + service words, tail words): AliyunECSReadOnlyAccess -> (Aliyun, ECS), (Read, Only, ...)"""
    tokens = tuple(_TOKEN.findall(name))
    for i, token in enumerate(tokens):
        if i > 1 and token in _TAIL_WORDS:
            return tokens[:i], tokens[i:]
    return tokens, ()


def _rank(entry: PolicyEntry) -> int:
    """Privilege class for "never escalate": read-only < other < administrator-equivalent."""
    if entry.administrator_equivalent:
        return 2
    return 0 if "readonly" in entry.name.lower() else 1


def _typed_rank(name: str) -> int:
    return 0 if "readonly" in name.lower() else 1


def decide(name: str, catalog: PolicyCatalog | None = None) -> Decision:
    catalog = catalog or bundled_catalog()
    lowered = name.lower()
    for entry in catalog.entries.values():
        if entry.name.lower() == lowered:  # only the case differs: RAM names are case-sensitive
            return Decision("typo", entry.name)
    limit = typo_limit(name)
    typed_head, typed_tail = _split(name)
    typos: list[tuple[int, str]] = []
    others: list[tuple[int, str]] = []
    for entry in catalog.entries.values():
        d = distance(lowered, entry.name.lower(), limit)
        if d > limit:
            continue
        if entry.administrator_equivalent:
            continue  # never offered: a near-miss of an admin name is treated like any unknown name
        if _rank(entry) > _typed_rank(name):
            continue  # a read-only name is never "corrected" to a wider policy
        head, tail = _split(entry.name)
        if typed_tail and tail == typed_tail and head != typed_head:
            others.append((d, entry.name))  # another service's policy of the same kind
        else:
            typos.append((d, entry.name))
    if typos:
        return Decision("typo", min(typos)[1])
    if has_system_policy_shape(name):
        return Decision("unlisted", min(others)[1] if others else None)
    return Decision("invalid", None)

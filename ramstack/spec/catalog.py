"""The bundled catalog of Alibaba system policies (ramstack/data/system_policies.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from ramstack.policy.document import PolicyDocument


@dataclass(frozen=True)
class SystemPolicy:
    name: str
    description: str
    version: str
    confirmed: bool
    document: PolicyDocument


@cache
def _raw() -> dict[str, Any]:
    text = resources.files("ramstack").joinpath("data/system_policies.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)["policies"]
    return data


def system_policy_names() -> frozenset[str]:
    return frozenset(_raw())


@cache
def system_policy(name: str) -> SystemPolicy | None:
    entry = _raw().get(name)
    if entry is None:
        return None
    from ramstack.policy.validate import parse_policy_dict

    document = parse_policy_dict(entry["document"], "permission", source=f"system:{name}")
    return SystemPolicy(name, entry["description"], str(entry["version"]), bool(entry["confirmed"]), document)

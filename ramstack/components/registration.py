"""What the engine sees of one resource registration under the mock runtime: type, name, parent,
inputs (and which are secret), and the resource options that change how the engine acts on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Registration:
    urn: str
    typ: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    secret_inputs: frozenset[str]
    protect: bool
    delete_before_replace: bool
    alias_names: tuple[str, ...]
    dependencies: tuple[str, ...]
    alias_urns: tuple[str, ...] = ()
    ignore_changes: tuple[str, ...] = ()
    replace_with: tuple[str, ...] = ()
    replacement_trigger: Any = None

    @property
    def parent_type(self) -> str | None:
        if not self.parent:
            return None
        return self.parent.split("::")[2].split("$")[-1]

    @property
    def parent_name(self) -> str | None:
        return self.parent.split("::")[-1] if self.parent else None

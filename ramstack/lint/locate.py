"""Finding paths -> source locations, by walking the located trees of the files involved.

A path's first element names the tree: `users`/`groups`/`roles`/`oidc_providers` the access spec,
`policies` a custom policy file (second element: the policy name), `lint` the lint.yaml. The walk goes
as deep as the tree allows and returns the deepest location it reached, so a path to a defaulted key
(absent from the file) still points at its parent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ramstack.diagnostics import Location
from ramstack.lint.finding import FindingPath
from ramstack.source import LList, LMap

SPEC_ROOTS = ("users", "groups", "roles", "oidc_providers")


@dataclass(frozen=True)
class Source:
    file: str
    tree: Any  # LMap/LList from ramstack.source (None when the file could not be read)


@dataclass(frozen=True)
class Locator:
    spec: Source | None = None
    policies: Mapping[str, Source] = field(default_factory=dict)
    lint: Source | None = None

    def locate(self, path: FindingPath) -> Location | None:
        if not path:
            return Location(self.spec.file) if self.spec else None
        head = path[0]
        if head in SPEC_ROOTS and self.spec is not None:
            return walk(self.spec, path)
        if head == "policies" and len(path) >= 2:
            source = self.policies.get(str(path[1]))
            return walk(source, path[2:]) if source is not None else None
        if head == "lint" and self.lint is not None:
            return walk(self.lint, path[1:])
        return None


def walk(source: Source, path: FindingPath) -> Location:
    node = source.tree
    loc = node.loc if isinstance(node, LMap | LList) else Location(source.file)
    for element in path:
        if isinstance(node, LMap) and isinstance(element, str) and element in node:
            child = node[element]
            loc = node.key_loc(element) if isinstance(child, LMap | LList) else node.value_loc(element)
            node = child
            continue
        if isinstance(node, LList):
            index = _item_index(node, element)
            if index is not None:
                loc = node.item_loc(index)
                node = node[index]
                continue
        break
    return loc


def _item_index(items: LList, element: str | int) -> int | None:
    if isinstance(element, int):
        return element if 0 <= element < len(items) else None
    for index, item in enumerate(items):
        if isinstance(item, str | int | float) and not isinstance(item, bool) and str(item) == element:
            return index
    return None

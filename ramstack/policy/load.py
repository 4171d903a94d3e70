"""Load a policy file: parse (located) -> substitute `${variables}` -> validate."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ramstack.diagnostics import Diagnostics, Location
from ramstack.policy.document import PolicyDocument, PolicyKind
from ramstack.policy.validate import validate_policy
from ramstack.policy.variables import substitute
from ramstack.source import load_file

POLICY_SUFFIXES = (".json", ".yaml", ".yml")


def load_policy_file(
    path: Path,
    kind: PolicyKind,
    diags: Diagnostics,
    *,
    variables: Mapping[str, str] | None = None,
    display: str | None = None,
    levels: Mapping[str, str] | None = None,
) -> PolicyDocument | None:
    """The validated document, or None when the file has errors (all of them are in `diags`).

    `display` is the name diagnostics show (default: the path). `levels` overrides code levels for
    this file only, on top of `diags.levels`.
    """
    name = display or str(path)
    local = Diagnostics(levels={**diags.levels, **(levels or {})})
    doc: PolicyDocument | None = None
    if path.suffix.lower() not in POLICY_SUFFIXES:
        local.error(
            Location(name),
            "POL019",
            f"policy file {path.name!r} must end in .json, .yaml or .yml",
            "rename it; the extension selects the parser",
        )
    else:
        tree = load_file(path, local, display=name)
        if tree is not None:
            if variables is not None:
                tree = substitute(tree, variables, local, file=name)
            doc = validate_policy(tree, kind, local, file=name)
    diags.items.extend(local.items)
    return None if local.has_errors else doc

"""Load a policy file: parse (located) -> substitute `${variables}` -> validate."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ramstack.diagnostics import Diagnostics, Location
from ramstack.policy.document import PolicyDocument, PolicyKind
from ramstack.policy.validate import validate_policy
from ramstack.policy.variables import substitute
from ramstack.source import load_file

POLICY_SUFFIXES = (".json", ".yaml", ".yml")


def detect_kind(tree: Any) -> PolicyKind:
    """`trust` when a statement has a `Principal` element, else `permission`.

    Only resource-based policies (trust policies among RAM's) carry a Principal (reference §1 [S2]).
    A permission policy written with a stray Principal is then checked as a trust policy; an explicit
    kind (`check-policy --kind permission`) reports the Principal itself (POL011).
    """
    statements = tree.get("Statement") if isinstance(tree, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if isinstance(statements, list) and any(isinstance(s, dict) and "Principal" in s for s in statements):
        return "trust"
    return "permission"


def load_policy_file(
    path: Path,
    kind: PolicyKind | None,
    diags: Diagnostics,
    *,
    variables: Mapping[str, str] | None = None,
    display: str | None = None,
    levels: Mapping[str, str] | None = None,
) -> PolicyDocument | None:
    """The validated document, or None when the file has errors (all of them are in `diags`).

    `display` is the name diagnostics show (default: the path). `levels` overrides code levels for
    this file only, on top of `diags.levels`. A `kind` of None reads it from the document
    (`detect_kind`).
    """
    return load_policy_tree(path, kind, diags, variables=variables, display=display, levels=levels)[0]


def load_policy_tree(
    path: Path,
    kind: PolicyKind | None,
    diags: Diagnostics,
    *,
    variables: Mapping[str, str] | None = None,
    display: str | None = None,
    levels: Mapping[str, str] | None = None,
) -> tuple[PolicyDocument | None, Any]:
    """`load_policy_file`, and the located tree the document was validated from (substituted; None
    when the file did not parse), for callers that point findings into the file (`lint --policy`)
    without reading and parsing it a second time."""
    name = display or str(path)
    local = Diagnostics(levels={**diags.levels, **(levels or {})})
    doc: PolicyDocument | None = None
    tree: Any = None
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
            # A value the loader or the substitution already rejected (an alias, an unknown
            # ${reference}) has unknown content: grammar findings there would only repeat it.
            unresolved = {d.location for d in local.errors}
            grammar = Diagnostics(levels=local.levels)
            doc = validate_policy(tree, kind or detect_kind(tree), grammar, file=name)
            local.items.extend(d for d in grammar.items if d.location not in unresolved)
    diags.items.extend(local.items)
    return (None if local.has_errors else doc), tree

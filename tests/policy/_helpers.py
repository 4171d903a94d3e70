"""Shared helpers for the policy tests."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from ramstack.diagnostics import Diagnostics
from ramstack.policy.document import PolicyDocument, PolicyKind
from ramstack.policy.validate import validate_policy
from ramstack.source import parse_text

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = REPO_ROOT.parent / "shared" / "corpus" / "real-policies"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def check(
    text: str,
    kind: PolicyKind = "permission",
    *,
    file: str = "policy.yaml",
    levels: dict[str, str] | None = None,
) -> tuple[PolicyDocument | None, Diagnostics]:
    """Parse `text` (dedented) as `file` and validate it."""
    diags = Diagnostics(levels=dict(levels or {}))
    tree = parse_text(textwrap.dedent(text).lstrip("\n"), file, diags)
    assert not diags.items, [d.format() for d in diags.items]
    doc = validate_policy(tree, kind, diags, file=file)
    return doc, diags


def located(diags: Diagnostics) -> set[tuple[str, int, int]]:
    return {(d.code, d.location.line, d.location.column) for d in diags}


def codes(diags: Diagnostics) -> set[str]:
    return {d.code for d in diags}


_ROW = re.compile(r"^\|\s*([^|\s]+\.json)\s*\|\s*(permission|trust)\s*\|")


def corpus_kinds() -> dict[str, PolicyKind]:
    """file name -> kind, from the corpus INDEX.md table (second column)."""
    out: dict[str, PolicyKind] = {}
    for line in (CORPUS_DIR / "INDEX.md").read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            out[match.group(1)] = "trust" if match.group(2) == "trust" else "permission"
    return out

"""Hard requirement: every real-world document in the shared corpus validates without errors.

The corpus lives beside the clone (../shared/corpus/real-policies), not in the repository.
"""

from __future__ import annotations

import json

import pytest

from ramstack.diagnostics import Diagnostics, Level
from ramstack.policy.document import PolicyKind
from ramstack.policy.load import load_policy_file
from ramstack.policy.validate import validate_policy

from ._helpers import CORPUS_DIR, corpus_kinds

pytestmark = pytest.mark.skipif(
    not (CORPUS_DIR / "INDEX.md").is_file(),
    reason=f"real-policy corpus not found at {CORPUS_DIR} (expected shared/ beside the repository clone)",
)

EXPECTED_COUNT = 120


def _cases() -> list[tuple[str, PolicyKind]]:
    if not (CORPUS_DIR / "INDEX.md").is_file():
        return []
    return sorted(corpus_kinds().items())


def test_index_lists_every_file_once() -> None:
    kinds = corpus_kinds()
    assert len(kinds) == EXPECTED_COUNT
    on_disk = {p.name for p in CORPUS_DIR.glob("*.json")}
    assert on_disk == set(kinds)
    assert sorted(set(kinds.values())) == ["permission", "trust"]


@pytest.mark.parametrize(("name", "kind"), _cases())
def test_corpus_document_has_no_errors(name: str, kind: PolicyKind) -> None:
    diags = Diagnostics()
    doc = load_policy_file(CORPUS_DIR / name, kind, diags)
    errors = [d.format() for d in diags if d.level is Level.ERROR]
    assert errors == []
    assert doc is not None
    assert doc.kind == kind
    assert doc.source == str(CORPUS_DIR / name)
    assert all(s.location is not None and s.location.file == str(CORPUS_DIR / name) for s in doc.statements)


@pytest.mark.parametrize(("name", "kind"), _cases())
def test_corpus_document_round_trips(name: str, kind: PolicyKind) -> None:
    diags = Diagnostics()
    doc = load_policy_file(CORPUS_DIR / name, kind, diags)
    assert doc is not None
    again = validate_policy(json.loads(doc.to_json()), kind, Diagnostics(), file="<rendered>")
    assert again == doc
    assert again is not None and again.to_json() == doc.to_json()


def test_corpus_counts() -> None:
    """All 120 validate; the warnings they draw are the unconfirmed forms the INDEX notes."""
    kinds = corpus_kinds()
    ok = 0
    warned: set[str] = set()
    for name, kind in kinds.items():
        diags = Diagnostics()
        if load_policy_file(CORPUS_DIR / name, kind, diags) is not None:
            ok += 1
        warned |= {d.code for d in diags}
    assert ok == EXPECTED_COUNT
    # unprefixed key "Action", ForAllValues:, duplicate action, uid@log.aliyuncs.com; the empty
    # "Condition": {} of Alibaba's own system policy and guides draws nothing (POL104 is for operators)
    assert warned == {"POL103", "POL105", "POL108", "POL112"}


@pytest.mark.parametrize(("name", "kind"), _cases())
def test_corpus_document_kind_is_detected(name: str, kind: PolicyKind) -> None:
    diags = Diagnostics()
    doc = load_policy_file(CORPUS_DIR / name, None, diags)
    assert doc is not None and doc.kind == kind


def test_check_policy_accepts_the_whole_corpus_in_one_call(capsys: pytest.CaptureFixture[str]) -> None:
    from ramstack.cli import main

    assert main(["check-policy", str(CORPUS_DIR), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["valid"], out["documents"]) == (True, EXPECTED_COUNT)
    assert out["kinds"] == {"permission": 92, "trust": 28}
    # --kind still forces one reading for every file
    assert main(["check-policy", str(CORPUS_DIR), "--kind", "trust"]) == 2


def test_alibabas_own_empty_conditions_draw_nothing() -> None:
    for name in ("sys-service-role-sfm-access-oss.json", "ramdoc-vpc-empty-conditions.json"):
        diags = Diagnostics()
        assert load_policy_file(CORPUS_DIR / name, "permission", diags) is not None
        assert [d.format() for d in diags] == []

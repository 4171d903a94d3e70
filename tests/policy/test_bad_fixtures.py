"""The bad-input corpus: each file in fixtures/bad yields its located error(s), never a traceback.

fixtures/bad/EXPECTED.txt lists `file code line` per expected error. Files named `trust-*` are
trust policies; the rest are permission policies.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from ramstack.diagnostics import Diagnostics, Level
from ramstack.policy.load import load_policy_file

from ._helpers import FIXTURES

BAD = FIXTURES / "bad"
VARIABLES = {"account_id": "1234567890123456", "bucket": "my-bucket"}


def _expected() -> dict[str, set[tuple[str, int]]]:
    out: dict[str, set[tuple[str, int]]] = defaultdict(set)
    for raw in (BAD / "EXPECTED.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        name, code, number = line.split()
        out[name].add((code, int(number)))
    return dict(out)


EXPECTED = _expected()


def test_every_fixture_has_an_expectation() -> None:
    files = {p.name for p in BAD.iterdir() if p.suffix in (".json", ".yaml", ".yml")}
    assert files == set(EXPECTED)
    assert len(files) >= 30


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_fixture(name: str) -> None:
    diags = Diagnostics()
    kind = "trust" if name.startswith("trust-") else "permission"
    doc = load_policy_file(BAD / name, kind, diags, variables=VARIABLES, display=f"bad/{name}")
    assert doc is None
    errors = {(d.code, d.location.line) for d in diags if d.level is Level.ERROR}
    assert errors == EXPECTED[name], [d.format() for d in diags]
    assert all(d.location.file == f"bad/{name}" for d in diags)
    assert all(d.fix for d in diags if d.code.startswith(("POL", "VAR")))


def test_fixture_names_are_ordinary_paths() -> None:
    assert all(Path(name).name == name for name in EXPECTED)

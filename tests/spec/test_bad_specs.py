"""Every bad spec in fixtures/bad yields its located error(s): code and line, no traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.diagnostics import Diagnostics, InvalidInput, Level
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec

FIXTURES = Path(__file__).parent / "fixtures"
CASES = sorted((FIXTURES / "bad").glob("*.yaml"))


def expectations(path: Path) -> list[tuple[str, int]]:
    first = path.read_text().splitlines()[0]
    match = re.match(r"# expect: (.+)", first)
    assert match, f"{path.name} lacks an '# expect:' header"
    words = match.group(1).split()
    return [(words[i], int(words[i + 1])) for i in range(0, len(words), 2)]


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_spec_reports_located_errors(case: Path, project, monkeypatch) -> None:
    folder = project(case.read_text(), policies_from=FIXTURES / "policies")
    monkeypatch.chdir(folder)
    diags = Diagnostics()
    config = load_stack_config(Path("."), "test", diags)
    assert config is not None
    with pytest.raises(InvalidInput) as raised:
        load_spec(config, diags)
    found = {
        (d.code, d.location.line)
        for d in raised.value.diagnostics
        if d.level is Level.ERROR and d.location.file == "access.yaml"
    }
    for code, line in expectations(case):
        assert (code, line) in found, f"expected {code} at line {line}; got {sorted(found)}"
    for d in raised.value.diagnostics:
        assert d.message and d.location.line >= 1 and d.location.column >= 1


@pytest.mark.parametrize("case", CASES[:5], ids=[c.stem for c in CASES[:5]])
def test_cli_validate_prints_diagnostics_and_exits_2(case: Path, project, monkeypatch, capsys) -> None:
    folder = project(case.read_text(), policies_from=FIXTURES / "policies")
    monkeypatch.chdir(folder)
    assert main(["validate", "--stack", "test", "--quiet"]) == 2
    out = capsys.readouterr()  # --quiet: stderr holds the diagnostics alone
    assert "Traceback" not in out.out + out.err
    lines = [line for line in out.err.splitlines() if line]
    assert lines, "no diagnostics printed"
    pattern = re.compile(r"^[^:]+:\d+:\d+: (error|warning) [A-Z]+\d{3}: .+")
    assert all(pattern.match(line) for line in lines), lines
    assert lines == sorted(lines, key=lambda s: (s.split(":")[0], int(s.split(":")[1]), int(s.split(":")[2])))

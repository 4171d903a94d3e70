"""Every file ramstack writes is written atomically; a failure is IO010 naming the path, exit 2."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from ramstack.cli import main


def test_lint_writes_sarif_to_a_file(dev: Path, capsys) -> None:
    target = dev / "results.sarif"
    assert main(["lint", "--format", "sarif", "--output", str(target), "--fail-on", "none"]) == 0
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert capsys.readouterr().out == ""  # the report went to the file only
    assert sorted(p.name for p in dev.iterdir() if p.name.startswith(".results")) == []


@pytest.mark.parametrize("verb", [["lint", "--format", "sarif"], ["lock"], ["schema"]])
def test_writing_into_a_missing_folder_is_io010(dev: Path, capsys, verb: list[str]) -> None:
    target = dev / "missing" / "out.json"
    if verb == ["schema"]:  # schema makes its output folder: make that impossible instead
        (dev / "missing").write_text("a file where a folder belongs")
    assert main([*verb, "--output", str(target)]) == 2
    captured = capsys.readouterr()
    assert "error IO010" in captured.err and str(target.parent) in captured.err
    assert "Traceback" not in captured.out + captured.err


@pytest.mark.parametrize("verb", [["lint", "--format", "sarif"], ["lock"]])
def test_a_failed_write_keeps_the_old_file(dev: Path, capsys, monkeypatch, verb: list[str]) -> None:
    target = dev / "out.json"
    target.write_text("old")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    assert main([*verb, "--output", str(target)]) == 2
    assert "No space left on device" in capsys.readouterr().err
    assert target.read_text() == "old"
    assert [p.name for p in dev.iterdir() if p.name.startswith(".out.json")] == []


def test_writing_onto_a_directory_is_io010(dev: Path, capsys) -> None:
    (dev / "taken").mkdir()
    assert main(["lint", "--format", "sarif", "--output", str(dev / "taken")]) == 2
    assert "error IO010" in capsys.readouterr().err

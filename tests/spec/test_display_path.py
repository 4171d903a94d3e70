"""`display_path`: a file as messages show it, relative to the working folder when it is inside it
(symlinks resolved), else as given; the same answer as pathlib's resolve and relative_to."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ramstack.spec.load import display_path


def reference(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        return str(path)


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """work/ (the working folder) with policies/, a link to it, a link to a file outside, a dangling
    link and a link loop; outside/ beside it."""
    work, outside = tmp_path / "work", tmp_path / "outside"
    (work / "policies").mkdir(parents=True)
    outside.mkdir()
    (work / "policies" / "a.json").write_text("{}")
    (outside / "b.json").write_text("{}")
    (work / "linked").symlink_to(work / "policies")
    (work / "policies" / "out.json").symlink_to(outside / "b.json")
    (work / "policies" / "gone.json").symlink_to(work / "nowhere.json")
    (work / "loop.json").symlink_to(work / "loop.json")
    monkeypatch.chdir(work)
    return work


CASES = [
    "policies/a.json",
    "./policies/a.json",
    "policies/../policies/a.json",
    "linked/a.json",
    "policies/out.json",
    "policies/gone.json",
    "loop.json",
    "access.yaml",
    ".",
    "..",
    "policies",
    "../outside/b.json",
    "/",
    "/nonexistent/x.json",
]


@pytest.mark.parametrize("text", CASES)
def test_display_path_is_pathlibs_answer(tree: Path, text: str) -> None:
    for path in (Path(text), tree / text if not text.startswith("/") else Path(text)):
        assert display_path(path) == reference(path), path


def test_display_path_from_the_root_folder(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir("/")
    for path in (tree / "policies" / "a.json", Path(os.path.relpath(tree / "policies" / "a.json", "/"))):
        assert display_path(path) == reference(path) == str(tree / "policies" / "a.json").lstrip("/")


def test_a_name_with_a_nul_is_shown_without_resolving_it(tree: Path) -> None:
    """No file can have it (the loader reports it missing); showing it must not raise."""
    for path in (Path("policies/nul\x00.json"), tree / "policies" / "nul\x00.json"):
        assert display_path(path) == "policies/nul\x00.json"
    assert display_path(Path("nul\x00")) == "nul\x00"

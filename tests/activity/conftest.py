"""Fixtures of the activity tests: a copy of the dev stack, and Alibaba's published ActionTrail
samples (they live beside the clone in ../shared; tests that need them skip where it is absent)."""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import copy_root_project

ROOT = Path(__file__).resolve().parents[2]
SAMPLES_FILE = ROOT.parent / "shared/corpus/actiontrail/samples.json"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the dev stack project as the working directory."""
    monkeypatch.chdir(copy_root_project(tmp_path, lock=False))
    return tmp_path


@cache
def _samples() -> dict[str, Any] | None:
    if not SAMPLES_FILE.is_file():
        return None
    data: dict[str, Any] = json.loads(SAMPLES_FILE.read_text(encoding="utf-8"))
    return data


def actiontrail_samples() -> dict[str, Any]:
    """The published samples, or a skip naming where they were expected."""
    data = _samples()
    if data is None:
        pytest.skip(f"ActionTrail samples not found at {SAMPLES_FILE} (expected shared/ beside the clone)")
    return data


def samples_as_array() -> str:
    """Every published sample as one JSON array text, as delivered (some are not valid JSON)."""
    return "[\n" + ",\n".join(s["raw"] for s in actiontrail_samples()["samples"]) + "\n]\n"


def git_commit(project: Path) -> None:
    """The project as the first commit of a new git repository (the base of --base-ref HEAD)."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    subprocess.run(["git", "add", "."], cwd=project, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=project, check=True)

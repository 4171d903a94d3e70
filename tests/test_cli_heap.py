"""A bounded verb (validate, lint, lock, diff, check-policy) or plan run as its own process freezes
what it built before the interpreter exits, so shutdown does not walk it looking for cycles; called
from Python (`main(argv)`), it leaves the caller's collector as it was."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ramstack.cli import main
from tests.conftest import copy_root_project

ROOT = Path(__file__).resolve().parents[1]
SPEC = "users:\n  alice: {}\n"

# `python -m ramstack` in short: main() as the process's own entry, then what it left frozen
PROBE = "import gc; from ramstack.cli import main; code = main(); print(code, gc.get_freeze_count() > 0)"


def run_probe(*argv: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, env=env, check=False
    )
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.parametrize(("verb", "frozen"), [("validate", True), ("plan", True), ("rules", False)])
def test_a_verb_that_builds_a_large_heap_freezes_it_as_its_own_process(
    tmp_path: Path, verb: str, frozen: bool
) -> None:
    folder = copy_root_project(tmp_path)
    argv = [verb, "-C", str(folder), "--stack", "dev"] if verb != "rules" else ["rules"]
    assert run_probe(*argv) == f"0 {frozen}"


def test_main_called_from_python_leaves_the_collector_alone(project, capsys) -> None:
    folder = project(SPEC)
    enabled, frozen = gc.isenabled(), gc.get_freeze_count()
    assert main(["validate", "-C", str(folder), "--stack", "test"]) == 0
    assert (gc.isenabled(), gc.get_freeze_count()) == (enabled, frozen)

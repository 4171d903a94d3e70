"""The stack program's runs leave no event loop open: nothing for the garbage collector to close
(noisily) at interpreter exit."""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
from pathlib import Path

from tests.pulumi.conftest import ROOT, RunStack


def _open_loops() -> list[asyncio.AbstractEventLoop]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, asyncio.BaseEventLoop) and not o.is_closed()]


def test_a_program_run_closes_every_event_loop_it_made(run_stack: RunStack) -> None:
    before = {id(loop) for loop in _open_loops()}
    run = run_stack(passwords={"alice": "Plan-Test-Passw0rd!"})
    assert run.resources  # the run did register resources (through the executor threads)
    assert [loop for loop in _open_loops() if id(loop) not in before] == []


def test_plan_in_fresh_processes_writes_nothing_to_stderr(tmp_path: Path) -> None:
    """What a user sees: `ramstack plan` exits 0 with an empty stderr, run after run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "ramstack", "plan", "--quiet"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for process in runs:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        # --quiet: no summary line, so stderr holds the spec's one warning and nothing from the runtime
        assert err.splitlines() == [line for line in err.splitlines() if "warning SPEC018" in line], err
        assert len(err.splitlines()) == 1, err
        assert "user/ims-app" in out

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest

from ramstack.components.mock_cloud import FakeCloudMocks
from ramstack.components.mock_engine import StackState
from ramstack.components.mock_runtime import ProgramRun, run_program, stack_config
from ramstack.fakecloud import FakeCloud

ROOT = Path(__file__).resolve().parents[2]


def dev_project(folder: Path, spec: str) -> Path:
    """The dev stack's Pulumi project (Pulumi.yaml, its config, the program) around `spec`, with an
    empty policies folder: the project plan and the stack program read."""
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py"):
        (folder / name).write_text((ROOT / name).read_text())
    (folder / "policies").mkdir(exist_ok=True)
    (folder / "access.yaml").write_text(spec)
    return folder


PROGRAM = ROOT / "__main__.py"
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "Pulumi.example.yaml").exists())

RunStack = Callable[..., ProgramRun]


@pytest.fixture
def run_stack(monkeypatch: pytest.MonkeyPatch) -> RunStack:
    """Run the real __main__.py in-process, in a fresh mock runtime backed by a fresh fake cloud."""

    def run(
        project_dir: Path = ROOT,
        stack: str = "dev",
        *,
        passwords: Mapping[str, str] | None = None,
        extra_config: Mapping[str, Any] | None = None,
        cloud: FakeCloud | None = None,
        state: StackState | None = None,
        capture_errors: bool = False,
        fast: bool = True,
    ) -> ProgramRun:
        monkeypatch.chdir(project_dir)
        config, secret_keys = stack_config(project_dir, stack)
        for key, value in (extra_config or {}).items():
            config[key] = value if isinstance(value, str) else json.dumps(value)
        if passwords:
            config["ramstack:passwords"] = json.dumps(dict(passwords))
            secret_keys.append("ramstack:passwords")
        # With a StackState (and the same cloud), runs follow each other like `pulumi up`s.
        mocks = FakeCloudMocks(cloud or FakeCloud(), state=state)
        return run_program(
            PROGRAM,
            mocks=mocks,
            stack=stack,
            config=config,
            secret_keys=secret_keys,
            capture_errors=capture_errors,
            fast=fast,
        )

    return run

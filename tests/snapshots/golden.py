"""Golden files of the verbs' text output: one file per command, holding the command line, its exit
code, stdout and stderr. `pytest --update-snapshots` rewrites them from the current output; review
the change with `git diff tests/snapshots/golden/` before committing it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pytest


def transcript(argv: list[str], code: int, out: str, err: str) -> str:
    """What a golden file holds: `$ ramstack ...`, the exit code, then stdout and stderr."""
    return f"$ ramstack {' '.join(argv)}\nexit {code}\n--- stdout\n{out}--- stderr\n{err}"


@dataclass(frozen=True)
class Golden:
    folder: Path
    update: bool = False

    def __call__(self, name: str, text: str) -> None:
        path = self.folder / f"{name}.txt"
        if self.update:
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            return
        if not path.exists():
            pytest.fail(f"no golden file {path.name}: run pytest tests/snapshots --update-snapshots")
        expected = path.read_text(encoding="utf-8")
        if expected != text:
            diff = "".join(
                difflib.unified_diff(
                    expected.splitlines(keepends=True),
                    text.splitlines(keepends=True),
                    f"golden/{path.name}",
                    "output",
                )
            )
            pytest.fail(
                f"{name}: the output differs from its golden file (pytest --update-snapshots if intended)\n"
                + diff
            )

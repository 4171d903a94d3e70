"""Progress on stderr for runs that take a while: plan (per resource registered), import and drift
(per API call), lint of many principals or files.

Shown only when stderr is a terminal (`--progress` forces it, `--no-progress` and `--quiet` turn it
off), so pipes and CI logs never carry it; the line is erased when the task ends, leaving stderr as
it would be without it. It appears only once a task has run for DELAY seconds, so quick runs show
nothing and never import `rich`, which draws it.

The code doing the work does not know about terminals: a verb opens a task with `task(...)`, and the
work calls `tick()` (a no-op when no task is open) for each unit done.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ramstack.ui import colour
from ramstack.ui.terminal import is_terminal

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

MODES = ("auto", "always", "never")
DELAY = 0.5  # seconds before a task shows itself


@dataclass
class _Settings:
    mode: str = "auto"
    quiet: bool = False


SETTINGS = _Settings()


def configure(mode: str = "auto", *, quiet: bool = False) -> None:
    if mode not in MODES:
        raise ValueError(f"progress mode {mode!r} is not one of {', '.join(MODES)}")
    SETTINGS.mode = mode
    SETTINGS.quiet = quiet


def enabled() -> bool:
    if SETTINGS.quiet or SETTINGS.mode == "never":
        return False
    if SETTINGS.mode == "always":
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    return is_terminal(sys.stderr)


class _Task:
    """One open task; drawn (by rich) only once it has run for DELAY seconds."""

    def __init__(self, description: str, unit: str, total: int | None) -> None:
        import threading  # only when progress is enabled: start-up never pays for it

        self.description, self.unit, self.total = description, unit, total
        self.started = time.monotonic()
        self.done = 0
        self.display: Progress | None = None
        self.task_id: TaskID | None = None
        self.unavailable = False  # rich is not installed
        self.borrowed = False  # shown on an outer task's display
        self.lock = threading.Lock()  # plan registers resources from several threads

    def advance(self, n: int) -> None:
        with self.lock:
            self.done += n
            if self.display is None:
                if self.unavailable or time.monotonic() - self.started < DELAY:
                    return
                self._show()
            if self.display is not None and self.task_id is not None:
                self.display.update(self.task_id, completed=self.done, count=self.count())

    def count(self) -> str:
        return f"{self.done}{'' if self.total is None else f'/{self.total}'} {self.unit}"

    def _show(self) -> None:
        # rich allows one live display at a time: a task inside another shows as a second line of it
        outer = next((t for t in _ACTIVE if t is not self and t.display is not None), None)
        if outer is not None and outer.display is not None:
            self.display, self.borrowed = outer.display, True
            self.task_id = outer.display.add_task(
                self.description, total=self.total, completed=self.done, count=self.count()
            )
            return
        try:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
        except ImportError:  # the core runs without rich: no progress
            self.unavailable = True
            return
        console = Console(
            file=sys.stderr,
            force_terminal=True if SETTINGS.mode == "always" else None,
            no_color=not colour.wanted(sys.stderr),
        )
        columns = [
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),  # pulses while the total is unknown
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
        ]
        stdout_is_terminal = is_terminal(sys.stdout)
        display = Progress(
            *columns,
            console=console,
            transient=True,  # erased at the end: stderr keeps only what the verb writes
            redirect_stdout=stdout_is_terminal,  # never move results off a redirected stdout
            redirect_stderr=True,  # diagnostics written meanwhile appear above the line
        )
        display.start()
        self.task_id = display.add_task(
            self.description, total=self.total, completed=self.done, count=self.count()
        )
        self.display = display

    def close(self) -> None:
        with self.lock:
            if self.display is not None and self.borrowed and self.task_id is not None:
                self.display.remove_task(self.task_id)
            elif self.display is not None:
                self.display.stop()
            self.display = None


_ACTIVE: list[_Task] = []


@contextmanager
def task(description: str, *, unit: str = "done", total: int | None = None) -> Iterator[None]:
    """A unit of work whose progress `tick()` reports while it runs (nothing when not enabled)."""
    if not enabled():
        yield
        return
    current = _Task(description, unit, total)
    _ACTIVE.append(current)
    try:
        yield
    finally:
        if current in _ACTIVE:
            _ACTIVE.remove(current)
        current.close()


def tick(n: int = 1) -> None:
    """One more unit of the innermost open task done (a no-op without one)."""
    if _ACTIVE:
        _ACTIVE[-1].advance(n)

"""A terminal session: `ramstack` run as its own process under a pseudo-terminal colours its output;
the same command in a pipe, or under the terminal with NO_COLOR, prints the plain bytes."""

from __future__ import annotations

import errno
import os
import pty
import subprocess
import sys

import pytest

from ramstack.ui.colour import strip
from tests.conftest import ROOT

ESC = b"\x1b["
VALIDATE = [sys.executable, "-m", "ramstack", "validate"]
SIMULATE = [
    sys.executable,
    "-m",
    "ramstack",
    "simulate",
    "--principal",
    "user/ims-app",
    "--action",
    "ice:GetMediaInfo",
    "--resource",
    "*",
]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "CI")}
    env.update(TERM="xterm-256color", **extra)
    return env


def under_terminal(argv: list[str], **env: str) -> tuple[int, bytes]:
    """Exit code and everything the process wrote to its terminal (stdout and stderr both)."""
    controller, terminal = pty.openpty()
    try:
        proc = subprocess.Popen(
            argv, stdin=terminal, stdout=terminal, stderr=terminal, cwd=ROOT, env=_env(**env), close_fds=True
        )
    finally:
        os.close(terminal)
    chunks: list[bytes] = []
    try:
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError as exc:  # EIO: the process ended and closed the terminal
                if exc.errno != errno.EIO:
                    raise
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(controller)
    return proc.wait(timeout=60), b"".join(chunks)


def in_pipe(argv: list[str], **env: str) -> tuple[int, bytes, bytes]:
    done = subprocess.run(argv, cwd=ROOT, env=_env(**env), capture_output=True, timeout=60)
    return done.returncode, done.stdout, done.stderr


@pytest.mark.parametrize("argv", [VALIDATE, SIMULATE], ids=["validate", "simulate"])
def test_colour_on_a_terminal_not_in_a_pipe(argv: list[str]) -> None:
    code, shown = under_terminal(argv)
    piped_code, out, err = in_pipe(argv)
    assert code == piped_code == 0
    assert ESC in shown
    assert ESC not in out + err
    # the terminal turns \n into \r\n; apart from that and the escape codes, the same text
    text = strip(shown.decode()).replace("\r\n", "\n")
    assert sorted(text.splitlines()) == sorted((out + err).decode().splitlines())


def test_no_color_under_a_terminal() -> None:
    code, shown = under_terminal(VALIDATE, NO_COLOR="1")
    assert code == 0 and b"warning SPEC018" in shown and ESC not in shown


def test_color_never_under_a_terminal_and_always_in_a_pipe() -> None:
    assert ESC not in under_terminal([*VALIDATE, "--color", "never"])[1]
    assert ESC in in_pipe([*VALIDATE, "--color", "always"])[2]
    assert ESC in in_pipe(VALIDATE, FORCE_COLOR="1")[2]

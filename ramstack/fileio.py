"""Every file ramstack writes goes through `write_text_atomic`: readers see the old file or the new
one, never half of one, and a failure is a located diagnostic (IO010) naming the path, not a traceback."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ramstack.diagnostics import Diagnostic, InvalidInput, Level, Location

WRITE_FAILED = "IO010"


def _failure(path: Path, exc: OSError) -> InvalidInput:
    reason = exc.strerror or exc.__class__.__name__
    return InvalidInput(
        [
            Diagnostic(
                Location(str(path)),
                Level.ERROR,
                WRITE_FAILED,
                f"cannot write {path}: {reason}",
                "check that the folder exists and is writable, and that the disk has space",
            )
        ]
    )


def _new_file_mode() -> int:
    """The mode open() gives a new file (0o666 less the umask): mkstemp's 0o600 would make lock files
    and `ramstack init` projects unreadable to the rest of a team. The CLI is single-threaded, so
    reading the umask by setting it back at once is safe."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def make_folder(path: Path) -> None:
    """`mkdir -p`, failing as IO010 instead of a traceback."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _failure(path, exc) from None


def write_text_atomic(path: Path, text: str, mode: int | None = None) -> None:
    """Write `text` (UTF-8) to `path`: a temporary file in the same folder, fsync, then rename over
    the target, so an interrupted write leaves the old file intact. Raises InvalidInput (IO010).

    `mode` (e.g. 0o600 for a file holding secrets) is set on the temporary file before any byte is
    written, so the text is never readable under another mode; without it a new file gets the
    umask's mode and a replaced one keeps its own."""
    data = text.encode("utf-8")
    folder = path.parent if str(path.parent) else Path(".")
    tmp_name: str | None = None
    try:
        if path.is_dir():
            raise IsADirectoryError(21, "is a directory")
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                os.fchmod(handle.fileno(), mode)  # mkstemp made it 0o600; a failure here is IO010
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is None:
            try:
                kept = path.stat().st_mode & 0o7777  # keep the mode an existing file had
            except OSError:
                kept = _new_file_mode()
            with contextlib.suppress(OSError):
                os.chmod(tmp_name, kept)
        os.replace(tmp_name, path)
        tmp_name = None
        _sync_folder(folder)
    except OSError as exc:
        raise _failure(path, exc) from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a crash right after it must not bring the old file back).
    Best effort: some platforms and file systems cannot open or sync a folder."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

"""Stream ActionTrail events out of files and folders as Alibaba delivers them.

ActionTrail delivers to OSS as GZIP log files (`Actiontrail_<region>_<time>_..._<count>_<size>_<md5>.gz`,
alibabacloud.com/help/en/actiontrail/support/what-is-the-storage-path-of-an-event-that-is-delivered-to-an-oss-bucket);
exports and Log Service shipping give JSON arrays or one JSON object per line. One reader takes all of
them: event objects separated by whitespace, commas or array brackets, plain or gzip (by magic bytes).

Memory is bounded: the file is read in chunks and only the event being decoded is buffered (at most
MAX_EVENT_CHARS). A malformed event is a warning at its FILE:LINE:COL (ACT001; `--strict` makes it
fail) and reading resumes at
the next line that opens an event at the same indentation or less, so one bad event costs one
diagnostic, never the rest of the file. Deep nesting, huge integers and NaN are refused like any
malformed JSON.

Codes:
    ACT001  malformed event (not JSON, not an object, too large)
    ACT002  file or folder cannot be read
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ramstack.diagnostics import Diagnostics, Location

CHUNK_CHARS = 1 << 16
MAX_EVENT_CHARS = 1 << 20  # a real event is a few KiB; ActionTrail caps requestParameters well below
_INCOMPLETE_MARGIN = 16  # a token cut by a chunk boundary fails within this many chars of the end
SUFFIXES = (".json", ".jsonl", ".gz", ".log", ".ndjson")


@dataclass(frozen=True)
class RawEvent:
    data: dict[str, Any]
    location: Location


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant)


def event_files(paths: Iterable[Path], diags: Diagnostics) -> list[Path]:
    """The files to read: each file given, and every event file under each folder (sorted)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(SUFFIXES))
            if not found:
                diags.warning(
                    Location(str(path)),
                    "ACT002",
                    "no event files in this folder",
                    f"event files end with {', '.join(SUFFIXES)}",
                )
            out += found
        elif path.is_file():
            out.append(path)
        else:
            diags.error(
                Location(str(path)), "ACT002", "no such file or folder", "pass ActionTrail event files"
            )
    return out


def _open(path: Path) -> IO[str]:
    raw = path.open("rb")
    head = raw.peek(2)[:2] if isinstance(raw, io.BufferedReader) else b""
    if head == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.GzipFile(fileobj=raw), encoding="utf-8-sig")
    return io.TextIOWrapper(raw, encoding="utf-8-sig")


class _Scanner:
    """A sliding window over the text with line/column bookkeeping."""

    def __init__(self, stream: IO[str], file: str) -> None:
        self.stream = stream
        self.file = file
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._line = 1  # line number at self._counted
        self._counted = 0

    def fill(self) -> bool:
        if self.eof:
            return False
        # drop what is consumed, keeping the line count
        if self.pos:
            self._line += self.buf.count("\n", self._counted, self.pos)
            self.buf = self.buf[self.pos :]
            self.pos = self._counted = 0
        chunk = self.stream.read(CHUNK_CHARS)
        if not chunk:
            self.eof = True
            return False
        self.buf += chunk
        return True

    def location(self, pos: int) -> Location:
        if pos < self._counted:  # only ever asked forward of the last count, but stay correct
            line = self._line - self.buf.count("\n", pos, self._counted)
        else:
            line = self._line + self.buf.count("\n", self._counted, pos)
            self._line, self._counted = line, pos
        start = self.buf.rfind("\n", 0, pos) + 1
        return Location(self.file, line, pos - start + 1)

    def skip_separators(self) -> bool:
        """Skip whitespace, commas and array brackets; False at the end of the text."""
        while True:
            buf, n = self.buf, len(self.buf)
            pos = self.pos
            while pos < n and buf[pos] in " \t\r\n,[]":
                pos += 1
            self.pos = pos
            if pos < n:
                return True
            if not self.fill():
                return False

    def resync(self, indent: int) -> None:
        """Move to the next line that opens an object at `indent` columns or less (or the end)."""
        while True:
            nl = self.buf.find("\n", self.pos)
            if nl < 0:
                self.pos = len(self.buf)
                if not self.fill():
                    return
                continue
            self.pos = nl + 1
            while True:
                line_end = self.buf.find("\n", self.pos)
                if line_end >= 0 or self.eof:
                    break
                if not self.fill():
                    break
            text = self.buf[self.pos : line_end if line_end >= 0 else len(self.buf)]
            stripped = text.lstrip(" \t[,")
            if stripped.startswith("{") and len(text) - len(stripped) <= indent:
                self.pos += len(text) - len(stripped)
                return


def read_events(paths: Iterable[Path], diags: Diagnostics) -> Iterator[RawEvent]:
    """Every event object of the files and folders, in file order; problems go to `diags`."""
    for path in event_files(paths, diags):
        try:
            with _open(path) as stream:
                yield from _events_of(_Scanner(stream, str(path)), diags)
        except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
            diags.error(
                Location(str(path)), "ACT002", f"cannot read events: {exc}", "pass UTF-8 JSON, plain or gzip"
            )


def _events_of(scan: _Scanner, diags: Diagnostics) -> Iterator[RawEvent]:
    while scan.skip_separators():
        start = scan.pos
        indent = start - (scan.buf.rfind("\n", 0, start) + 1)
        if scan.buf[start] != "{":
            loc = scan.location(start)
            diags.warning(loc, "ACT001", "expected an event object here", "events are JSON objects: {...}")
            scan.resync(indent)
            continue
        try:
            data, end = _DECODER.raw_decode(scan.buf, start)
        except json.JSONDecodeError as exc:
            near_end = exc.pos >= len(scan.buf) - _INCOMPLETE_MARGIN or exc.msg.startswith("Unterminated")
            if near_end and not scan.eof and len(scan.buf) - start < MAX_EVENT_CHARS:
                scan.fill()  # probably cut by the chunk boundary: read on and try again
                continue
            if len(scan.buf) - start >= MAX_EVENT_CHARS:
                message = f"event larger than {MAX_EVENT_CHARS} characters"
                loc = scan.location(start)
            else:
                first = scan.location(start)
                loc = scan.location(min(exc.pos, len(scan.buf)))
                message = f"not valid JSON: {exc.msg}"
                if loc.line != first.line:
                    message += f" (in the event that starts at line {first.line})"
            diags.warning(loc, "ACT001", message, "each event must be one JSON object")
            scan.resync(indent)
            continue
        except (ValueError, RecursionError) as exc:  # NaN, huge integers, deep nesting
            reason = "too deeply nested" if isinstance(exc, RecursionError) else str(exc)
            diags.warning(
                scan.location(start),
                "ACT001",
                f"not valid JSON: {reason}",
                "each event must be one JSON object",
            )
            scan.resync(indent)
            continue
        loc = scan.location(start)
        scan.pos = end
        if not isinstance(data, dict):  # pragma: no cover - raw_decode at '{' yields a dict
            continue
        yield RawEvent(data, loc)

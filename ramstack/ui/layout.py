"""Plain-text layout shared by every text report: the output width, folding of long values, and
tables that fit that width.

The width is the terminal's when stdout is one, else a fixed 100 columns, so output that is piped,
redirected or captured by CI is byte-stable whatever the size of the window it was started from.
Folding breaks at spaces; a word too long for a line of its own (condition JSON) is cut after its
punctuation, and only a run with none is cut anywhere; a URL, an ARN or a quoted JSON string is
never cut (copied from the output, it must paste back whole): a line or table column holding one
is as wide as it needs. Nothing here adds colour or needs
rich. Located diagnostics and lint findings are not folded (editors and problem matchers read them
one per line), nor are machine formats.
"""

from __future__ import annotations

import re
import shutil
import sys
import unicodedata
from collections.abc import Sequence

from ramstack.ui.terminal import is_terminal

PIPE_WIDTH = 100  # the width of every output that is not a terminal: byte-stable
MIN_WIDTH = 40  # a narrower terminal is laid out as if it had this width
MIN_COLUMN = 8  # a folded table column is never narrower than this (or its header)

# Lines break at whitespace; a word too long for a line of its own breaks after punctuation that
# separates parts of a value, or after a hyphen inside a word (`ramstack-` `assume`), never after the
# dashes that start an option (`--yes`), and never inside a value someone copies: a quoted JSON
# string, a URL, an ARN (a folded trust condition pastes back as the same JSON; a line that holds
# one of them longer than the room overflows instead).
_WORD = re.compile(r"\S+\s*|\s+")
_WHOLE = r'"(?:[^"\\\n]|\\.)*"|(?<![A-Za-z0-9])(?:https?://|acs:)[^\s"\',;|()\[\]{}]*'
_ATOMIC = re.compile(_WHOLE)
_CHUNK = re.compile(rf"(?:{_WHOLE}|[^\s,;:/|-]|(?<![A-Za-z0-9])-)*(?:[,;:/|]+|-|\s+|$)")


def width() -> int:
    """The columns to lay out for: the terminal's width on a TTY, else PIPE_WIDTH."""
    if not is_terminal(sys.stdout):
        return PIPE_WIDTH
    return max(MIN_WIDTH, shutil.get_terminal_size((PIPE_WIDTH, 24)).columns)


def cells(text: str) -> int:
    """Terminal columns `text` takes: East Asian wide and full-width characters take two (the
    catalog's sources name Chinese documentation paths)."""
    if text.isascii():
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _cut(text: str, limit: int) -> int:
    """How many characters of `text` fit in `limit` columns (at least one)."""
    used = 0
    for i, c in enumerate(text):
        used += cells(c)
        if used > limit:
            return max(i, 1)
    return len(text)


def _pad(text: str, columns: int) -> str:
    return text + " " * (columns - cells(text))


def _chunks(text: str) -> list[str]:
    return [c for c in _CHUNK.findall(text) if c]


def fold(text: str, limit: int) -> list[str]:
    """`text` cut into lines of at most `limit` columns (trailing spaces dropped): at spaces first; a
    word too long for a line of its own is cut after its separators (`,` `;` `:` `/` `|`, an in-word
    `-`), and only where it has none, wherever it must. A quoted string, URL or ARN is never cut: a
    line holding one longer than `limit` is longer. Always at least one line."""
    limit = max(1, limit)
    lines: list[str] = []
    current = ""

    def add(piece: str) -> None:
        nonlocal current
        if cells(current) + cells(piece.rstrip()) <= limit:
            current += piece
            return
        if current.strip():
            lines.append(current.rstrip())
            current = ""
        current = piece.lstrip() if lines else piece
        while cells(current.rstrip()) > limit and not _ATOMIC.search(current):
            cut = _cut(current, limit)
            lines.append(current[:cut])
            current = current[cut:]

    for word in _WORD.findall(text):
        if cells(word.rstrip()) <= limit or cells(current) + cells(word.rstrip()) <= limit:
            add(word)
            continue
        if current.strip():  # the long word starts a line of its own
            lines.append(current.rstrip())
            current = ""
        for chunk in _chunks(word):
            add(chunk)
    if current.rstrip() or not lines:
        lines.append(current.rstrip())
    return lines


def wrap(text: str, *, indent: str = "", hanging: str | None = None, limit: int | None = None) -> list[str]:
    """One logical line as output lines: the first after `indent`, continuations after `hanging`
    (default: `indent` plus two spaces), none longer than `limit` (default: width()) unless the
    indent alone leaves less than 20 columns."""
    limit = width() if limit is None else limit
    rest = indent + "  " if hanging is None else hanging
    room = max(20, limit - max(len(indent), len(rest)))
    return [(indent if i == 0 else rest) + line for i, line in enumerate(fold(text, room))]


def bullets(items: Sequence[str], *, indent: str = "  ", limit: int | None = None) -> list[str]:
    """A nested list: `- item` per entry, each folded under its own text."""
    out: list[str] = []
    for item in items:
        out += wrap(item, indent=indent + "- ", hanging=indent + "  ", limit=limit)
    return out


def _whole(cell: str) -> int:
    """Columns of the widest piece of `cell` that fold never cuts (a URL, an ARN, a quoted string,
    with the characters glued to it): a column holding it is never narrower."""
    return max((cells(c.rstrip()) for c in _chunks(cell) if _ATOMIC.search(c)), default=0)


def _fit(widths: list[int], floors: list[int], room: int) -> list[int]:
    """Narrow the widest column (down to the next widest, or its floor) until the row fits `room`
    or nothing can narrow further (then the table is as narrow as it can be, and overflows)."""
    widths = list(widths)
    while (excess := sum(widths) - room) > 0:
        shrinkable = [i for i, w in enumerate(widths) if w > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], -i))
        runner_up = max((widths[i] for i in shrinkable if i != widest), default=0)
        step = min(excess, widths[widest] - max(floors[widest], runner_up))
        widths[widest] -= max(step, 1)
    return widths


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    indent: str = "",
    limit: int | None = None,
    gap: int = 2,
    keep: Sequence[int] = (),
) -> list[str]:
    """Columns padded to their widest cell, a dashed rule under the headers; when the table is wider
    than `limit` (default: width()) its widest columns are narrowed and their cells folded onto
    continuation lines; the columns in `keep` (identifiers people search for) are never narrowed.
    Trailing spaces are dropped."""
    limit = width() if limit is None else limit
    natural = [max([cells(h)] + [cells(r[i]) for r in rows]) for i, h in enumerate(headers)]
    floors = (
        [
            n if i in keep else max(min(n, max(cells(h), MIN_COLUMN)), max(_whole(r[i]) for r in rows))
            for i, (n, h) in enumerate(zip(natural, headers, strict=True))
        ]
        if rows
        else natural
    )
    room = limit - len(indent) - gap * (len(headers) - 1)
    widths = _fit(natural, floors, room)
    sep = " " * gap

    def lines_of(row: Sequence[str]) -> list[str]:
        folded = [fold(c, w) if cells(c) > w else [c] for c, w in zip(row, widths, strict=True)]
        height = max(len(f) for f in folded)
        return [
            (
                indent
                + sep.join(_pad(f[k] if k < len(f) else "", w) for f, w in zip(folded, widths, strict=True))
            ).rstrip()
            for k in range(height)
        ]

    out = lines_of(headers)
    out.append(indent + sep.join("-" * w for w in widths))
    for row in rows:
        out += lines_of(row)
    return out


def fold_text(text: str, *, limit: int | None = None) -> str:
    """A rendered text report with every line longer than `limit` (default: width()) folded, its
    continuations indented two spaces past the line's own indentation."""
    limit = width() if limit is None else limit
    out: list[str] = []
    for line in text.split("\n"):
        if cells(line) <= limit:
            out.append(line)
            continue
        body = line.lstrip(" ")
        indent = line[: len(line) - len(body)]
        out += wrap(body, indent=indent, limit=limit)
    return "\n".join(out)

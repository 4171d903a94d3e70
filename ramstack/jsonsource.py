"""Located JSON: exact JSON semantics (the `json` module's own string and number rules) with a
`Location` on every mapping, key, value and list item, and duplicate keys reported like YAML's.

JSON is not parsed through the YAML loader because YAML differs at the edges (tab indentation,
U+0085, surrogate-pair escapes) and a valid JSON policy must load exactly as `json` reads it.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

from ramstack.diagnostics import Diagnostics, Location
from ramstack.source import MAX_DEPTH, MAX_NODES, LList, LMap


class _Lines:
    """Locations of a JSON text's character offsets (the `Positions` of its values)."""

    def __init__(self, text: str, file: str, first_line: int) -> None:
        self.file = file
        self.first_line = first_line
        self.starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def at(self, raw: Any) -> Location:
        line = bisect.bisect_right(self.starts, raw) - 1
        return Location(self.file, line + self.first_line, raw - self.starts[line] + 1)


_WS = re.compile(r"[ \t\n\r]*")
_WS_CHARS = frozenset(" \t\n\r")
# what may follow a key, and an object's or a list's value: one match each instead of a whitespace
# skip and a test per character (group 1: the closing bracket)
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*")
_AFTER_MEMBER = re.compile(r"[ \t\n\r]*(?:(\})|,[ \t\n\r]*)")
_AFTER_ITEM = re.compile(r"[ \t\n\r]*(?:(\])|,[ \t\n\r]*)")
_LITERALS = {"true": True, "false": False, "null": None}
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_CONSTANTS = ("NaN", "Infinity", "-Infinity")


class _Error(Exception):
    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos


class _Parser:
    def __init__(
        self, text: str, file: str, diags: Diagnostics, first_line: int = 1, max_nodes: int = MAX_NODES
    ) -> None:
        self.text = text
        self.max_nodes = max_nodes
        self.file = file
        self.diags = diags
        self.nodes = 0
        self.lines = _Lines(text, file, first_line)
        self.loc = self.lines.at

    def skip(self, pos: int) -> int:
        if self.text[pos : pos + 1] not in _WS_CHARS:  # mostly: no whitespace to skip (or the end)
            return pos
        match = _WS.match(self.text, pos)
        assert match is not None
        return match.end()

    def value(self, pos: int) -> tuple[Any, int]:
        text = self.text
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise _Error(pos, f"more than {self.max_nodes} values in one file")
        if pos >= len(text):
            raise _Error(pos, "Expecting value")
        char = text[pos]
        if char == '"':
            value, end = scanstring(text, pos + 1)
            return value, end
        if char == "{":
            return self.obj(pos)
        if char == "[":
            return self.array(pos)
        for literal, result in _LITERALS.items():
            if text.startswith(literal, pos):
                return result, pos + len(literal)
        for constant in _CONSTANTS:
            if text.startswith(constant, pos):
                raise _Error(pos, f"{constant} is not a JSON number")
        match = _NUMBER.match(text, pos)
        if match:
            number = match.group(0)
            if match.group(1) or match.group(2):
                return float(number), match.end()
            try:
                return int(number), match.end()
            except ValueError:  # more digits than Python converts: no policy value is that long
                raise _Error(pos, f"number too long ({len(number)} digits)") from None
        raise _Error(pos, "Expecting value")

    def obj(self, start: int) -> tuple[LMap, int]:
        text = self.text
        out = LMap(positions=self.lines, raw=start)
        pos = self.skip(start + 1)
        if text.startswith("}", pos):
            return out, pos + 1
        while True:
            if not text.startswith('"', pos):
                raise _Error(pos, "Expecting property name enclosed in double quotes")
            key_pos = pos
            key, pos = scanstring(text, pos + 1)
            colon = _COLON.match(text, pos)
            if colon is None:
                raise _Error(self.skip(pos), "Expecting ':' delimiter")
            value_pos = colon.end()
            value, pos = self.value(value_pos)
            if key in out:
                first = out.key_loc(key)
                self.diags.error(
                    self.loc(key_pos),
                    "YAML002",
                    f"duplicate key {key!r} (first defined at line {first.line})",
                    "keep one of the two; JSON parsers silently use the last",
                )
            else:
                out.put(key, value, key_pos, value_pos)
            after = _AFTER_MEMBER.match(text, pos)
            if after is None:
                raise _Error(self.skip(pos), "Expecting ',' delimiter")
            if after.group(1):
                return out, after.end()
            pos = after.end()

    def array(self, start: int) -> tuple[LList, int]:
        text = self.text
        out = LList(positions=self.lines, raw=start)
        pos = self.skip(start + 1)
        if text.startswith("]", pos):
            return out, pos + 1
        while True:
            item_pos = pos
            value, pos = self.value(pos)
            out.add(value, item_pos)
            after = _AFTER_ITEM.match(text, pos)
            if after is None:
                raise _Error(self.skip(pos), "Expecting ',' delimiter")
            if after.group(1):
                return out, after.end()
            pos = after.end()


def too_deep(text: str) -> int | None:
    """Where nesting first goes beyond MAX_DEPTH (brackets inside strings do not count), else None.
    Checked before any parsing: both parsers recurse once per level."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:  # brackets in strings included: an upper bound
        return None
    depth = 0
    for match in _BRACKETS.finditer(text):
        char = match.group(0)
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return match.start()
        elif char in "]}":
            depth -= 1
    return None


def parse_json(
    text: str, file: str, diags: Diagnostics, *, first_line: int = 1, max_nodes: int = MAX_NODES
) -> Any:
    """Located JSON value, or None (with a diagnostic) when the text is not JSON.

    `first_line` is the line number of the text's first line (a line of a JSON Lines file)."""
    parser = _Parser(text, file, diags, first_line, max_nodes)
    deep = too_deep(text)
    if deep is not None:
        diags.error(
            parser.loc(deep),
            "YAML009",
            f"nested deeper than {MAX_DEPTH} levels",
            "flatten the document; no spec or policy needs this depth",
        )
        return None
    try:
        # the json module's verdict and message, exactly; numbers and NaN are judged by the parser
        # below, which knows where they are
        json.loads(text, parse_int=len, parse_float=len, parse_constant=len)
    except json.JSONDecodeError as exc:
        diags.error(
            Location(file, exc.lineno + first_line - 1, exc.colno),
            "YAML001",
            f"invalid JSON: {exc.msg}",
            "fix the JSON syntax at this position",
        )
        return None
    try:
        value, _ = parser.value(parser.skip(0))
    except _Error as exc:
        too_long = str(exc).startswith("number too long")
        too_many = str(exc).startswith("more than")
        diags.error(
            parser.loc(exc.pos),
            "YAML008" if too_long else "YAML010" if too_many else "YAML001",
            f"invalid JSON: {exc}",
            "quote the value if it is text" if too_long else "write the value as a JSON number or string",
        )
        return None
    if value is None:
        diags.error(
            Location(file, first_line),
            "YAML007",
            "the document is empty (null)",
            "add the document's content",
        )
    return value

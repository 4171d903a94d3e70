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
from ramstack.source import LList, LMap

_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")


class _Error(Exception):
    def __init__(self, pos: int, message: str) -> None:
        super().__init__(message)
        self.pos = pos


class _Parser:
    def __init__(self, text: str, file: str, diags: Diagnostics) -> None:
        self.text = text
        self.file = file
        self.diags = diags
        self.line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]

    def loc(self, pos: int) -> Location:
        line = bisect.bisect_right(self.line_starts, pos) - 1
        return Location(self.file, line + 1, pos - self.line_starts[line] + 1)

    def skip(self, pos: int) -> int:
        match = _WS.match(self.text, pos)
        assert match is not None
        return match.end()

    def value(self, pos: int) -> tuple[Any, int]:
        text = self.text
        if pos >= len(text):
            raise _Error(pos, "Expecting value")
        char = text[pos]
        if char == "{":
            return self.obj(pos)
        if char == "[":
            return self.array(pos)
        if char == '"':
            value, end = scanstring(text, pos + 1)
            return value, end
        for literal, result in (("true", True), ("false", False), ("null", None)):
            if text.startswith(literal, pos):
                return result, pos + len(literal)
        match = _NUMBER.match(text, pos)
        if match:
            number = match.group(0)
            is_float = match.group(1) or match.group(2)
            return (float(number) if is_float else int(number)), match.end()
        raise _Error(pos, "Expecting value")

    def obj(self, start: int) -> tuple[LMap, int]:
        out = LMap(self.loc(start))
        pos = self.skip(start + 1)
        if self.text.startswith("}", pos):
            return out, pos + 1
        while True:
            if not self.text.startswith('"', pos):
                raise _Error(pos, "Expecting property name enclosed in double quotes")
            key_pos = pos
            key, pos = scanstring(self.text, pos + 1)
            pos = self.skip(pos)
            if not self.text.startswith(":", pos):
                raise _Error(pos, "Expecting ':' delimiter")
            pos = self.skip(pos + 1)
            value_pos = pos
            value, pos = self.value(pos)
            if key in out:
                first = out.key_locs[key]
                self.diags.error(
                    self.loc(key_pos),
                    "YAML002",
                    f"duplicate key {key!r} (first defined at line {first.line})",
                    "keep one of the two; JSON parsers silently use the last",
                )
            else:
                out[key] = value
                out.key_locs[key] = self.loc(key_pos)
                out.value_locs[key] = self.loc(value_pos)
            pos = self.skip(pos)
            if self.text.startswith("}", pos):
                return out, pos + 1
            if not self.text.startswith(",", pos):
                raise _Error(pos, "Expecting ',' delimiter")
            pos = self.skip(pos + 1)

    def array(self, start: int) -> tuple[LList, int]:
        out = LList(self.loc(start))
        pos = self.skip(start + 1)
        if self.text.startswith("]", pos):
            return out, pos + 1
        while True:
            item_pos = pos
            value, pos = self.value(pos)
            out.append(value)
            out.item_locs.append(self.loc(item_pos))
            pos = self.skip(pos)
            if self.text.startswith("]", pos):
                return out, pos + 1
            if not self.text.startswith(",", pos):
                raise _Error(pos, "Expecting ',' delimiter")
            pos = self.skip(pos + 1)


def parse_json(text: str, file: str, diags: Diagnostics) -> Any:
    """Located JSON value, or None (with a YAML001 diagnostic) when the text is not JSON."""
    try:
        json.loads(text)  # the json module's verdict and message, exactly
    except json.JSONDecodeError as exc:
        diags.error(
            Location(file, exc.lineno, exc.colno),
            "YAML001",
            f"invalid JSON: {exc.msg}",
            "fix the JSON syntax at this position",
        )
        return None
    except RecursionError:
        diags.error(Location(file), "YAML001", "invalid JSON: nested too deeply", "flatten the document")
        return None
    except ValueError as exc:  # e.g. an integer longer than Python converts
        diags.error(Location(file), "YAML008", f"invalid JSON: {exc}", "quote the value if it is text")
        return None
    parser = _Parser(text, file, diags)
    try:
        value, _ = parser.value(parser.skip(0))
    except _Error as exc:  # json accepted it, so this is a gap in the parser: say where
        diags.error(parser.loc(exc.pos), "YAML001", f"invalid JSON: {exc}", None)
        return None
    except (ValueError, RecursionError) as exc:
        diags.error(Location(file), "YAML001", f"invalid JSON: {exc}", None)
        return None
    if value is None:
        diags.error(Location(file), "YAML007", "the document is empty (null)", "add the document's content")
    return value

"""`json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)`, byte for byte, but fast.

With `indent`, the standard library falls back from its C encoder to a pure-Python one; a 5,000-user
lock file (13 MB) then spends most of its rendering time there. This writes the same layout with the
C string encoder for every leaf. Only JSON's own types are accepted (str keys, no floats needed by
the lock file but handled as the standard library does), and `Rendered` fragments: text a caller
already wrote with `dumps_indented(value, newline)` for the place it goes, so that a value repeated
many times (a grant held by thousands of principals) is written once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# a string as JSON (ensure_ascii=False): the C implementation when present
encode_string: Callable[[str], str] = json.encoder.encode_basestring


@dataclass(frozen=True, slots=True)
class Rendered:
    """A value already written by `dumps_indented(value, newline)`, where `newline` is the newline and
    indentation of the place it is put (inside a list or object at depth d: "\n" + 2*(d+1) spaces)."""

    text: str


@dataclass(frozen=True, slots=True)
class Joined:
    """A value already written, in pieces: `"".join(parts)` is its `Rendered` text. The pieces go into
    the output as they are (a large text, a lock file's, is then copied once, when it is joined)."""

    parts: tuple[str, ...]


def dumps_indented(value: Any, newline: str = "\n") -> str:
    """`value` as json.dumps(indent=2, sort_keys=True, ensure_ascii=False) writes it; `newline` is the
    line break and indentation of the place the text goes (a nested value's is deeper than "\n")."""
    out: list[str] = []
    _write(value, newline, out)
    return "".join(out)


def write_indented(value: Any, out: list[str], newline: str = "\n") -> None:
    """`dumps_indented(value, newline)` appended to `out` in pieces: a large text (a lock file) is
    joined once, and a `Rendered` fragment's text goes in as it is, not copied into a bigger one."""
    _write(value, newline, out)


def _write(value: Any, newline: str, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(encode_string(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        between = "," + inner
        separator = "{" + inner
        for key in sorted(value):
            if not isinstance(key, str):
                raise TypeError(f"keys must be strings, not {type(key).__name__}")
            item = value[key]
            if type(item) is str:  # most values: written here rather than by a call
                out.append(separator + encode_string(key) + ": " + encode_string(item))
            elif type(item) is Rendered:
                out.append(separator + encode_string(key) + ": ")
                out.append(item.text)
            elif type(item) is Joined:
                out.append(separator + encode_string(key) + ": ")
                out.extend(item.parts)
            else:
                out.append(separator + encode_string(key) + ": ")
                _write(item, inner, out)
            separator = between
        out.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        between = "," + inner
        separator = "[" + inner
        for item in value:
            if type(item) is str:
                out.append(separator + encode_string(item))
            elif type(item) is Rendered:  # a plan's grants: written here rather than by a call
                out.append(separator)
                out.append(item.text)
            elif type(item) is Joined:
                out.append(separator)
                out.extend(item.parts)
            else:
                out.append(separator)
                _write(item, inner, out)
            separator = between
        out.append(newline + "]")
    elif type(value) is Rendered:
        out.append(value.text)
    elif type(value) is Joined:
        out.extend(value.parts)
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif type(value) is int:
        out.append(int.__repr__(value))
    else:  # floats (and int subclasses): exactly as the standard library writes them
        out.append(json.dumps(value))

"""Located loading of YAML and JSON files.

Every mapping, list and scalar keeps its `Location`, so later checks can point at the exact key or
value. The loader follows the YAML 1.2 core schema for plain scalars (only true/false are booleans,
no dates, no `yes`/`no`), rejects duplicate keys, anchors, aliases, merge keys and non-core tags, and
reports all of those problems at once. Values are built straight from the parser's event stream with
fixed bounds on depth, size and value count, so no input can make the loader hang, exhaust memory or
crash. JSON files go to `ramstack.jsonsource`, which keeps JSON's exact semantics and the `json`
module's own error messages.
"""

from __future__ import annotations

import errno
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from ramstack.diagnostics import Diagnostic, Diagnostics, Location


class LMap(dict[str, Any]):
    """A mapping that remembers where it, each key and each value came from."""

    loc: Location
    key_locs: dict[str, Location]
    value_locs: dict[str, Location]

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.key_locs = {}
        self.value_locs = {}

    def key_loc(self, key: str) -> Location:
        return self.key_locs.get(key, self.loc)

    def value_loc(self, key: str) -> Location:
        return self.value_locs.get(key, self.loc)


class LList(list[Any]):
    """A list that remembers where it and each item came from."""

    loc: Location
    item_locs: list[Location]

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.item_locs = []

    def item_loc(self, index: int) -> Location:
        return self.item_locs[index] if 0 <= index < len(self.item_locs) else self.loc


def location_of(value: Any, default: Location) -> Location:
    """The location of a loaded container, or `default` for scalars (which carry none)."""
    return value.loc if isinstance(value, LMap | LList) else default


_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
# The first characters of the plain scalars that may be null (~, null, the empty one), a boolean, a
# number or the merge key <<; any other plain scalar is a string.
_MAYBE_TYPED = frozenset("~nNtTfF0123456789+-.<") | {""}
_STR = "tag:yaml.org,2002:str"
_STANDARD_TAGS = {
    _STR,
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "!",  # the non-specific tag: a plain string
}

# Bounds on the work one file can cause (bench/hardening.py shows the worst case of each). Nothing
# ramstack reads comes near them: a spec of 10,000 users is 1.6 MB, about 150,000 values and 6 levels
# deep; a policy is at most 6 levels deep and 6,144 characters (RAM's limit).
MAX_DEPTH = 64
MAX_NODES = 600_000
MAX_BYTES = 8 * 1024 * 1024
_FEFF = "\ufeff"


def _loc(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


class _Stop(Exception):
    """The document is refused outright (too deep, too large, a second document): stop reading."""


@dataclass
class _Frame:
    value: LMap | LList
    key: str | None = None  # a mapping's pending key
    key_loc: Location | None = None
    has_key: bool = False
    skip: bool = False  # the pending key is a duplicate or a merge key: its value is dropped


@dataclass
class _Builder:
    """Located values straight from the parser's event stream, without composing a node graph.

    Working on events keeps every bound in reach before any work is done: an alias is reported and
    never expanded (so a few hundred bytes cannot stand for gigabytes), nesting beyond MAX_DEPTH and
    more than MAX_NODES values stop the reading at once, and nothing recurses, so no input can
    exhaust the Python or the C stack.
    """

    file: str
    diags: Diagnostics
    stack: list[_Frame] = field(default_factory=list)
    nodes: int = 0
    aliases: int = 0
    root: Any = None
    root_loc: Location | None = None
    documents: int = 0

    def feed(self, event: Any) -> None:
        if isinstance(event, ScalarEvent):
            self._count(event)
            self._anchor(event)
            self._tag(event)
            self._attach(self._scalar(event), event.start_mark)
        elif isinstance(event, MappingStartEvent | SequenceStartEvent):
            self._count(event)
            if len(self.stack) >= MAX_DEPTH:
                self.diags.error(
                    _loc(self.file, event.start_mark),
                    "YAML009",
                    f"nested deeper than {MAX_DEPTH} levels",
                    "flatten the document; no spec or policy needs this depth",
                )
                raise _Stop
            self._anchor(event)
            self._tag(event)
            loc = _loc(self.file, event.start_mark)
            container = LMap(loc) if isinstance(event, MappingStartEvent) else LList(loc)
            self.stack.append(_Frame(container))
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            frame = self.stack.pop()
            self._attach(frame.value, None, frame.value.loc)
        elif isinstance(event, AliasEvent):
            self._count(event)
            self.aliases += 1
            self.diags.error(
                _loc(self.file, event.start_mark),
                "YAML003",
                f"alias *{event.anchor} is not allowed",
                "write the value out in full; anchors and aliases hide what a policy grants",
            )
            self._attach(None, event.start_mark)
        elif isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                self.diags.error(
                    _loc(self.file, event.start_mark),
                    "YAML006",
                    "file holds more than one YAML document",
                    "keep one document per file",
                )
                raise _Stop

    def feed_all(self, loader: Any) -> None:
        """Feed every event of `loader`: `feed`, with the common events (plain and quoted scalars,
        collection starts and ends without anchors or tags) inlined. This loop is most of the time
        of reading a large spec; every other event, and every problem, takes `feed`'s path."""
        check, get, stack, feed = loader.check_event, loader.get_event, self.stack, self.feed
        file, standard = self.file, _STANDARD_TAGS
        while check():
            event = get()
            kind = type(event)
            if kind is ScalarEvent:
                tag = event.tag
                if (
                    self.nodes >= MAX_NODES
                    or event.anchor
                    or (tag is not None and tag not in standard)
                    or not stack
                ):
                    feed(event)
                    continue
                self.nodes += 1
                text = event.value
                if event.style or tag is not None or text[:1] in _MAYBE_TYPED:
                    value = self._scalar(event)
                else:  # a plain scalar that cannot be null, a boolean or a number: a string
                    value = text
                mark = event.start_mark
                where = Location(file, mark.line + 1, mark.column + 1)
                frame = stack[-1]
                target = frame.value
                if isinstance(target, LList):
                    target.append(value)
                    target.item_locs.append(where)
                elif not frame.has_key:
                    self._key(frame, value, where, mark)
                else:
                    self._attach(value, mark, where)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                if len(stack) < 2:
                    feed(event)
                    continue
                done = stack.pop().value
                frame = stack[-1]
                target = frame.value
                if isinstance(target, LList):
                    target.append(done)
                    target.item_locs.append(done.loc)
                elif not frame.has_key:
                    self._key(frame, done, done.loc, None)
                else:
                    self._attach(done, None, done.loc)
            else:
                feed(event)

    def _count(self, event: Any) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.diags.error(
                _loc(self.file, event.start_mark),
                "YAML010",
                f"more than {MAX_NODES} values in one file",
                "split the document; no spec or policy needs this many values",
            )
            raise _Stop

    def _anchor(self, event: Any) -> None:
        if event.anchor:
            self.diags.error(
                _loc(self.file, event.start_mark),
                "YAML003",
                f"anchor &{event.anchor} is not allowed",
                "remove the anchor and write each value out in full",
            )

    def _tag(self, event: Any) -> None:
        tag = event.tag
        if tag is not None and tag not in _STANDARD_TAGS:
            self.diags.error(
                _loc(self.file, event.start_mark),
                "YAML004",
                f"custom tag {tag.replace('tag:yaml.org,2002:', '!!')} is not allowed",
                "remove the tag; ramstack specs are plain data (no !Ref, !Sub, !include)",
            )

    def _attach(self, value: Any, mark: Any, loc: Location | None = None) -> None:
        where = loc if loc is not None else _loc(self.file, mark)
        if not self.stack:
            self.root, self.root_loc = value, where
            return
        frame = self.stack[-1]
        target = frame.value
        if isinstance(target, LList):
            target.append(value)
            target.item_locs.append(where)
            return
        if not frame.has_key:
            self._key(frame, value, where, mark)
            return
        if not frame.skip:
            assert frame.key is not None and frame.key_loc is not None
            target[frame.key] = value
            target.key_locs[frame.key] = frame.key_loc
            target.value_locs[frame.key] = where
        frame.key, frame.key_loc, frame.has_key, frame.skip = None, None, False, False

    def _key(self, frame: _Frame, key: Any, where: Location, mark: Any) -> None:
        target = frame.value
        assert isinstance(target, LMap)
        frame.has_key, frame.key_loc, frame.skip = True, where, False
        if key is _MERGE:
            self.diags.error(where, "YAML003", "merge key << is not allowed", "write the keys out")
            frame.skip = True
            return
        if not isinstance(key, str):
            self.diags.error(
                where,
                "YAML005",
                f"mapping key {key!r} must be a string",
                f'quote the key: "{key}"' if not isinstance(key, LMap | LList) else None,
            )
            key = str(key)
        if key in target:
            self.diags.error(
                where,
                "YAML002",
                f"duplicate key {key!r} (first defined at line {target.key_locs[key].line})",
                "keep one of the two; YAML would silently use the last",
            )
            frame.skip = True
        frame.key = key

    def _scalar(self, event: ScalarEvent) -> Any:
        text: str = event.value
        if event.style or event.tag in (_STR, "!"):  # quoted, literal, folded or tagged a string
            return text
        if (
            event.tag is None
            and text == "<<"
            and self.stack
            and isinstance(self.stack[-1].value, LMap)
            and not self.stack[-1].has_key
        ):
            return _MERGE
        if _NULL.match(text):
            return None
        if _BOOL.match(text):
            return text.lower() == "true"
        if _INT.match(text):
            try:
                return int(text)
            except ValueError:  # more digits than Python converts: no policy value is that long
                self.diags.error(
                    _loc(self.file, event.start_mark), "YAML008", "number too long", "quote it if it is text"
                )
                return text
        if _FLOAT.match(text):
            return float(text)
        return text


_MERGE = object()  # the YAML merge key `<<`, reported and dropped


def parse_text(
    text: str,
    file: str,
    diags: Diagnostics,
    *,
    json_mode: bool | None = None,
    max_bytes: int = MAX_BYTES,
    max_nodes: int = MAX_NODES,
) -> Any:
    """Parse YAML or JSON text into located values; problems go to `diags`. Returns None on failure.

    JSON (`json_mode`, or by default a file name ending in .json) is read with exact JSON semantics.
    """
    if len(text) > max_bytes:
        diags.error(
            Location(file),
            "YAML010",
            f"file is larger than {max_bytes // (1024 * 1024)} MiB",
            "split it; no spec or policy comes near this size",
        )
        return None
    report_invisible(text, file, diags)
    if json_mode if json_mode is not None else file.endswith(".json"):
        from ramstack.jsonsource import parse_json

        return parse_json(text, file, diags, max_nodes=max_nodes)
    if max_nodes != MAX_NODES:
        raise ValueError("a larger value bound is only supported for JSON")
    builder = _Builder(file, diags)
    # libyaml's parser when present (an order of magnitude faster), else PyYAML's: both stream events
    # from a state machine, without recursion, whatever the input.
    loader_class: Any = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader
    loader = None
    try:
        loader = loader_class(text)
        builder.feed_all(loader)
    except _Stop:
        return None
    except yaml.YAMLError as exc:
        _yaml_error(exc, file, diags, text)
        return None
    finally:
        if loader is not None:
            loader.dispose()
    if builder.aliases:  # an alias stands for a value nothing checks: stop at the YAML level
        return None
    if builder.documents == 0 or builder.root_loc is None:
        diags.error(Location(file), "YAML007", "file is empty", "add the document's content")
        return None
    if builder.root is None:  # `~`, `null` or a lone `---`: as empty as an empty file
        diags.error(builder.root_loc, "YAML007", "the document is empty (null)", "add the document's content")
    return builder.root


def report_invisible(text: str, file: str, diags: Diagnostics) -> None:
    """U+FEFF anywhere but at the very start is invisible in editors and breaks names and parsing with
    messages that never mention it: name it where it is."""
    start = 1 if text.startswith(_FEFF) else 0
    position = text.find(_FEFF, start)
    while position != -1:
        diags.error(
            Location(file, *_line_col(text, position)),
            "YAML011",
            "invisible character U+FEFF (byte order mark / zero width no-break space) in the text",
            "delete it (it often comes with text pasted from another file or a web page)",
        )
        position = text.find(_FEFF, position + 1)


def _yaml_error(exc: yaml.YAMLError, file: str, diags: Diagnostics, text: str) -> None:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = _loc(file, mark) if mark else Location(file)
        problem = exc.problem or "invalid YAML"
        if "expected a single document" in str(exc.context or "") + problem:
            diags.error(
                where, "YAML006", "file holds more than one YAML document", "keep one document per file"
            )
        elif mark is not None and _char_at(text, mark.line, mark.column) == "\t":
            # libyaml says "found character that cannot start any token", never that it is a tab
            diags.error(where, "YAML001", f"invalid YAML: {problem} (a tab)", "indent with spaces, not tabs")
        else:
            diags.error(where, "YAML001", f"invalid YAML: {problem}", _syntax_hint(problem))
    elif isinstance(exc, yaml.reader.ReaderError):
        where = Location(file, *_line_col(text, exc.position))
        diags.error(
            where,
            "YAML001",
            f"invalid YAML: {exc.reason} (character {exc.character!r})",
            "remove the control character or write it as an escape in a double-quoted string",
        )
    else:
        diags.error(Location(file), "YAML001", f"invalid YAML: {exc}", None)


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a YAML mark's 0-based line and column, or "" past the end."""
    lines = text.split("\n")
    return lines[line][column : column + 1] if 0 <= line < len(lines) and column >= 0 else ""


def _line_col(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _syntax_hint(problem: str) -> str | None:
    if "tab" in problem or "\\t" in problem:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "quote values that contain ': ' or fix the indentation"
    if "could not find expected ':'" in problem:
        return "add the missing ':' after the key, or quote the line"
    return "check indentation and quoting near this position"


# Parsed files, by content and display name: validate, the lint and the stack program's gate all
# read the same spec and policies in one process (`ramstack plan` three times). Loaded trees are never
# mutated (every check builds new values), so sharing them is safe.
_PARSED: dict[tuple[str, str, bool], tuple[Any, tuple[Diagnostic, ...]]] = {}
_PARSED_LIMIT = 4096


def read_input_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of an input file. Only a regular file is read, and only up to MAX_BYTES: a FIFO
    or a device would block or never end, a huge file would be read whole before any check.
    Raises OSError (with a strerror) or UnicodeDecodeError."""
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "not a regular file (a pipe, socket or device)")
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise OSError(errno.EFBIG, f"larger than {max_bytes // (1024 * 1024)} MiB")
    return data.decode("utf-8")


def load_file(path: Path, diags: Diagnostics, display: str | None = None) -> Any:
    """Read and parse a file; a missing or unreadable file is a located diagnostic, not an exception."""
    name = display or str(path)
    json_mode = path.suffix == ".json"
    try:
        text = read_input_text(path)
    except FileNotFoundError:
        diags.error(Location(name), "IO001", "file not found", "check the path")
        return None
    except UnicodeDecodeError as exc:
        before = exc.object[: exc.start].decode("utf-8", errors="replace")
        line, column = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        diags.error(
            Location(name, line, column), "IO002", f"file is not UTF-8 text: {exc.reason}", "save it as UTF-8"
        )
        return None
    except OSError as exc:
        diags.error(Location(name), "IO003", f"cannot read file: {exc.strerror}", None)
        return None
    key = (text, name, json_mode)  # the content itself: an edit is never served stale
    cached = _PARSED.get(key)
    if cached is not None:
        diags.extend(cached[1])
        return cached[0]
    own = Diagnostics()
    tree = parse_text(text, name, own, json_mode=json_mode)
    if len(_PARSED) >= _PARSED_LIMIT:
        _PARSED.clear()
    _PARSED[key] = (tree, tuple(own.items))
    diags.extend(own.items)
    return tree


def to_plain(value: Any) -> Any:
    """Strip locations: LMap/LList become dict/list (for JSON output and hashing)."""
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    return value

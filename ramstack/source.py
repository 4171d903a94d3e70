"""Located loading of YAML and JSON files.

Every mapping, list and scalar keeps its `Location`, so later checks can point at the exact key or
value. The loader follows the YAML 1.2 core schema for plain scalars (only true/false are booleans,
no dates, no `yes`/`no`), rejects duplicate keys, anchors, aliases, merge keys and non-core tags, and
reports all of those problems at once. Values are built straight from the parser's event stream with
fixed bounds on depth, size and value count, so no input can make the loader hang, exhaust memory or
crash. JSON files go to `ramstack.jsonsource`, which keeps JSON's exact semantics and the `json`
module's own error messages.

A parser records each value's raw position (a YAML mark, a JSON offset) and a `Positions` turns it
into a `Location` only when one is asked for: most values are never reported on, and building a
Location costs more than reading the value.
"""

from __future__ import annotations

import errno
import itertools
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass
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

from ramstack.diagnostics import Diagnostic, Diagnostics, Location, Mark, Positions


@dataclass(frozen=True)
class YamlPositions:
    """Locations of a YAML file's marks (0-based line and column)."""

    file: str

    def at(self, raw: Any) -> Location:
        return Location(self.file, raw.line + 1, raw.column + 1)


class LMap(dict[str, Any]):
    """A mapping that remembers where it, each key and each value came from.

    Built by hand (`LMap(loc)`, then `key_locs`/`value_locs`), it holds Locations; built by a parser,
    it holds raw positions and makes each Location when it is first asked for."""

    __slots__ = ("_key_locs", "_key_raw", "_loc", "_positions", "_raw", "_value_locs", "_value_raw")

    def __init__(self, loc: Location | None = None, *, positions: Positions | None = None, raw: Any = None):
        if loc is None and positions is None:
            raise TypeError("LMap needs a location, or positions and a raw position")
        self._loc = loc
        self._positions = positions
        self._raw = raw
        self._key_raw: dict[str, Any] = {}
        self._value_raw: dict[str, Any] = {}
        self._key_locs: dict[str, Location] | None = None
        self._value_locs: dict[str, Location] | None = None

    @property
    def loc(self) -> Location:
        loc = self._loc
        if loc is None:
            loc = self._loc = _at(self._positions, self._raw)
        return loc

    def put(self, key: str, value: Any, key_raw: Any, value_raw: Any) -> None:
        """Set `key` to `value`, with the raw positions of both (this mapping's `positions`)."""
        self[key] = value
        if self._key_locs is None and self._value_locs is None:
            self._key_raw[key] = key_raw
            self._value_raw[key] = value_raw
        else:
            self.key_locs[key] = _at(self._positions, key_raw)
            self.value_locs[key] = _at(self._positions, value_raw)

    @property
    def key_locs(self) -> dict[str, Location]:
        locs = self._key_locs
        if locs is None:
            locs = self._key_locs = _at_each(self._positions, self._key_raw)
            self._key_raw = {}
        return locs

    @key_locs.setter
    def key_locs(self, locs: dict[str, Location]) -> None:
        self._key_locs, self._key_raw = locs, {}

    @property
    def value_locs(self) -> dict[str, Location]:
        locs = self._value_locs
        if locs is None:
            locs = self._value_locs = _at_each(self._positions, self._value_raw)
            self._value_raw = {}
        return locs

    @value_locs.setter
    def value_locs(self, locs: dict[str, Location]) -> None:
        self._value_locs, self._value_raw = locs, {}

    def key_loc(self, key: str) -> Location:
        return self._loc_of(key, self._key_locs, self._key_raw)

    def value_loc(self, key: str) -> Location:
        return self._loc_of(key, self._value_locs, self._value_raw)

    def _loc_of(self, key: str, locs: dict[str, Location] | None, raws: dict[str, Any]) -> Location:
        """One key's (or value's) Location, from the built table or its raw position; the
        mapping's own where it has none."""
        if locs is not None:
            return locs.get(key) or self.loc
        raw = raws.get(key)
        return self.loc if raw is None else _at(self._positions, raw)


class LList(list[Any]):
    """A list that remembers where it and each item came from (raw positions, as `LMap`)."""

    __slots__ = ("_item_locs", "_item_raw", "_loc", "_positions", "_raw")

    def __init__(self, loc: Location | None = None, *, positions: Positions | None = None, raw: Any = None):
        if loc is None and positions is None:
            raise TypeError("LList needs a location, or positions and a raw position")
        self._loc = loc
        self._positions = positions
        self._raw = raw
        self._item_raw: list[Any] = []
        self._item_locs: list[Location] | None = None

    @property
    def loc(self) -> Location:
        loc = self._loc
        if loc is None:
            loc = self._loc = _at(self._positions, self._raw)
        return loc

    def add(self, value: Any, raw: Any) -> None:
        """Append `value`, with its raw position (this list's `positions`)."""
        self.append(value)
        if self._item_locs is None:
            self._item_raw.append(raw)
        else:
            self._item_locs.append(_at(self._positions, raw))

    @property
    def item_locs(self) -> list[Location]:
        locs = self._item_locs
        if locs is None:
            positions, raws = self._positions, self._item_raw
            assert positions is not None or not raws, "raw positions without their positions"
            locs = self._item_locs = list(map(positions.at, raws)) if positions is not None else []
            self._item_raw = []
        return locs

    @item_locs.setter
    def item_locs(self, locs: list[Location]) -> None:
        self._item_locs, self._item_raw = locs, []

    def item_marks(self) -> Iterable[Location | Mark]:
        """Where each item is (as `item_loc`: the list's own location for an item without one),
        without making a Location for any of them."""
        marks: Iterable[Location | Mark]
        if self._item_locs is None and self._positions is not None:
            raws = self._item_raw
            marks, count = zip(itertools.repeat(self._positions), raws), len(raws)
        else:
            locs = self.item_locs
            marks, count = locs, len(locs)
        missing = len(self) - count
        return marks if missing <= 0 else itertools.chain(marks, itertools.repeat(self.loc, missing))

    def item_loc(self, index: int) -> Location:
        locs = self._item_locs
        if locs is not None:
            return locs[index] if 0 <= index < len(locs) else self.loc
        raw = self._item_raw
        return _at(self._positions, raw[index]) if 0 <= index < len(raw) else self.loc


def _at(positions: Positions | None, raw: Any) -> Location:
    assert positions is not None, "a raw position without its positions"
    return positions.at(raw)


def _at_each(positions: Positions | None, raws: dict[str, Any]) -> dict[str, Location]:
    return {key: _at(positions, raw) for key, raw in raws.items()}


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


_NO_KEY: Any = object()  # an open mapping waits for its next key
_MERGE = object()  # the YAML merge key `<<`, reported and dropped


class _Builder:
    """Located values straight from the parser's event stream, without composing a node graph.

    Working on events keeps every bound in reach before any work is done: an alias is reported and
    never expanded (so a few hundred bytes cannot stand for gigabytes), nesting beyond MAX_DEPTH and
    more than MAX_NODES values stop the reading at once, and nothing recurses, so no input can
    exhaust the Python or the C stack.
    """

    def __init__(self, file: str, diags: Diagnostics) -> None:
        self.file = file
        self.diags = diags
        self.positions = YamlPositions(file)
        self.aliases = 0
        self.documents = 0
        self.root: Any = None
        self.root_mark: Any = None

    def build(self, loader: Any) -> None:
        """Read every event of `loader` into `root`. The state of the innermost open collection lives
        in local variables (and its parents' in `parents`): this loop is most of the time of reading
        a large spec, and the rare cases (anchors, tags, aliases, odd keys, problems) are methods."""
        positions, standard = self.positions, _STANDARD_TAGS
        parents: list[tuple[Any, Any, Any, bool, Any, Any, bool]] = []
        current: Any = None  # the innermost open LMap or LList; None outside the root
        raws: Any = None  # its items' marks (a list), or its keys' marks (a mapping)
        value_raws: Any = None  # a mapping's values' marks
        in_list = False
        key: Any = _NO_KEY  # a mapping's pending key
        key_mark: Any = None
        skip = False  # the pending key is a duplicate or a merge key: its value is dropped
        nodes = 0
        for event in iter(loader.get_event, None):  # None: the stream has ended
            kind = type(event)
            if kind is ScalarEvent:
                nodes += 1
                mark = event.start_mark
                tag = event.tag
                if nodes > MAX_NODES:
                    self._too_many(mark)
                if event.anchor:
                    self._anchor(event)
                if tag is not None and tag not in standard:
                    self._tag(event)
                value = event.value
                if event.style or tag is not None or value[:1] in _MAYBE_TYPED:
                    value = self._scalar(event, current is not None and not in_list and key is _NO_KEY)
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                value, mark = current, current._raw
                current, raws, value_raws, in_list, key, key_mark, skip = parents.pop()
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                nodes += 1
                mark = event.start_mark
                if nodes > MAX_NODES:
                    self._too_many(mark)
                if len(parents) >= MAX_DEPTH:
                    self._too_deep(mark)
                if event.anchor:
                    self._anchor(event)
                tag = event.tag
                if tag is not None and tag not in standard:
                    self._tag(event)
                parents.append((current, raws, value_raws, in_list, key, key_mark, skip))
                if kind is MappingStartEvent:
                    current = LMap(positions=positions, raw=mark)
                    raws, value_raws = current._key_raw, current._value_raw
                    in_list, key, skip = False, _NO_KEY, False
                else:
                    current = LList(positions=positions, raw=mark)
                    raws, in_list = current._item_raw, True
                continue
            elif kind is AliasEvent:
                nodes += 1
                mark = event.start_mark
                if nodes > MAX_NODES:
                    self._too_many(mark)
                self._alias(event)
                value = None
            else:
                if kind is DocumentStartEvent:
                    self._document(event)
                continue
            # `value`, found at `mark`, goes into the innermost open collection
            if in_list:
                current.append(value)
                raws.append(mark)
            elif key is not _NO_KEY:
                if not skip:
                    current[key] = value
                    raws[key] = key_mark
                    value_raws[key] = mark
                key = _NO_KEY
            elif current is None:
                self.root, self.root_mark = value, mark
            elif type(value) is str and value not in current:
                key, key_mark, skip = value, mark, False
            else:
                key, skip = self._odd_key(current, value, mark)
                key_mark = mark

    def _too_many(self, mark: Any) -> None:
        self.diags.error(
            _loc(self.file, mark),
            "YAML010",
            f"more than {MAX_NODES} values in one file",
            "split the document; no spec or policy needs this many values",
        )
        raise _Stop

    def _too_deep(self, mark: Any) -> None:
        self.diags.error(
            _loc(self.file, mark),
            "YAML009",
            f"nested deeper than {MAX_DEPTH} levels",
            "flatten the document; no spec or policy needs this depth",
        )
        raise _Stop

    def _document(self, event: Any) -> None:
        self.documents += 1
        if self.documents > 1:
            self.diags.error(
                _loc(self.file, event.start_mark),
                "YAML006",
                "file holds more than one YAML document",
                "keep one document per file",
            )
            raise _Stop

    def _alias(self, event: Any) -> None:
        self.aliases += 1
        self.diags.error(
            _loc(self.file, event.start_mark),
            "YAML003",
            f"alias *{event.anchor} is not allowed",
            "write the value out in full; anchors and aliases hide what a policy grants",
        )

    def _anchor(self, event: Any) -> None:
        self.diags.error(
            _loc(self.file, event.start_mark),
            "YAML003",
            f"anchor &{event.anchor} is not allowed",
            "remove the anchor and write each value out in full",
        )

    def _tag(self, event: Any) -> None:
        self.diags.error(
            _loc(self.file, event.start_mark),
            "YAML004",
            f"custom tag {event.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed",
            "remove the tag; ramstack specs are plain data (no !Ref, !Sub, !include)",
        )

    def _odd_key(self, target: LMap, key: Any, mark: Any) -> tuple[Any, bool]:
        """A key that is not a new string: a merge key, a non-string or a duplicate. Returns the key
        its value goes under and whether that value is dropped."""
        where = _loc(self.file, mark)
        if key is _MERGE:
            self.diags.error(where, "YAML003", "merge key << is not allowed", "write the keys out")
            return None, True
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
                f"duplicate key {key!r} (first defined at line {target.key_loc(key).line})",
                "keep one of the two; YAML would silently use the last",
            )
            return key, True
        return key, False

    def _scalar(self, event: ScalarEvent, key_position: bool) -> Any:
        """The value of a scalar that may not be a plain string (`key_position`: it would be an open
        mapping's next key)."""
        text: str = event.value
        if event.style or event.tag in (_STR, "!"):  # quoted, literal, folded or tagged a string
            return text
        if event.tag is None and text == "<<" and key_position:
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
        builder.build(loader)
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
    if builder.documents == 0 or builder.root_mark is None:
        diags.error(Location(file), "YAML007", "file is empty", "add the document's content")
        return None
    if builder.root is None:  # `~`, `null` or a lone `---`: as empty as an empty file
        where = _loc(file, builder.root_mark)
        diags.error(where, "YAML007", "the document is empty (null)", "add the document's content")
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

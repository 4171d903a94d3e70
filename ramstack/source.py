"""Located loading of YAML and JSON files.

Every mapping, list and scalar keeps its `Location`, so later checks can point at the exact key or
value. The loader follows the YAML 1.2 core schema for plain scalars (only true/false are booleans,
no dates, no `yes`/`no`), rejects duplicate keys, anchors, aliases, merge keys and non-core tags, and reports
all of those problems at once. JSON files go to `ramstack.jsonsource`, which keeps JSON's exact
semantics and the `json` module's own error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    # what the resolver gives plain scalars that merely look like these (they stay strings here)
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:value",
}


class _Composer(yaml.SafeLoader):
    """SafeLoader whose composer reports anchors and aliases instead of sharing nodes."""

    def __init__(self, stream: str, file: str, diags: Diagnostics) -> None:
        super().__init__(stream)
        self._file = file
        self._diags = diags

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.get_event()  # type: ignore[no-untyped-call]
            self._diags.error(
                _loc(self._file, event.start_mark),
                "YAML003",
                f"alias *{event.anchor} is not allowed",
                "write the value out in full; anchors and aliases hide what a policy grants",
            )
            return ScalarNode("tag:yaml.org,2002:null", "", event.start_mark, event.end_mark)
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, ScalarEvent | MappingStartEvent | SequenceStartEvent) and event.anchor:
            self._diags.error(
                _loc(self._file, event.start_mark),
                "YAML003",
                f"anchor &{event.anchor} is not allowed",
                "remove the anchor and write each value out in full",
            )
            event.anchor = None
        return Composer.compose_node(self, parent, index)


def _loc(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


@dataclass
class _Converter:
    file: str
    diags: Diagnostics
    seen: set[int] = field(default_factory=set)

    def _is_alias(self, node: Node, where: Location, what: str) -> bool:
        """libyaml resolves an alias to the very node it names: a node met twice is an alias.
        Reported, and the value still converted, so checks further on see the whole document."""
        if id(node) not in self.seen:
            return False
        self.diags.error(
            where,
            "YAML003",
            f"{what} is an alias of the value at line {node.start_mark.line + 1}",
            "write the value out in full; anchors and aliases hide what a policy grants",
        )
        return True

    def _copy(self, node: Node) -> Any:
        """The aliased value again, so later checks see the whole document; problems inside it were
        reported where it was first written."""
        return _Converter(self.file, Diagnostics()).convert(node)

    def convert(self, node: Node) -> Any:
        self.seen.add(id(node))
        loc = _loc(self.file, node.start_mark)
        if node.tag not in _STANDARD_TAGS and node.tag != "tag:yaml.org,2002:merge":
            self.diags.error(
                loc,
                "YAML004",
                f"custom tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed",
                "remove the tag; ramstack specs are plain data (no !Ref, !Sub, !include)",
            )
        if isinstance(node, MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, SequenceNode):
            out = LList(loc)
            for index, item in enumerate(node.value):
                if self._is_alias(item, loc, f"item {index} of this list"):
                    out.append(self._copy(item))
                else:
                    out.append(self.convert(item))
                out.item_locs.append(_loc(self.file, item.start_mark))
            return out
        assert isinstance(node, ScalarNode)
        return self._scalar(node)

    def _mapping(self, node: MappingNode, loc: Location) -> LMap:
        out = LMap(loc)
        for key_node, value_node in node.value:
            key_loc = _loc(self.file, key_node.start_mark)
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.diags.error(key_loc, "YAML003", "merge key << is not allowed", "write the keys out")
                continue
            key = self.convert(key_node)
            if not isinstance(key, str):
                self.diags.error(
                    key_loc,
                    "YAML005",
                    f"mapping key {key!r} must be a string",
                    f'quote the key: "{key_node.value}"' if isinstance(key_node, ScalarNode) else None,
                )
                key = str(key)
            if key in out:
                first = out.key_locs[key]
                self.diags.error(
                    key_loc,
                    "YAML002",
                    f"duplicate key {key!r} (first defined at line {first.line})",
                    "keep one of the two; YAML would silently use the last",
                )
                continue
            if self._is_alias(value_node, key_loc, f"the value of {key!r}"):
                out[key] = self._copy(value_node)
            else:
                out[key] = self.convert(value_node)
            out.key_locs[key] = key_loc
            out.value_locs[key] = _loc(self.file, value_node.start_mark)
        return out

    def _scalar(self, node: ScalarNode) -> Any:
        text = node.value
        if node.style:  # quoted, literal or folded: always a string (plain is None or "")
            return text
        if node.tag == "tag:yaml.org,2002:str" and _explicit_str(text):
            return text
        if _NULL.match(text):
            return None
        if _BOOL.match(text):
            return text.lower() == "true"
        if _INT.match(text):
            try:
                return int(text)
            except ValueError:  # more digits than Python converts: no policy value is that long
                self.diags.error(
                    _loc(self.file, node.start_mark), "YAML008", "number too long", "quote it if it is text"
                )
                return text
        if _FLOAT.match(text):
            return float(text)
        return text


_RESOLVER = yaml.resolver.Resolver()


def _explicit_str(text: str) -> bool:
    """A plain scalar tagged str although PyYAML would resolve it otherwise was written `!!str`."""
    tag: str = _RESOLVER.resolve(ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return tag != "tag:yaml.org,2002:str"


def parse_text(text: str, file: str, diags: Diagnostics, *, json_mode: bool | None = None) -> Any:
    """Parse YAML or JSON text into located values; problems go to `diags`. Returns None on failure.

    JSON (`json_mode`, or by default a file name ending in .json) is read with exact JSON semantics.
    """
    if json_mode if json_mode is not None else file.endswith(".json"):
        from ramstack.jsonsource import parse_json

        return parse_json(text, file, diags)
    try:
        # libyaml when present (an order of magnitude faster on large specs; aliases are then found
        # as shared nodes), else the pure-Python composer that reports anchors and aliases itself.
        loader: yaml.SafeLoader | Any = (
            yaml.CSafeLoader(text) if yaml.__with_libyaml__ else _Composer(text, file, diags)
        )
    except yaml.YAMLError as exc:  # the reader rejects some characters before parsing starts
        _yaml_error(exc, file, diags, text)
        return None
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        _yaml_error(exc, file, diags, text)
        return None
    finally:
        loader.dispose()
    if root is None:
        diags.error(Location(file), "YAML007", "file is empty", "add the document's content")
        return None
    if yaml.__with_libyaml__ and "&" in text:
        _report_anchors(text, file, diags)  # libyaml's composer hides anchors nothing refers to
    value = _Converter(file, diags).convert(root)
    if value is None:  # `~`, `null` or a lone `---`: as empty as an empty file
        diags.error(
            _loc(file, root.start_mark),
            "YAML007",
            "the document is empty (null)",
            "add the document's content",
        )
    return value


def _report_anchors(text: str, file: str, diags: Diagnostics) -> None:
    for event in yaml.parse(text, Loader=yaml.CSafeLoader):
        if isinstance(event, ScalarEvent | MappingStartEvent | SequenceStartEvent) and event.anchor:
            diags.error(
                _loc(file, event.start_mark),
                "YAML003",
                f"anchor &{event.anchor} is not allowed",
                "remove the anchor and write each value out in full",
            )


def _yaml_error(exc: yaml.YAMLError, file: str, diags: Diagnostics, text: str) -> None:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = _loc(file, mark) if mark else Location(file)
        problem = exc.problem or "invalid YAML"
        if "expected a single document" in str(exc.context or "") + problem:
            diags.error(
                where, "YAML006", "file holds more than one YAML document", "keep one document per file"
            )
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


def load_file(path: Path, diags: Diagnostics, display: str | None = None) -> Any:
    """Read and parse a file; a missing or unreadable file is a located diagnostic, not an exception."""
    name = display or str(path)
    json_mode = path.suffix == ".json"
    try:
        text = path.read_text(encoding="utf-8")
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

"""The located loader: YAML 1.2 scalars, what it rejects, and exact JSON."""

from __future__ import annotations

import json

import pytest

from ramstack.diagnostics import Diagnostics, Location
from ramstack.source import LList, LMap, parse_text


def load(text: str, file: str = "f.yaml") -> tuple[object, list[tuple[str, int, int]]]:
    diags = Diagnostics()
    value = parse_text(text, file, diags)
    return value, [(d.code, d.location.line, d.location.column) for d in diags.sorted()]


def test_yaml_12_core_scalars() -> None:
    value, problems = load("a: yes\nb: no\nc: 2024-01-01\nd: 1\ne: 1.5\nf: true\ng: ~\nh: '1'\ni: !!str 12\n")
    assert problems == []
    assert value == {
        "a": "yes",
        "b": "no",
        "c": "2024-01-01",
        "d": 1,
        "e": 1.5,
        "f": True,
        "g": None,
        "h": "1",
        "i": "12",
    }


def test_locations_of_keys_values_and_items() -> None:
    value, _ = load("users:\n  alice:\n    groups: [a, b]\n")
    assert isinstance(value, LMap)
    groups = value["users"]["alice"]["groups"]
    assert isinstance(groups, LList)
    assert value["users"].key_loc("alice").line == 2
    assert (groups.item_loc(1).line, groups.item_loc(1).column) == (3, 17)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\na: 2\n", [("YAML002", 2, 1)]),
        ("x: &a 1\ny: *a\n", [("YAML003", 1, 4), ("YAML003", 2, 4)]),
        ("x: [&a 1, *a]\n", [("YAML003", 1, 5), ("YAML003", 1, 11)]),
        ("x: &unused 1\n", [("YAML003", 1, 4)]),
        ("x: !Ref foo\n", [("YAML004", 1, 4)]),
        ("1: x\n", [("YAML005", 1, 1)]),
        ("a: 1\n---\nb: 2\n", [("YAML006", 2, 1)]),
        ("", [("YAML007", 1, 1)]),
        ("a:\n\tb: 1\n", [("YAML001", 2, 1)]),
        ('a: "\u0080"\n', [("YAML001", 1, 5)]),
    ],
)
def test_rejections_are_located(text: str, expected: list[tuple[str, int, int]]) -> None:
    assert load(text)[1] == expected


@pytest.mark.parametrize(
    "text",
    [
        '{\n\t"Version": "1",\n\t"Statement": []\n}',
        '{"a": "\\ud83d\\ude00", "b": "\u0085", "c": [1, 2.5e3, -0, true, null]}',
        '  [ {"x" : {"y": ["z"]}} ]  ',
    ],
)
def test_json_loads_exactly_as_the_json_module(text: str) -> None:
    value, problems = load(text, "f.json")
    assert problems == []
    assert value == json.loads(text)


def test_json_locations_and_duplicates() -> None:
    value, problems = load('{\n  "a": {"b": 1},\n  "a": 2\n}', "f.json")
    assert problems == [("YAML002", 3, 3)]
    assert isinstance(value, LMap)
    assert (value.value_loc("a").line, value.value_loc("a").column) == (2, 8)
    assert value["a"].value_loc("b").column == 14


def test_json_syntax_error_is_json_located() -> None:
    assert load('{"a": 1,}', "f.json")[1] == [("YAML001", 1, 9)]


@pytest.mark.parametrize(
    ("text", "file", "expected"),
    [
        ("---\n", "f.yaml", [("YAML007", 2, 1)]),
        ("~\n", "f.yaml", [("YAML007", 1, 1)]),
        ("null", "f.json", [("YAML007", 1, 1)]),
        ("a: !!python/name:os.system x\n", "f.yaml", [("YAML004", 1, 4)]),
        ("a: !!binary aGk=\n", "f.yaml", [("YAML004", 1, 4)]),
        ("a: " + "9" * 5000 + "\n", "f.yaml", [("YAML008", 1, 4)]),
        ('{"a": ' + "9" * 5000 + "}", "f.json", [("YAML008", 1, 7)]),
    ],
)
def test_null_documents_foreign_tags_and_huge_numbers(text: str, file: str, expected) -> None:
    assert load(text, file)[1] == expected


def test_dates_stay_strings_under_libyaml() -> None:
    value, problems = load("since: 2024-01-01\nat: 2024-01-01T00:00:00Z\n")
    assert problems == [] and value == {"since": "2024-01-01", "at": "2024-01-01T00:00:00Z"}


def test_load_file_serves_repeat_reads_and_never_a_stale_tree(tmp_path) -> None:
    from ramstack.source import load_file

    path = tmp_path / "p.yaml"
    path.write_text("a: 1\na: 2\n")
    first, second = Diagnostics(), Diagnostics()
    assert load_file(path, first) is load_file(path, second)  # parsed once
    assert [d.code for d in first] == [d.code for d in second] == ["YAML002"]  # problems replayed
    path.write_text("a: 3\n")
    third = Diagnostics()
    assert load_file(path, third) == {"a": 3} and len(third) == 0


def test_non_utf8_file_is_located_at_the_bad_byte(tmp_path) -> None:
    from ramstack.source import load_file

    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    diags = Diagnostics()
    assert load_file(path, diags) is None
    assert [(d.code, d.location.line, d.location.column) for d in diags] == [("IO002", 2, 7)]


def _alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, levels + 1):
        lines.append(f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def test_aliases_are_reported_and_never_expanded() -> None:
    """Nine nested anchors would stand for 10**10 values: reported, not expanded, in bounded memory."""
    import tracemalloc

    tracemalloc.start()
    try:
        diags = Diagnostics()
        value = parse_text(_alias_bomb(9), "bomb.yaml", diags)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert value is None  # an alias stands for a value no check sees: the file stops at YAML003
    assert {d.code for d in diags} == {"YAML003"}
    assert len(diags) == 10 + 9 * 10  # every anchor and every alias, each at its own position
    assert peak < 20_000_000


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
@pytest.mark.parametrize("style", ["block", "flow-list", "flow-map"])
def test_deep_nesting_is_refused_before_composing(depth: int, style: str) -> None:
    if style == "block":  # indentation grows quadratically: deeper block nesting is a size refusal
        depth = min(depth, 1_000)
        text = "".join(f"{'  ' * i}k:\n" for i in range(depth)) + "  " * depth + "v\n"
    elif style == "flow-list":
        text = "a: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "a: " + "{b: " * depth + "c" + "}" * depth + "\n"
    value, problems = load(text)
    assert value is None
    assert [code for code, _, _ in problems] == ["YAML009"]


def test_nesting_up_to_the_limit_loads() -> None:
    value, problems = load("a: " + "[" * 63 + "]" * 63 + "\n")
    assert problems == []
    assert isinstance(value, LMap)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("users:\n  alice:\n\ufeff    groups: [a]\n", (3, 1)),
        ('a: "x\ufeffy"\n', (1, 6)),
        ('{"a": "x\ufeffy"}', (1, 9)),
    ],
)
def test_an_invisible_byte_order_mark_is_named(text: str, where: tuple[int, int]) -> None:
    file = "f.json" if text.startswith("{") else "f.yaml"
    _, problems = load(text, file)
    assert ("YAML011", *where) in problems


def test_a_leading_byte_order_mark_is_fine() -> None:
    assert load("\ufeffa: 1\n") == ({"a": 1}, [])


def test_too_large_a_file_is_refused_unread() -> None:
    from ramstack import source

    value, problems = load("a: " + "x" * (source.MAX_BYTES + 1))
    assert value is None
    assert problems == [("YAML010", 1, 1)]


@pytest.mark.parametrize("depth", [65, 1_000, 100_000])
def test_deep_json_is_refused_where_it_gets_too_deep(depth: int) -> None:
    value, problems = load('{"a":\n' + "[" * depth + "]" * depth + "}", "f.json")
    assert value is None
    assert problems == [("YAML009", 2, 64)]


def test_brackets_inside_json_strings_are_not_nesting() -> None:
    text = '{"a": "' + "[{" * 200 + '\\""}'
    assert load(text, "f.json") == ({"a": "[{" * 200 + '"'}, [])


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_refused_where_they_are(constant: str) -> None:
    value, problems = load('{"a": [1,\n ' + constant + "]}", "f.json")
    assert value is None
    assert problems == [("YAML001", 2, 2)]


@pytest.mark.parametrize("text", ["a:\n\tb: 1\n", "users:\n\tbob: {}\n", "a:\n  b: 1\n  c:\n\t- x\n"])
def test_a_tab_is_named_with_the_fix(text: str) -> None:
    # libyaml's own words, "found character that cannot start any token", never say it is a tab
    diags = Diagnostics()
    parse_text(text, "f.yaml", diags)
    [diag] = diags.sorted()
    assert diag.code == "YAML001" and "(a tab)" in diag.message and diag.fix == "indent with spaces, not tabs"


def test_other_syntax_errors_keep_their_hint() -> None:
    diags = Diagnostics()
    parse_text("a: [1, 2\n", "f.yaml", diags)
    [diag] = diags.sorted()
    assert "(a tab)" not in diag.message and diag.fix != "indent with spaces, not tabs"


def test_json_nested_exactly_to_the_limit_loads() -> None:
    from ramstack import source

    inner = source.MAX_DEPTH - 1  # and the outer mapping: MAX_DEPTH levels in all
    value, problems = load('{"a": ' + "[" * inner + "]" * inner + "}", "f.json")
    assert problems == []
    assert isinstance(value, dict)


@pytest.mark.parametrize(
    ("text", "file"),
    [
        ("a: 1\nb:\n  - x\n  - {c: d}\n'e': [f, g]\n", "f.yaml"),
        ('{"a": 1,\n "b": ["x", {"c": "d"}],\n  "e": ["f", "g"]}', "f.json"),
    ],
)
def test_positions_asked_one_by_one_agree_with_the_location_tables(text: str, file: str) -> None:
    """A located value answers key_loc/value_loc/item_loc from raw positions until its tables
    (key_locs, value_locs, item_locs) are read; both ways give the same Locations."""
    one_by_one, tables = parse_text(text, file, Diagnostics()), parse_text(text, file, Diagnostics())
    assert isinstance(one_by_one, LMap) and isinstance(tables, LMap)
    for key in one_by_one:
        assert one_by_one.key_loc(key) == tables.key_locs[key]
        assert one_by_one.value_loc(key) == tables.value_locs[key]
    assert one_by_one.key_loc("missing") == one_by_one.value_loc("missing") == one_by_one.loc
    items, item_table = one_by_one["b"], tables["b"]
    assert isinstance(items, LList) and isinstance(item_table, LList)
    assert [items.item_loc(i) for i in range(2)] == item_table.item_locs
    assert items.item_loc(2) == items.item_loc(-1) == items.loc
    assert [(loc.line, loc.column) for loc in item_table.item_locs] == (
        [(3, 5), (4, 5)] if file == "f.yaml" else [(2, 8), (2, 13)]
    )


def test_a_location_is_built_only_when_one_is_asked_for(locations_built: list[object]) -> None:
    built = locations_built
    value = parse_text("users:\n  alice: {groups: [a, b]}\n  bob: {}\n", "f.yaml", Diagnostics())
    assert isinstance(value, LMap) and built == []
    groups = value["users"]["alice"]["groups"]
    assert groups.item_loc(1).column == 23 and len(built) == 1


def test_hand_built_values_keep_their_location_tables() -> None:
    here, there = Location("f.yaml", 1, 1), Location("f.yaml", 2, 3)
    mapping = LMap(here)
    mapping["k"] = "v"
    mapping.key_locs["k"], mapping.value_locs["k"] = here, there
    assert (mapping.key_loc("k"), mapping.value_loc("k"), mapping.loc) == (here, there, here)
    copied = LList(here)
    copied.item_locs = [there]
    copied.append("x")
    assert copied.item_loc(0) == there and copied.item_loc(1) == here
    with pytest.raises(TypeError):
        LMap()


def test_values_added_after_the_tables_were_read_are_located() -> None:
    loaded = parse_text('{"a": [1]}', "f.json", Diagnostics())
    assert isinstance(loaded, LMap)
    items = loaded["a"]
    assert loaded.key_locs["a"].column == 2 and items.item_locs[0].column == 8
    loaded.put("b", 2, 7, 9)
    items.add(3, 9)
    assert (loaded.key_loc("b").column, loaded.value_loc("b").column, items.item_loc(1).column) == (8, 10, 10)


@pytest.mark.parametrize(("text", "file"), [("k: [a, b]\n", "f.yaml"), ('{"k": ["a", "b"]}', "f.json")])
def test_item_marks_say_where_item_loc_does(text: str, file: str) -> None:
    from ramstack.diagnostics import locate

    loaded = parse_text(text, file, Diagnostics())
    assert isinstance(loaded, LMap)
    items = loaded["k"]
    items.append("c")  # no position of its own: the list's location stands for it
    marks = list(items.item_marks())
    assert len(marks) == 3 and not any(isinstance(m, Location) for m in marks[:2])
    assert [locate(m) for m in marks] == [items.item_loc(i) for i in range(3)]
    assert marks[2] == items.loc
    built = LList(Location(file, 1, 1))
    built.item_locs = [Location(file, 2, 3)]
    built += ["x", "y"]
    assert list(built.item_marks()) == [Location(file, 2, 3), Location(file, 1, 1)]

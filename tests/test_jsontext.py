"""The fast indented writer is byte-identical to the standard library's indented, sorted output."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ramstack.jsontext import dumps_indented

leaves = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
values = st.recursive(
    leaves,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_same_bytes_as_the_standard_library(value: Any) -> None:
    assert dumps_indented(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def test_tuples_are_lists_and_non_ascii_stays_readable() -> None:
    value = {"b": ("é", "\u2028", '"\\'), "a": [{}, [], None, True, 10**30]}
    assert dumps_indented(value) == json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)


def test_rendered_fragments_stand_for_their_values() -> None:
    """A fragment written for its place (a list item or an object value, at any depth) gives the same
    text as the value itself."""
    from ramstack.jsontext import Rendered

    grant = {"action": "ecs:*", "effect": "Allow", "sources": ["p", "q"], "conditions": "{}"}
    plain = {"principals": {"user/a": {"grants": [grant, grant], "kind": "user"}}}
    fragment = Rendered(dumps_indented(grant, "\n" + " " * 8))
    value = {"principals": {"user/a": {"grants": [fragment, fragment], "kind": "user"}}}
    assert dumps_indented(value) == json.dumps(plain, indent=2, sort_keys=True, ensure_ascii=False)
    # an object value three levels deep: its fragment is written for that depth's indentation
    assert dumps_indented({"x": {"y": {"a": Rendered(dumps_indented(grant, "\n" + " " * 6))}}}) == (
        json.dumps({"x": {"y": {"a": grant}}}, indent=2, sort_keys=True, ensure_ascii=False)
    )


def test_joined_pieces_stand_for_their_text() -> None:
    """A value written in pieces gives what its joined text would, as an object value, a list item
    or the whole value; write_indented appends the same pieces dumps_indented joins."""
    from ramstack.jsontext import Joined, Rendered, write_indented

    grant = {"action": "ecs:*", "effect": "Allow", "sources": ["p", "q"]}
    text = dumps_indented(grant, "\n" + " " * 4)
    pieces = Joined((text[:5], text[5:17], text[17:]))
    assert dumps_indented({"a": {"b": pieces}}) == dumps_indented({"a": {"b": Rendered(text)}})
    assert dumps_indented({"a": [pieces]}) == dumps_indented({"a": [Rendered(text)]})
    assert dumps_indented({"a": {"b": pieces}}) == json.dumps({"a": {"b": grant}}, indent=2, sort_keys=True)
    assert dumps_indented(pieces, "\n    ") == text
    out: list[str] = []
    write_indented({"a": {"b": pieces}}, out)
    assert "".join(out) == dumps_indented({"a": {"b": pieces}}) and len(out) > 3

"""The lock writer's texts for its fixed shapes (a grant, a trust entry, an assumable role, a whole
lock) are what the generic indented writer gives for the same JSON, byte for byte."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from ramstack.effective import lockfile
from ramstack.effective.model import (
    Assumable,
    EffectivePermissions,
    Grant,
    PrincipalPermissions,
    TrustEntry,
)
from ramstack.jsontext import dumps_indented

texts = st.text(max_size=8)  # any character: quotes, backslashes, controls, non-ASCII
grants = st.builds(Grant, texts, texts, texts, texts, st.booleans(), st.booleans())
sources = st.lists(texts, max_size=3).map(tuple)
newlines = st.sampled_from(["\n", "\n  ", "\n" + " " * 8])


@settings(max_examples=200, deadline=None)
@given(grants, sources, newlines)
def test_a_grant_text_is_its_json(grant: Grant, grant_sources: tuple[str, ...], newline: str) -> None:
    assert grant.json_text(grant_sources, newline) == dumps_indented(grant.to_json(grant_sources), newline)


@settings(max_examples=100, deadline=None)
@given(st.builds(TrustEntry, texts, texts, texts), st.builds(Assumable, texts, sources), newlines)
def test_trust_and_assumable_texts_are_their_json(trust: TrustEntry, role: Assumable, newline: str) -> None:
    assert trust.json_text(newline) == dumps_indented(trust.to_json(), newline)
    assert role.json_text(newline) == dumps_indented(role.to_json(), newline)


attribute_values = st.booleans() | st.integers(0, 2) | texts | st.lists(texts, max_size=2)
principals = st.builds(
    PrincipalPermissions,
    st.sampled_from(["user/a", "user/b", "group/g", "role/r", "role/é"]),
    st.sampled_from(["user", "group", "role"]),
    st.lists(st.tuples(grants, sources), max_size=3).map(tuple),
    st.lists(st.builds(TrustEntry, texts, texts, texts), max_size=2).map(tuple),
    st.lists(st.builds(Assumable, texts, sources), max_size=2).map(tuple),
    st.dictionaries(st.sampled_from(["access_key", "groups", "max"]), attribute_values).map(
        lambda d: tuple(sorted(d.items()))
    ),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(principals, max_size=5), st.none() | texts)
def test_the_lock_text_is_the_standard_json_of_any_permissions(
    listed: list[PrincipalPermissions], stack: str | None
) -> None:
    """Equal attributes of different types (true and 1) stay apart; a subject given twice is written
    as `to_json` has it (the last one)."""
    perms = EffectivePermissions("1234567890123456", tuple(listed))
    expected = json.dumps(lockfile.to_json(perms, stack), indent=2, sort_keys=True, ensure_ascii=False)
    assert lockfile.dumps(perms, stack) == expected + "\n"

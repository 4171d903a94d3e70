"""check_object: the checked mapping has exactly the keys that passed, locations included, and the
loaded tree it was given is never changed (the parse cache shares loaded trees between callers)."""

from __future__ import annotations

from ramstack.diagnostics import Diagnostics
from ramstack.source import parse_text
from ramstack.spec import fields as F


def loaded(text: str):
    diags = Diagnostics()
    tree = parse_text(text, "access.yaml", diags)
    assert not diags.items
    return tree


def test_a_clean_mapping_comes_back_whole() -> None:
    tree = loaded(
        "display_name: Ann\npolicies: [a, b]\ntags: {team: x}\nconsole_login: {mfa_required: true}\n"
    )
    diags = Diagnostics()
    checked = F.check_object(tree, F.USER, tree.loc, "users.ann", diags)
    assert not diags.items
    assert checked == tree
    assert checked is not None and checked.value_loc("policies") == tree.value_loc("policies")


def test_dropped_keys_leave_the_loaded_tree_as_it_was() -> None:
    text = (
        "display_name: 5\ncomment: typo\npolicies: [a, a]\nprotect: ~\n"
        "console_login: {mfa: true}\ngroups: [g]\n"
    )
    tree = loaded(text)
    before = {k: (tree.key_loc(k), tree.value_loc(k)) for k in tree}
    diags = Diagnostics()
    checked = F.check_object(tree, F.USER, tree.loc, "users.ann", diags)
    assert checked is not None
    assert list(checked) == ["console_login", "groups"]
    assert checked["console_login"] == {}  # its unknown key dropped, the mapping kept
    assert checked.key_loc("groups") == tree.key_loc("groups")
    assert checked.value_loc("groups") == tree.value_loc("groups")
    # the loaded tree is untouched: every key, value and location as parsed
    assert tree == loaded(text)
    assert {k: (tree.key_loc(k), tree.value_loc(k)) for k in tree} == before
    assert sorted(d.code for d in diags) == ["SPEC002", "SPEC002", "SPEC003", "SPEC012"]

"""`${name}` substitution in policy trees."""

from __future__ import annotations

from pathlib import Path

import pytest

from ramstack.diagnostics import Diagnostics, Location
from ramstack.policy.load import load_policy_file
from ramstack.policy.variables import substitute
from ramstack.source import LList, LMap, parse_text

from ._helpers import located

VARS = {"account_id": "1234567890123456", "region": "cn-hangzhou", "bucket": "my-bucket"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("acs:oss:*:${account_id}:${bucket}/*", "acs:oss:*:1234567890123456:my-bucket/*"),
        ("${region}", "cn-hangzhou"),
        ("no variables", "no variables"),
        ("price: $5 {not a var}", "price: $5 {not a var}"),
        ("$${account_id}", "${account_id}"),
        ("$${literal} and ${bucket}", "${literal} and my-bucket"),
        ("$$${bucket}", "$${bucket}"),
        ("${bucket}${bucket}", "my-bucketmy-bucket"),
        ("a$b", "a$b"),
    ],
)
def test_expansion(text: str, expected: str) -> None:
    diags = Diagnostics()
    assert substitute(text, VARS, diags, file="f") == expected
    assert list(diags) == []


def test_values_are_not_re_expanded() -> None:
    diags = Diagnostics()
    assert substitute("${a}", {"a": "${b}", "b": "x"}, diags, file="f") == "${b}"
    assert list(diags) == []


def test_keys_and_non_strings_untouched() -> None:
    diags = Diagnostics()
    tree = {"${bucket}": "${bucket}", "n": 1, "b": True, "z": None, "l": ["${region}", 2.5]}
    assert substitute(tree, VARS, diags, file="f") == {
        "${bucket}": "my-bucket",
        "n": 1,
        "b": True,
        "z": None,
        "l": ["cn-hangzhou", 2.5],
    }


def test_locations_are_kept() -> None:
    diags = Diagnostics()
    text = 'Statement:\n  - Resource:\n      - "acs:oss:*:*:${bucket}"\n      - x\n    Effect: Allow\n'
    tree = parse_text(text, "p.yaml", diags)
    out = substitute(tree, VARS, diags, file="p.yaml")
    assert out is not tree
    assert isinstance(out, LMap)
    statement = out["Statement"][0]
    assert isinstance(statement, LMap) and isinstance(statement["Resource"], LList)
    assert statement["Resource"] == ["acs:oss:*:*:my-bucket", "x"]
    assert statement.loc == Location("p.yaml", 2, 5)
    assert statement.key_loc("Effect") == Location("p.yaml", 5, 5)
    assert statement.value_loc("Effect") == Location("p.yaml", 5, 13)
    assert statement["Resource"].item_loc(1) == Location("p.yaml", 4, 9)
    # the input is not modified
    assert tree["Statement"][0]["Resource"][0] == "acs:oss:*:*:${bucket}"


def test_unknown_variable_is_located_and_lists_known_ones() -> None:
    diags = Diagnostics()
    tree = parse_text('a: ok\nb:\n  - "${acount_id}:${nope}"\n', "p.yaml", diags)
    out = substitute(tree, VARS, diags, file="p.yaml")
    assert out["b"] == ["${acount_id}:${nope}"]
    assert located(diags) == {("VAR001", 3, 5)}
    first, second = diags.items
    assert "${acount_id}" in first.message
    assert "known variables: account_id, bucket, region" in first.message
    assert first.fix == "did you mean ${account_id}?"
    assert "${nope}" in second.message
    assert second.fix is not None and "give it a value (--var nope=" in second.fix


def test_unknown_variable_when_none_are_defined() -> None:
    diags = Diagnostics()
    substitute("${x}", {}, diags, file="f")
    assert [d.code for d in diags] == ["VAR001"]
    assert "none are defined" in diags.items[0].message
    assert diags.items[0].location == Location("f")


@pytest.mark.parametrize("text", ["${bucket", "a ${}", "${ bucket }", "${1abc}", "${a b}", "x${a{b}}"])
def test_malformed_reference(text: str) -> None:
    diags = Diagnostics()
    out = substitute({"k": text}, VARS, diags, file="f")
    assert out == {"k": text}
    assert [d.code for d in diags] == ["VAR002"]
    assert diags.items[0].fix


def test_load_policy_file_substitutes_before_validating(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: oss:GetObject\n'
        '    Resource: "acs:oss:${region}:${account_id}:${bucket}/*"\n',
        encoding="utf-8",
    )
    diags = Diagnostics()
    doc = load_policy_file(path, "permission", diags, variables=VARS)
    assert list(diags) == []
    assert doc is not None
    assert doc.statements[0].resources == ("acs:oss:cn-hangzhou:1234567890123456:my-bucket/*",)
    # without variables the text stays literal, and the grammar warns that it can never match
    diags = Diagnostics()
    assert load_policy_file(path, "permission", diags) is not None
    assert located(diags) == {("POL113", 5, 15)}


def test_substituted_value_is_validated_at_its_location(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: oss:GetObject\n    Resource: "${bucket}"\n',
        encoding="utf-8",
    )
    diags = Diagnostics()
    assert load_policy_file(path, "permission", diags, variables=VARS) is not None
    assert located(diags) == {("POL113", 5, 15)}
    assert "'my-bucket'" in diags.items[0].message


def test_unknown_variable_suppresses_the_grammar_echo(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        'Version: "1"\nStatement:\n  - Effect: allow\n    Action: oss:GetObject\n'
        '    Resource: "acs:oss:*:${acount}:b"\n',
        encoding="utf-8",
    )
    diags = Diagnostics()
    assert load_policy_file(path, "permission", diags, variables=VARS) is None
    # the unresolved resource is reported once (VAR001), other problems still are
    assert located(diags) == {("VAR001", 5, 15), ("POL006", 3, 13)}

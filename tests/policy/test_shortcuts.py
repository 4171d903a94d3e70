"""The validator's shortcuts for the common case decide exactly what the full checks decide.

`check_resource` and `check_ram_principal` accept a well-formed value with one regular expression
match; the full checks (`resource_findings`, `ram_principal_findings`) must find nothing in any
value the shortcut accepts, and both must agree on every value, shortcut or not."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ramstack.policy.arn import (
    _PLAIN_RAM_PRINCIPAL,
    _WELL_FORMED,
    check_ram_principal,
    check_resource,
    ram_principal_findings,
    resource_findings,
)

# Pieces ARNs are made of, with the characters each check cares about (wildcards, control
# characters, spaces, colons, slashes, unicode spaces) over-represented.
_PIECE = st.sampled_from(
    [
        "acs",
        "ram",
        "oss",
        "",
        "*",
        "?",
        "cn-hangzhou",
        "1234567890123456",
        "system",
        "user",
        "role",
        "root",
        "user/",
        "role/x",
        "bucket/*",
        " ",
        "\t",
        "\x7f",
        "\u00a0",
        ":",
        "/",
        "@",
        ".",
        "-",
        "_",
        "ARN",
        "arn",
        "Acs",
        "a",
        "Z",
        "9",
        "é",
    ]
)
_PART = st.lists(_PIECE, max_size=3).map("".join)
# five colon-separated parts, each usually valid for its place, sometimes not: both sides of each
# shortcut
_ARNISH = st.tuples(
    st.sampled_from(["acs", "acs", "Acs", "arn"]),
    st.sampled_from(["ram", "ram", "oss", "o*s", "", "Oss", "o s"]) | _PART,
    st.sampled_from(["", "", "*", "cn-hangzhou", "cn_x"]) | _PART,
    st.sampled_from(["1234567890123456", "12", "*", "system", "", "1a"]) | _PART,
    st.tuples(st.sampled_from(["root", "user/", "role/", "group/", "bucket/", ""]), _PART).map("".join),
).map(":".join)
_PRINCIPALISH = st.tuples(
    st.sampled_from(["acs:ram:", "acs:ram:", "acs:ram:*", "acs:ecs:", "acs:ram:cn"]),
    st.sampled_from(["1234567890123456", "1234567890123456", "12", "*", "", "1a"]),
    st.sampled_from(["root", "user/", "role/", "user/", "role/", "oidc-provider/", "root/"]),
    _PART,
).map(lambda p: f"{p[0]}:{p[1]}:{p[2]}{p[3]}")
_TEXT = _PRINCIPALISH | _ARNISH | st.lists(_PIECE, max_size=10).map("".join) | st.text(max_size=30)


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
def test_resource_shortcut_agrees_with_every_check(text: str) -> None:
    if text == "*" or (_WELL_FORMED.fullmatch(text) and not text[-1].isspace()):
        assert resource_findings(text) == []
    assert check_resource(text) == resource_findings(text)


@settings(max_examples=3000, deadline=None)
@given(_TEXT)
def test_principal_shortcut_agrees_with_every_check(text: str) -> None:
    if _PLAIN_RAM_PRINCIPAL.fullmatch(text):
        assert ram_principal_findings(text) == []
    assert check_ram_principal(text) == ram_principal_findings(text)


def test_the_generated_values_reach_both_sides_of_each_shortcut() -> None:
    seen: set[tuple[str, bool]] = set()

    @settings(max_examples=500, deadline=None)
    @given(_ARNISH | _PRINCIPALISH)
    def sample(text: str) -> None:
        seen.add(("resource", bool(_WELL_FORMED.fullmatch(text))))
        seen.add(("principal", bool(_PLAIN_RAM_PRINCIPAL.fullmatch(text))))

    sample()
    assert seen == {("resource", True), ("resource", False), ("principal", True), ("principal", False)}


def test_shortcuts_take_the_common_values() -> None:
    for text in ("acs:oss:*:1234567890123456:bucket/*", "acs:ecs:cn-hangzhou:*:instance/i-1", "*"):
        assert text == "*" or _WELL_FORMED.fullmatch(text)
    for text in ("acs:ram::1234567890123456:root", "acs:ram::1234567890123456:user/ops.bot@x"):
        assert _PLAIN_RAM_PRINCIPAL.fullmatch(text)
    # and the ones with something to say go the long way
    assert check_resource("acs:oss:*::bucket") != []
    assert check_resource("acs:oss:*:1:bucket ") != []
    assert check_ram_principal("acs:ram:*:1:root") != []


_ROLE_PIECE = st.sampled_from(
    ["role/", "ROLE/", "ramstack-any-role-probe", "x", "*", "?", "/", "\n", "ſ", "K"]
)


@settings(max_examples=400, deadline=None)
@given(service=st.sampled_from(["ram", "RAM", "r?m", "*", "oss"]), resource=st.lists(_ROLE_PIECE, max_size=5))
def test_a_named_role_is_matched_as_the_wildcard_pattern_would(service: str, resource: list[str]) -> None:
    """`targets_any_role` answers a resource without wildcards by comparing it (no regex per role):
    the same answer as the pattern match it stands for."""
    from ramstack.policy.actions import wildcard_regex
    from ramstack.policy.arn import parse_arn
    from ramstack.policy.escalation import _SOME_ROLE, targets_any_role

    text = f"acs:{service}::1234567890123456:{''.join(resource)}"
    arn = parse_arn(text)
    expected = arn is not None and (
        wildcard_regex(arn.service, ignore_case=True).match("ram") is not None
        and wildcard_regex(arn.resource, ignore_case=False).match(_SOME_ROLE) is not None
    )
    assert targets_any_role(text) is (text == "*" or expected)

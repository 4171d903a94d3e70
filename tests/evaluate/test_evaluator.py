"""Per-policy evaluation: explicit Deny wins, Allow, implicit deny; Action/Resource matching."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ramstack.diagnostics import Diagnostics
from ramstack.evaluate import NamedPolicy, PolicySet, Request, evaluate
from ramstack.policy.load import load_policy_file

from ._helpers import allow, deny, named, verdict

OBJ = "acs:oss:*:*:bucket/key"


@pytest.mark.parametrize(
    ("statements", "expected"),
    [
        ([allow("oss:GetObject")], "Allow"),
        ([deny("oss:GetObject")], "ExplicitDeny"),
        ([allow("oss:GetObject"), deny("oss:GetObject")], "ExplicitDeny"),
        ([deny("oss:GetObject"), allow("oss:*")], "ExplicitDeny"),
        ([allow("oss:PutObject")], "ImplicitDeny"),
        ([deny("oss:PutObject"), allow("oss:Get*")], "Allow"),
        ([], "ImplicitDeny"),
    ],
)
def test_deny_beats_allow_and_default_is_implicit_deny(statements: list, expected: str) -> None:
    policies = PolicySet([named("p", *statements)] if statements else [])
    assert policies.evaluate(Request.of("oss:GetObject", OBJ)).decision == expected


def test_deny_in_another_policy_wins() -> None:
    policies = [named("grant", allow("*")), named("guard", deny("oss:Delete*"))]
    decision = evaluate(policies, Request.of("oss:DeleteObject", OBJ))
    assert decision.decision == "ExplicitDeny"
    assert [(m.policy, m.statement, m.effect) for m in decision.matched] == [("guard", 0, "Deny")]
    assert evaluate(policies, Request.of("oss:GetObject", OBJ)).decision == "Allow"


@pytest.mark.parametrize(
    ("pattern", "action", "expected"),
    [
        ("oss:GetObject", "oss:GetObject", "Allow"),
        ("oss:GetObject", "OSS:getobject", "Allow"),  # actions are case-insensitive
        ("oss:getobject", "oss:GetObject", "Allow"),
        ("oss:Get*", "oss:GetObjectAcl", "Allow"),
        ("oss:Get*", "oss:PutObject", "ImplicitDeny"),
        ("oss:*", "ecs:DescribeInstances", "ImplicitDeny"),
        ("*", "ecs:DescribeInstances", "Allow"),
        ("*:Describe*", "ecs:DescribeInstances", "Allow"),
        ("*:Describe*", "ecs:CreateInstance", "ImplicitDeny"),
        ("oss:Get?bject", "oss:GetObject", "Allow"),
        ("oss:Get?bject", "oss:GetObbject", "ImplicitDeny"),
        ("oss:*Object*", "oss:PutObjectTagging", "Allow"),
        ("yundun-*:*", "yundun-waf:Describe", "Allow"),
        ("oss:Get", "oss:GetObject", "ImplicitDeny"),  # literal patterns match whole names only
    ],
)
def test_action_patterns(pattern: str, action: str, expected: str) -> None:
    assert verdict([allow(pattern)], action) == expected


@pytest.mark.parametrize(
    ("pattern", "resource", "expected"),
    [
        ("acs:oss:*:*:bucket/*", "acs:oss:*:*:bucket/key", "Allow"),
        ("acs:oss:*:*:bucket/*", "acs:oss:*:*:Bucket/key", "ImplicitDeny"),  # case-sensitive
        ("acs:oss:*:*:bucket", "acs:oss:*:*:bucket/key", "ImplicitDeny"),
        ("acs:oss:*:*:bucket/k?y", "acs:oss:*:*:bucket/key", "Allow"),
        ("acs:ram::123:role/*", "acs:ram::123:role/deploy", "Allow"),
        ("acs:ram:*:123:role/deploy", "acs:ram::123:role/deploy", "Allow"),  # * matches empty
        ("acs:ram::123:role/deploy", "acs:ram::123:role/deploy2", "ImplicitDeny"),
        ("*", "acs:anything:x:y:z", "Allow"),
    ],
)
def test_resource_patterns(pattern: str, resource: str, expected: str) -> None:
    assert verdict([allow("oss:GetObject", pattern)], "oss:GetObject", resource) == expected


@pytest.mark.parametrize(
    ("action", "expected"),
    [("oss:GetObject", "ImplicitDeny"), ("oss:PutObject", "ImplicitDeny"), ("ecs:Describe", "Allow")],
)
def test_not_action(action: str, expected: str) -> None:
    statement = {"Effect": "Allow", "NotAction": "oss:*", "Resource": "*"}
    assert verdict([statement], action) == expected


def test_not_action_deny_guards_everything_else() -> None:
    statements = [allow("*"), {"Effect": "Deny", "NotAction": ["oss:Get*", "oss:List*"], "Resource": "*"}]
    assert verdict(statements, "oss:GetObject") == "Allow"
    assert verdict(statements, "oss:DeleteObject") == "ExplicitDeny"
    assert verdict(statements, "ecs:StartInstance") == "ExplicitDeny"


@pytest.mark.parametrize(
    ("resource", "expected"),
    [("acs:oss:*:*:secret/key", "ImplicitDeny"), ("acs:oss:*:*:public/key", "Allow")],
)
def test_not_resource(resource: str, expected: str) -> None:
    statement = {"Effect": "Allow", "Action": "oss:GetObject", "NotResource": "acs:oss:*:*:secret/*"}
    assert verdict([statement], "oss:GetObject", resource) == expected


def test_not_resource_deny() -> None:
    statements = [
        allow("oss:*"),
        {"Effect": "Deny", "Action": "oss:*", "NotResource": ["acs:oss:*:*:mine", "acs:oss:*:*:mine/*"]},
    ]
    assert verdict(statements, "oss:GetObject", "acs:oss:*:*:mine/x") == "Allow"
    assert verdict(statements, "oss:GetObject", "acs:oss:*:*:theirs/x") == "ExplicitDeny"


def test_matches_name_statement_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "guard.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            Version: "1"
            Statement:
              - Effect: Allow
                Action: oss:*
                Resource: "*"
              - Effect: Deny
                Action: oss:DeleteObject
                Resource: "*"
            """
        )
    )
    document = load_policy_file(path, "permission", Diagnostics(), display="guard.yaml")
    assert document is not None
    policies = PolicySet([NamedPolicy("guard", document, "file")])
    denied = policies.evaluate(Request.of("oss:DeleteObject", OBJ))
    assert denied.decision == "ExplicitDeny"
    assert [(m.policy, m.statement, m.effect, m.file, m.line) for m in denied.matched] == [
        ("guard", 1, "Deny", "guard.yaml", 6)
    ]
    assert "guard Statement[1] (guard.yaml:6)" in denied.reason
    allowed = policies.evaluate(Request.of("oss:GetObject", OBJ))
    assert [(m.statement, m.line) for m in allowed.matched] == [(0, 3)]
    assert allowed.to_json()["matched"] == [
        {"policy": "guard", "statement": 0, "effect": "Allow", "file": "guard.yaml", "line": 3}
    ]


def test_allow_lists_every_allowing_statement() -> None:
    policies = PolicySet([named("a", allow("oss:*")), named("b", allow("oss:Get*"), allow("ecs:*"))])
    decision = policies.evaluate(Request.of("oss:GetObject", OBJ))
    assert [(m.policy, m.statement) for m in decision.matched] == [("a", 0), ("b", 0)]


def test_implicit_deny_explains_unmet_conditions_and_skipped_denies() -> None:
    guarded = allow("oss:GetObject", Condition={"Bool": {"acs:SecureTransport": "true"}})
    decision = PolicySet([named("p", guarded)]).evaluate(
        Request.of("oss:GetObject", OBJ, {"acs:SecureTransport": "false"})
    )
    assert decision.decision == "ImplicitDeny"
    assert decision.matched == ()
    assert "conditions not met in p Statement[0]" in decision.reason
    skipped = deny("oss:*", Condition={"Bool": {"acs:SecureTransport": "false"}})
    decision = PolicySet([named("p", allow("oss:*"), skipped)]).evaluate(
        Request.of("oss:GetObject", OBJ, {"acs:SecureTransport": "true"})
    )
    assert decision.decision == "Allow"
    assert "Deny not applied, its conditions are not met: p Statement[1]" in decision.reason


def test_is_allowed_agrees_with_evaluate() -> None:
    policies = PolicySet(
        [named("p", allow("oss:*"), deny("oss:Delete*"), allow("ecs:Describe*", "acs:ecs:*:*:instance/*"))]
    )
    for action, resource in [
        ("oss:GetObject", OBJ),
        ("oss:DeleteObject", OBJ),
        ("ecs:DescribeInstances", "acs:ecs:*:*:instance/i-1"),
        ("ecs:DescribeInstances", "acs:ecs:*:*:disk/d-1"),
        ("ram:CreateUser", "*"),
    ]:
        request = Request.of(action, resource)
        assert policies.is_allowed(request) == policies.evaluate(request).allowed


def test_evaluate_many_matches_single_evaluations() -> None:
    policies = PolicySet([named("p", allow("oss:Get*"), deny("oss:GetBucket*"))])
    requests = [Request.of(a, OBJ) for a in ("oss:GetObject", "oss:GetBucketAcl", "oss:PutObject")]
    assert [d.decision for d in policies.evaluate_many(requests)] == ["Allow", "ExplicitDeny", "ImplicitDeny"]


def test_request_context_is_normalised_and_hashable() -> None:
    request = Request.of("oss:GetObject", OBJ, {"acs:SecureTransport": True, "n": 5, "tags": ["a", "b"]})
    assert request.context == {"acs:SecureTransport": ("true",), "n": ("5",), "tags": ("a", "b")}
    assert hash(request) == hash(
        Request.of("oss:GetObject", OBJ, {"tags": ["a", "b"], "n": 5, "acs:SecureTransport": True})
    )
    assert request != Request.of("oss:GetObject", OBJ)

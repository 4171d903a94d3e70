"""The seed flows: scoped assume grant, role assumption (identity AND trust), session policies."""

from __future__ import annotations

from pathlib import Path

import pytest

from ramstack.diagnostics import Diagnostics
from ramstack.evaluate import (
    Caller,
    NamedPolicy,
    PolicySet,
    Request,
    UnknownPrincipal,
    assume_role,
    evaluate_assume,
    evaluate_session,
    identity_policies,
    trust_policy,
)
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from ramstack.spec.model import Spec

from ._helpers import ACCOUNT, REPO_ROOT, SPEC, STACK_FILE, allow, deny, doc, named

ICE = f"acs:ice:*:{ACCOUNT}:*"
APP_IP = {"acs:SourceIp": "203.0.113.10"}


def _load(folder: Path, stack: str) -> Spec:
    diags = Diagnostics()
    config = load_stack_config(folder, stack, diags)
    assert config is not None, [d.format() for d in diags]
    return load_spec(config, diags)


@pytest.fixture(scope="module")
def dev() -> Spec:
    """The repository's dev stack (access.yaml, Pulumi.dev.yaml, policies/)."""
    return _load(REPO_ROOT, "dev")


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> Spec:
    folder = tmp_path_factory.mktemp("stack")
    (folder / "Pulumi.test.yaml").write_text(STACK_FILE)
    (folder / "access.yaml").write_text(SPEC)
    return _load(folder, "test")


# -- seed 000 / 003: a user with only the scoped assume grant -------------------------------------


@pytest.mark.parametrize(
    "action",
    ["ice:GetMediaInfo", "ice:GetMediaProducingJob", "ice:SearchEditingProject", "ice:DeleteMediaInfos"],
)
def test_assume_grant_user_cannot_call_ice_directly(dev: Spec, action: str) -> None:
    policies = PolicySet(identity_policies(dev, "user/ims-app"))
    assert [p.name for p in policies.policies] == ["ramstack-assume-user-ims-app"]
    assert policies.evaluate(Request.of(action, ICE, APP_IP)).decision == "ImplicitDeny"


def test_assume_grant_is_scoped_to_the_named_roles(dev: Spec) -> None:
    policies = PolicySet(identity_policies(dev, "user/ims-app"))
    assert policies.evaluate(Request.of("sts:AssumeRole", dev.role_arn("ims-sts-role"))).allowed
    assert not policies.evaluate(Request.of("sts:AssumeRole", dev.role_arn("some-other-role"))).allowed


def test_user_can_call_ice_after_assuming_the_role(dev: Spec) -> None:
    assumed = assume_role(dev, "user/ims-app", "ims-sts-role", APP_IP)
    assert assumed.decision == "Allow"
    assert assumed.failed == ()
    assert {m.policy for m in assumed.matched} == {"ramstack-assume-user-ims-app", "trust:ims-sts-role"}
    role = PolicySet(identity_policies(dev, "role/ims-sts-role"))
    decision = role.evaluate(Request.of("ice:GetMediaInfo", ICE, APP_IP))
    assert decision.decision == "Allow"
    assert [(m.policy, m.file) for m in decision.matched] == [
        ("ims-read-only", "policies/ims-read-only.yaml")
    ]
    # read-only: the role does not write
    assert role.evaluate(Request.of("ice:DeleteMediaInfos", ICE, APP_IP)).decision == "ImplicitDeny"
    # and only from the application's address
    assert role.evaluate(Request.of("ice:GetMediaInfo", ICE, {"acs:SourceIp": "198.51.100.1"})).decision == (
        "ImplicitDeny"
    )


def test_group_member_without_grant_cannot_assume(dev: Spec) -> None:
    assumed = assume_role(dev, "user/alice", "ims-sts-role")
    assert assumed.decision == "ImplicitDeny"
    assert assumed.failed == ("identity", "trust")


def test_user_inherits_group_policies(dev: Spec) -> None:
    policies = PolicySet(identity_policies(dev, "user/alice"))
    assert policies.evaluate(Request.of("ice:GetMediaInfo", ICE)).decision == "Allow"
    assert policies.evaluate(Request.of("ice:DeleteMediaInfos", ICE)).decision == "ImplicitDeny"
    assert {p.via for p in identity_policies(dev, "user/alice")} == {"group/media-readers"}


# -- seed 004: IpAddress acs:SourceIp 192.168.0.1 ----------------------------------------------------

SEED_004 = {
    "Version": "1",
    "Statement": [
        {
            "Action": [
                "ice:GetMediaProducingJob",
                "ice:GetEditingProject",
                "ice:GetMediaInfo",
                "ice:ListMediaBasicInfos",
                "ice:SearchEditingProject",
            ],
            "Resource": "*",
            "Effect": "Allow",
            "Condition": {"IpAddress": {"acs:SourceIp": "192.168.0.1"}},
        }
    ],
}


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({"acs:SourceIp": "192.168.0.1"}, "Allow"),
        ({"acs:SourceIp": "192.168.0.2"}, "ImplicitDeny"),
        ({"acs:SourceIp": "192.168.0.10"}, "ImplicitDeny"),
        ({"acs:SourceIp": "10.0.0.1"}, "ImplicitDeny"),
        ({"acs:SourceIp": "::ffff:192.168.0.1"}, "ImplicitDeny"),
        ({}, "ImplicitDeny"),
    ],
)
def test_seed_004_source_ip(context: dict, expected: str) -> None:
    from ramstack.policy.validate import parse_policy_dict

    policy = NamedPolicy("ims-read", parse_policy_dict(SEED_004, "permission"), "file")
    decision = PolicySet([policy]).evaluate(Request.of("ice:GetMediaInfo", ICE, context))
    assert decision.decision == expected
    if not context:
        assert decision.missing_keys == ("acs:SourceIp",)


# -- seed 001: VOD session policy narrows AliyunVODFullAccess -----------------------------------------

VOD_SESSION = NamedPolicy(
    "session", doc({"Effect": "Allow", "Action": "vod:CreateUploadVideo", "Resource": "*"}), "session"
)


@pytest.mark.parametrize(
    ("action", "with_session", "without_session"),
    [
        ("vod:CreateUploadVideo", "Allow", "Allow"),
        ("vod:DeleteVideo", "ImplicitDeny", "Allow"),
        ("vod:GetPlayInfo", "ImplicitDeny", "Allow"),
        ("oss:PutObject", "ImplicitDeny", "ImplicitDeny"),
    ],
)
def test_vod_session_policy_narrows_role(
    spec: Spec, action: str, with_session: str, without_session: str
) -> None:
    assert assume_role(spec, "user/uploader", "vod-upload-role").allowed
    role = PolicySet(identity_policies(spec, "role/vod-upload-role"))
    assert [p.name for p in role.policies] == ["AliyunVODFullAccess"]
    request = Request.of(action, "*")
    narrowed = evaluate_session(role, PolicySet([VOD_SESSION]), request)
    assert narrowed.decision == with_session
    assert evaluate_session(role, None, request).decision == without_session


def test_session_decision_names_both_sides(spec: Spec) -> None:
    role = PolicySet(identity_policies(spec, "role/vod-upload-role"))
    allowed = evaluate_session(role, PolicySet([VOD_SESSION]), Request.of("vod:CreateUploadVideo", "*"))
    assert {m.policy for m in allowed.matched} == {"session", "AliyunVODFullAccess"}
    assert allowed.part("session") is not None and allowed.part("role") is not None
    narrowed = evaluate_session(role, PolicySet([VOD_SESSION]), Request.of("vod:DeleteVideo", "*"))
    assert narrowed.reason.startswith("the session policy does not allow it")
    assert narrowed.part("role").decision == "Allow"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("role_statements", "session_statements", "expected"),
    [
        ([allow("oss:*"), deny("oss:Delete*")], [allow("*")], "ExplicitDeny"),  # role's deny survives
        ([allow("oss:*")], [allow("oss:*"), deny("oss:DeleteObject")], "ExplicitDeny"),  # session deny wins
        ([allow("oss:Get*")], [allow("oss:*")], "ImplicitDeny"),  # session cannot widen
        ([allow("oss:*")], [allow("oss:DeleteObject")], "Allow"),
    ],
)
def test_session_intersection(role_statements: list, session_statements: list, expected: str) -> None:
    decision = evaluate_session(
        PolicySet([named("role", *role_statements)]),
        PolicySet([named("session", *session_statements)]),
        Request.of("oss:DeleteObject", "acs:oss:*:*:b/k"),
    )
    assert decision.decision == expected


# -- assume: which side failed ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("subject", "role", "context", "decision", "failed"),
    [
        ("user/uploader", "vod-upload-role", None, "Allow", ()),
        # trusted, but holds no sts:AssumeRole grant: identity fails
        ("user/lurker", "vod-upload-role", None, "ImplicitDeny", ("identity",)),
        # holds AliyunSTSAssumeRoleAccess (any role), but not trusted: trust fails
        ("user/roamer", "vod-upload-role", None, "ImplicitDeny", ("trust",)),
        # account-root trust with MFA: the condition decides
        ("user/roamer", "deploy", {"acs:MFAPresent": "true"}, "Allow", ()),
        ("user/roamer", "deploy", {"acs:MFAPresent": "false"}, "ImplicitDeny", ("trust",)),
        ("user/roamer", "deploy", None, "ImplicitDeny", ("trust",)),
        # a RAM user cannot assume a service-trusted role
        ("user/roamer", "ecs-role", None, "ImplicitDeny", ("trust",)),
        ("service/ecs.aliyuncs.com", "ecs-role", None, "Allow", ()),
        ("service/fc.aliyuncs.com", "ecs-role", None, "ImplicitDeny", ("trust",)),
    ],
)
def test_assume_sides(
    spec: Spec, subject: str, role: str, context: dict | None, decision: str, failed: tuple
) -> None:
    assumed = assume_role(spec, subject, role, context)
    assert (assumed.decision, assumed.failed) == (decision, failed)
    if subject.startswith("service/"):
        assert assumed.identity is None
    else:
        assert assumed.identity is not None


GITHUB_OK = {
    "oidc:iss": "https://token.actions.githubusercontent.com",
    "oidc:aud": "sts.aliyuncs.com",
    "oidc:sub": "repo:org/repo:ref:refs/heads/main",
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, "Allow"),
        ({"oidc:sub": "repo:org/repo:ref:refs/heads/feature"}, "ImplicitDeny"),
        ({"oidc:sub": "repo:evil/repo:ref:refs/heads/main"}, "ImplicitDeny"),
        ({"oidc:aud": "someone-else"}, "ImplicitDeny"),
        ({"oidc:iss": "https://evil.example.com"}, "ImplicitDeny"),
    ],
)
def test_federated_oidc_trust(spec: Spec, change: dict, expected: str) -> None:
    assumed = assume_role(spec, "oidc-provider/github", "ci", {**GITHUB_OK, **change})
    assert assumed.decision == expected
    assert assumed.identity is None  # role-based SSO: no identity step


def test_trust_deny_is_final() -> None:
    trust = NamedPolicy(
        "trust:r",
        doc(
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": f"acs:ram::{ACCOUNT}:root"}},
            {
                "Effect": "Deny",
                "Action": "sts:AssumeRole",
                "Principal": {"RAM": f"acs:ram::{ACCOUNT}:user/bad"},
            },
            kind="trust",
        ),
        "trust",
    )
    grant = [named("any", allow("sts:AssumeRole"))]
    role_arn = f"acs:ram::{ACCOUNT}:role/r"
    good = evaluate_assume(Caller.user(ACCOUNT, "good"), role_arn, trust, grant)
    bad = evaluate_assume(Caller.user(ACCOUNT, "bad"), role_arn, trust, grant)
    other_account = evaluate_assume(Caller.user("999", "good"), role_arn, trust, grant)
    role_caller = evaluate_assume(Caller.role(ACCOUNT, "chain"), role_arn, trust, grant)
    assert good.decision == "Allow"
    assert (bad.decision, bad.failed) == ("ExplicitDeny", ("trust",))
    assert [m.policy for m in bad.matched] == ["trust:r"]
    assert other_account.failed == ("trust",)
    assert role_caller.decision == "Allow"  # an account root trusts that account's roles too


def test_identity_deny_on_assume() -> None:
    trust = NamedPolicy(
        "trust:r",
        doc({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": "*"}}, kind="trust"),
        "trust",
    )
    grant = [named("g", allow("sts:AssumeRole"), deny("sts:AssumeRole", f"acs:ram::{ACCOUNT}:role/r"))]
    assumed = evaluate_assume(Caller.user(ACCOUNT, "u"), f"acs:ram::{ACCOUNT}:role/r", trust, grant)
    assert (assumed.decision, assumed.failed) == ("ExplicitDeny", ("identity",))
    assert assumed.to_json()["matched"][0]["policy"] == "g"


def test_trust_policy_points_at_the_role_in_the_spec(spec: Spec) -> None:
    policy = trust_policy(spec, "vod-upload-role")
    assert policy.name == "trust:vod-upload-role"
    assumed = assume_role(spec, "user/uploader", "vod-upload-role")
    trust_match = next(m for m in assumed.matched if m.policy == "trust:vod-upload-role")
    assert trust_match.file is not None and trust_match.file.endswith("access.yaml")
    assert trust_match.line == spec.role_map["vod-upload-role"].location.line  # type: ignore[union-attr]


@pytest.mark.parametrize("subject", ["user/nobody", "role/nope", "robot/x", "user"])
def test_unknown_principals(spec: Spec, subject: str) -> None:
    with pytest.raises(UnknownPrincipal):
        identity_policies(spec, subject)

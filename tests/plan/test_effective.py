"""Effective permissions and the diff's pairing rules, on small specs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramstack.effective import EffectivePermissions, Grant, PrincipalPermissions, compute_effective
from ramstack.effective.model import Assumable
from ramstack.permdiff import diff_permissions
from ramstack.policy.document import PolicyDocument
from ramstack.policy.validate import parse_policy_dict
from ramstack.spec.model import ConsoleLogin, CustomPolicy, Group, PolicyRef, Role, Spec, Trust, User
from ramstack.spec.trust import trust_policy_dict

ACCOUNT = "1234567890123456"


def role(name: str, trust: Trust, policies: tuple[PolicyRef, ...] = ()) -> Role:
    doc = parse_policy_dict(trust_policy_dict(trust, None, ACCOUNT, {}), "trust")
    return Role(name, trust, doc, policies=policies)


def grant_policy(name: str, arns: list[str]) -> CustomPolicy:
    doc = parse_policy_dict(
        {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": arns}]},
        "permission",
    )
    return CustomPolicy(name, doc, file=f"policies/{name}.yaml")


def test_group_grants_flow_to_members_and_mfa_trust_is_a_requirement() -> None:
    spec = Spec(
        ACCOUNT,
        "cn-hangzhou",
        users=(User("bob", groups=("ops",), console_login=ConsoleLogin()),),
        groups=(
            Group(
                "ops",
                policies=(
                    PolicyRef("assume-admin", "Custom"),
                    PolicyRef("AliyunOSSReadOnlyAccess", "System"),
                ),
            ),
        ),
        roles=(role("admin", Trust(users=("bob",), require_mfa=True)),),
        policies=(grant_policy("assume-admin", [f"acs:ram::{ACCOUNT}:role/admin"]),),
    )
    perms = compute_effective(spec).by_subject
    bob = perms["user/bob"]
    actions = {g.action for g, _ in bob.grants}
    assert actions == {"sts:AssumeRole", "oss:Get*", "oss:List*"}
    assert all(any("via group/ops" in s for s in src) for _, src in bob.grants)
    assert bob.assumable == (Assumable("role/admin", ("acs:MFAPresent",)),)
    assert perms["role/admin"].trusted_by[0].conditions == '{"Bool":{"acs:MFAPresent":["true"]}}'


def test_a_role_not_granted_is_not_assumable_even_if_it_trusts_the_user() -> None:
    spec = Spec(ACCOUNT, "cn-hangzhou", users=(User("eve"),), roles=(role("r", Trust(users=("eve",))),))
    assert compute_effective(spec).by_subject["user/eve"].assumable == ()


@pytest.mark.parametrize(
    ("grant", "escalation"),
    [
        (Grant("Allow", "ram:*", "*"), True),
        (Grant("Allow", "*", "*"), True),
        (Grant("Allow", "ram:AttachPolicyToRole", "*"), True),
        (Grant("Allow", "ram:PassRole", "*"), True),
        (Grant("Allow", "sts:AssumeRole", "*"), True),
        (Grant("Allow", "sts:AssumeRole", f"acs:ram::{ACCOUNT}:role/x"), False),
        (Grant("Allow", "ram:Get*", "*"), False),
        (Grant("Allow", "ice:DeleteMediaInfos", "*"), False),
        (Grant("Deny", "ram:*", "*"), False),
        (Grant("Allow", "ram:*", "*", not_action=True), True),
    ],
)
def test_escalation_detection(grant: Grant, escalation: bool) -> None:
    assert grant.is_escalation() is escalation


def perms(*grants: Grant) -> EffectivePermissions:
    return EffectivePermissions(
        ACCOUNT, (PrincipalPermissions("role/r", "role", tuple((g, ()) for g in grants)),)
    )


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        (Grant("Allow", "oss:GetObject", "acs:oss:*:*:b/*"), Grant("Allow", "oss:GetObject", "*"), "widened"),
        (Grant("Allow", "oss:Get*", "*"), Grant("Allow", "oss:*", "*"), "widened"),
        (Grant("Allow", "oss:*", "*"), Grant("Allow", "oss:GetObject", "*"), "narrowed"),
        (
            Grant("Allow", "oss:GetObject", "*", '{"Bool":{"acs:SecureTransport":["true"]}}'),
            Grant("Allow", "oss:GetObject", "*"),
            "widened",
        ),
        (Grant("Deny", "oss:*", "*"), Grant("Deny", "oss:DeleteObject", "*"), "widened"),
    ],
)
def test_pairing(before: Grant, after: Grant, kind: str) -> None:
    result = diff_permissions(perms(before), perms(after))
    assert [(c.kind, c.before, c.grant) for c in result.grants] == [(kind, before, after)]


def test_unrelated_changes_stay_added_and_removed() -> None:
    result = diff_permissions(
        perms(Grant("Allow", "oss:GetObject", "*")), perms(Grant("Allow", "vod:Get*", "*"))
    )
    assert sorted(c.kind for c in result.grants) == ["added", "removed"]


def test_action_case_is_not_a_change() -> None:
    assert diff_permissions(
        perms(Grant("Allow", "oss:GetObjectACL", "*")), perms(Grant("Allow", "oss:GetObjectAcl", "*"))
    ).empty


def kinds(before: list[Grant], after: list[Grant]) -> list[tuple[str, str, str | None]]:
    result = diff_permissions(perms(*before), perms(*after))
    return sorted(
        (c.kind, c.grant.action + " " + c.grant.resource, c.before.action if c.before else None)
        for c in result.grants
    )


def test_question_mark_does_not_cover_star() -> None:
    assert kinds(
        [Grant("Allow", "oss:GetObject", "acs:oss:*:*:b/*")],
        [Grant("Allow", "oss:GetObject", "acs:oss:*:*:b/?")],
    ) == [("narrowed", "oss:GetObject acs:oss:*:*:b/?", "oss:GetObject")]


def test_one_wide_grant_widens_several() -> None:
    before = [Grant("Allow", "oss:Get*", "*"), Grant("Allow", "oss:List*", "*")]
    assert kinds(before, [Grant("Allow", "*", "*")]) == [
        ("widened", "* *", "oss:Get*"),
        ("widened", "* *", "oss:List*"),
    ]


def test_several_narrow_grants_narrow_one() -> None:
    after = [Grant("Allow", "oss:GetObject", "*"), Grant("Allow", "oss:PutObject", "*")]
    assert [k for k, _, _ in kinds([Grant("Allow", "oss:*", "*")], after)] == ["narrowed", "narrowed"]


def test_removing_or_narrowing_a_deny_of_escalation_actions_is_an_escalation() -> None:
    allow_all = Grant("Allow", "*", "*")
    removed = diff_permissions(perms(allow_all, Grant("Deny", "ram:*", "*")), perms(allow_all))
    assert [(c.kind, c.escalation) for c in removed.grants] == [("removed", True)]
    narrowed = diff_permissions(
        perms(Grant("Deny", "ram:*", "*")), perms(Grant("Deny", "ram:DeleteUser", "*"))
    )
    assert [(c.kind, c.escalation) for c in narrowed.grants] == [("widened", True)]
    harmless = diff_permissions(perms(Grant("Deny", "oss:DeleteObject", "*")), perms())
    assert [(c.kind, c.escalation) for c in harmless.grants] == [("removed", False)]


def test_not_action_sets_are_one_grant() -> None:
    def spec_with(not_actions: list[str]) -> Spec:
        doc = parse_policy_dict(
            {"Version": "1", "Statement": [{"Effect": "Allow", "NotAction": not_actions, "Resource": "*"}]},
            "permission",
        )
        return Spec(
            ACCOUNT,
            "cn-hangzhou",
            users=(User("u", policies=(PolicyRef("p", "Custom"),)),),
            policies=(CustomPolicy("p", doc, file="policies/p.yaml"),),
        )

    user = compute_effective(spec_with(["ram:*", "ecs:*"])).by_subject["user/u"]
    assert [(g.action, g.not_action) for g, _ in user.grants] == [("ecs:*, ram:*", True)]
    change = diff_permissions(
        compute_effective(spec_with(["ram:*", "ecs:*"])), compute_effective(spec_with(["ram:*"]))
    )
    assert sorted(c.kind for c in change.grants) == ["added", "removed"]
    assert [c.escalation for c in change.grants if c.kind == "added"] == [True]


def test_a_system_policy_outside_the_catalog_is_listed_not_evaluated() -> None:
    spec = Spec(
        ACCOUNT, "cn-hangzhou", users=(User("u", policies=(PolicyRef("AliyunECSFullAccess", "System"),)),)
    )
    user = compute_effective(spec).by_subject["user/u"]
    assert user.grants == ()
    assert dict(user.attributes)["not_evaluated"] == ["AliyunECSFullAccess"]


def test_conditional_identity_grants_still_show_the_role_and_requirement_changes_are_diffed() -> None:
    def spec_with(mfa_on_trust: bool) -> Spec:
        grant = parse_policy_dict(
            {
                "Version": "1",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Resource": f"acs:ram::{ACCOUNT}:role/admin",
                        "Condition": {"IpAddress": {"acs:SourceIp": "203.0.113.0/24"}},
                    }
                ],
            },
            "permission",
        )
        return Spec(
            ACCOUNT,
            "cn-hangzhou",
            users=(User("bob", policies=(PolicyRef("g", "Custom"),)),),
            roles=(role("admin", Trust(users=("bob",), require_mfa=mfa_on_trust)),),
            policies=(CustomPolicy("g", grant, file="policies/g.yaml"),),
        )

    before = compute_effective(spec_with(False))
    assert before.by_subject["user/bob"].assumable == (Assumable("role/admin", ("acs:SourceIp",)),)
    after = compute_effective(spec_with(True))
    assert after.by_subject["user/bob"].assumable == (
        Assumable("role/admin", ("acs:MFAPresent", "acs:SourceIp")),
    )
    change = diff_permissions(before, after)
    assert [(a.name, a.before, a.after) for a in change.attributes] == [
        ("request keys needed to assume role/admin", "acs:SourceIp", "acs:MFAPresent, acs:SourceIp")
    ]


def test_roles_of_other_accounts_are_assumable_on_the_identity_side_alone() -> None:
    other = "acs:ram::1000000000000719:role/partner"
    denied = "acs:ram::1000000000000719:role/denied"
    doc = parse_policy_dict(
        {
            "Version": "1",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Resource": [other, denied, "acs:ram::1000000000000719:role/pattern-*"],
                    "Condition": {"Bool": {"acs:MFAPresent": "true"}},
                },
                {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": denied},
            ],
        },
        "permission",
    )
    spec = Spec(
        ACCOUNT,
        "cn-hangzhou",
        users=(User("bob", policies=(PolicyRef("outside", "Custom"),)),),
        policies=(CustomPolicy("outside", doc, file="policies/outside.yaml"),),
    )
    # the named role is listed with what the request must carry; the denied one never is; the
    # wildcard names no role that could be listed
    assert compute_effective(spec).by_subject["user/bob"].assumable == (
        Assumable(other, ("acs:MFAPresent",)),
    )


def _doc(statements: list[dict[str, object]]) -> PolicyDocument:
    return parse_policy_dict({"Version": "1", "Statement": statements}, "permission")


def test_grants_merge_across_policies_like_one_merge_of_every_statement() -> None:
    """A grant several policies (or statements) give is one entry with every source, the first
    grant seen standing for its action-case variants; grants no other policy gives keep their own."""
    docs = {
        "a": _doc(
            [
                {"Effect": "Allow", "Action": ["oss:GetObject", "ecs:Describe*"], "Resource": "*"},
                {"Effect": "Allow", "Action": "oss:getobject", "Resource": "*"},
            ]
        ),
        "b": _doc([{"Effect": "Allow", "Action": ["OSS:GetObject", "vod:*"], "Resource": "*"}]),
        "c": _doc([{"Effect": "Deny", "Action": "ram:*", "Resource": "*"}]),
    }
    policies = tuple(CustomPolicy(n, d, file=f"policies/{n}.yaml") for n, d in docs.items())

    def grants(names: tuple[str, ...]) -> list[tuple[str, str, tuple[str, ...]]]:
        refs = tuple(PolicyRef(n, "Custom") for n in names)
        spec = Spec(ACCOUNT, "cn-hangzhou", users=(User("u", policies=refs),), policies=policies)
        user = compute_effective(spec).by_subject["user/u"]
        return [(g.effect, g.action, s) for g, s in user.grants]

    assert grants(("a", "c")) == [
        ("Allow", "ecs:Describe*", ("a#0",)),
        ("Allow", "oss:GetObject", ("a#0", "a#1")),
        ("Deny", "ram:*", ("c#0",)),
    ]
    assert grants(("b", "a")) == [
        ("Allow", "OSS:GetObject", ("a#0", "a#1", "b#0")),
        ("Allow", "ecs:Describe*", ("a#0",)),
        ("Allow", "vod:*", ("b#0",)),
    ]
    assert grants(("a", "b"))[1] == ("Allow", "oss:GetObject", ("a#0", "a#1", "b#0"))


def test_a_deny_of_sts_assume_role_in_another_policy_still_blocks_the_role() -> None:
    deny = _doc([{"Effect": "Deny", "Action": "sts:*", "Resource": "*"}])
    unrelated = _doc([{"Effect": "Allow", "Action": "oss:*", "Resource": "*"}])
    refs = (PolicyRef("assume-ci", "Custom"), PolicyRef("other", "Custom"))
    spec = Spec(
        ACCOUNT,
        "cn-hangzhou",
        users=(User("dev", policies=refs), User("ops", policies=(*refs, PolicyRef("no-sts", "Custom")))),
        roles=(role("ci", Trust(users=("dev", "ops"))),),
        policies=(
            grant_policy("assume-ci", [f"acs:ram::{ACCOUNT}:role/ci"]),
            CustomPolicy("other", unrelated, file="policies/other.yaml"),
            CustomPolicy("no-sts", deny, file="policies/no-sts.yaml"),
        ),
    )
    perms = compute_effective(spec).by_subject
    assert perms["user/dev"].assumable == (Assumable("role/ci"),)
    assert perms["user/ops"].assumable == ()


def test_lock_and_simulate_list_the_same_policies_not_evaluated() -> None:
    from ramstack.evaluate.batch import BatchEvaluator
    from ramstack.evaluate.options import DEFAULT_OPTIONS

    spec = Spec(
        ACCOUNT,
        "cn-hangzhou",
        users=(User("u", groups=("g",), policies=(PolicyRef("AliyunECSFullAccess", "System"),)),),
        groups=(Group("g", policies=(PolicyRef("AliyunRDSFullAccess", "System"),)),),
    )
    locked = dict(compute_effective(spec).by_subject["user/u"].attributes)["not_evaluated"]
    simulated: dict[str, object] = {}
    BatchEvaluator(DEFAULT_OPTIONS, None, spec).unevaluated("user/u", simulated)
    assert locked == simulated["not_evaluated"] == ["AliyunECSFullAccess", "AliyunRDSFullAccess"]


def test_the_lock_text_is_the_standard_json_of_its_shape() -> None:
    """The lock writer joins cached texts (one per distinct grant, one per grant list shared by
    several principals): the result is json.dumps of the lock's JSON shape, byte for byte."""
    import json

    from ramstack.effective import lockfile

    read = _doc([{"Effect": "Allow", "Action": ["oss:Get*", "oss:List*"], "Resource": "*"}])
    spec = Spec(
        ACCOUNT,
        "cn-hangzhou",
        users=(
            User("a", groups=("g",), policies=(PolicyRef("assume-ci", "Custom"),)),
            User("b", groups=("g",)),
            User("c", groups=("g",), policies=(PolicyRef("AliyunECSFullAccess", "System"),)),
            User("d"),
            User("e", groups=("g",)),
        ),
        groups=(Group("g", policies=(PolicyRef("read", "Custom"),)),),
        roles=(role("ci", Trust(users=("a",), require_mfa=True), (PolicyRef("read", "Custom"),)),),
        policies=(
            grant_policy("assume-ci", [f"acs:ram::{ACCOUNT}:role/ci"]),
            CustomPolicy("read", read, file="policies/read.yaml"),
        ),
    )
    perms = compute_effective(spec)
    shared = perms.by_subject["user/b"].grants
    assert shared and shared is perms.by_subject["user/e"].grants  # one list, written once
    assert perms.by_subject["user/d"].grants == ()
    expected = json.dumps(lockfile.to_json(perms, "dev"), indent=2, sort_keys=True, ensure_ascii=False)
    assert lockfile.dumps(perms, "dev") == expected + "\n"


def test_trust_by_name_by_account_and_by_wildcard_arn_and_with_mfa() -> None:
    """Trusts ramstack writes from `trust:` name users literally (decided without the evaluator),
    or the account, a wildcard ARN or an MFA condition (decided by it): each gives what it says."""
    grant = grant_policy(
        "assume-all", [f"acs:ram::{ACCOUNT}:role/{r}" for r in ("named", "acct", "wild", "mfa")]
    )
    spec = Spec(
        ACCOUNT,
        "cn-hangzhou",
        users=(User("dev-a", policies=(PolicyRef("assume-all", "Custom"),)),),
        roles=(
            role("named", Trust(users=("dev-a",))),
            role("acct", Trust(accounts=("self",))),
            role("wild", Trust(arns=(f"acs:ram::{ACCOUNT}:user/dev-*",))),
            role("mfa", Trust(users=("dev-a",), require_mfa=True)),
            role("other", Trust(users=("dev-b",))),
        ),
        policies=(grant,),
    )
    assumable = compute_effective(spec).by_subject["user/dev-a"].assumable
    assert assumable == (
        Assumable("role/acct"),
        Assumable("role/mfa", ("acs:MFAPresent",)),
        Assumable("role/named"),
        Assumable("role/wild"),
    )


@pytest.mark.parametrize(
    "pattern",
    [
        "sts:AssumeRole",
        "STS:assumerole",
        "sts:AssumeRol",
        "sts:AssumeRoleX",
        "sts:*",
        "*",
        "sts:Assume?ole",
        "ſts:AssumeRole",
        "sts:AſſumeRole",
        "ecs:DescribeInstances",
        "sts:AssumeRole\n",
        "",
    ],
)
def test_a_statement_covers_assume_role_as_the_action_matcher_says(pattern: str) -> None:
    """`action_matches` compares a pattern without wildcards as text: the pattern's regex agrees."""
    from ramstack.policy.actions import action_matches, wildcard_regex

    expected = wildcard_regex(pattern, ignore_case=True).match("sts:AssumeRole") is not None
    assert action_matches(pattern, "sts:AssumeRole") == expected


_ACTIONS = ["oss:GetObject", "OSS:getobject", "oss:Get*", "ecs:Describe*", "vod:*", "ram:*"]
_statements = st.lists(
    st.fixed_dictionaries(
        {
            "Effect": st.sampled_from(["Allow", "Deny"]),
            "Action": st.lists(st.sampled_from(_ACTIONS), min_size=1, max_size=3, unique=True),
            "Resource": st.sampled_from(["*", "acs:oss:*:*:b/*"]),
        }
    ),
    min_size=1,
    max_size=3,
)
_names = st.lists(st.sampled_from(["p0", "p1", "p2", "p3"]), max_size=3, unique=True)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(_statements, min_size=4, max_size=4),
    st.lists(st.tuples(_names, st.lists(st.sampled_from(["g0", "g1"]), max_size=2, unique=True)), max_size=4),
    st.tuples(_names, _names),
    st.lists(_names, max_size=2),
)
def test_every_principal_has_one_merge_of_its_policies_grants(
    documents: list[list[dict[str, object]]],
    users: list[tuple[list[str], list[str]]],
    groups: tuple[list[str], list[str]],
    roles: list[list[str]],
) -> None:
    """Whatever policies principals share: each principal's grants are those of every statement of
    every policy it holds (a user's groups' too, a policy held twice once) merged by Grant.key, the
    first grant seen (policy order, then statement order) standing for the key, sources united and
    sorted, the pairs sorted."""
    from ramstack.effective.compute import _document_grants
    from ramstack.evaluate.principals import identity_policies

    policies = tuple(
        CustomPolicy(f"p{i}", _doc(statements), file=f"policies/p{i}.yaml")
        for i, statements in enumerate(documents)
    )

    def refs(names: list[str]) -> tuple[PolicyRef, ...]:
        return tuple(PolicyRef(n, "Custom") for n in names)

    spec = Spec(
        ACCOUNT,
        "cn-hangzhou",
        users=tuple(User(f"u{i}", groups=tuple(g), policies=refs(n)) for i, (n, g) in enumerate(users)),
        groups=tuple(Group(f"g{i}", policies=refs(n)) for i, n in enumerate(groups)),
        roles=tuple(
            role(f"r{i}", Trust(services=("ecs.aliyuncs.com",)), refs(n)) for i, n in enumerate(roles)
        ),
        policies=policies,
    )
    perms = compute_effective(spec).by_subject
    for subject, principal in perms.items():
        merged: dict[tuple[str, str, str, str, bool, bool], tuple[Grant, set[str]]] = {}
        for named in identity_policies(spec, subject):
            via = f" via {named.via}" if named.via and named.via != subject else ""
            for index, grant in _document_grants(named.document):
                merged.setdefault(grant.key, (grant, set()))[1].add(f"{named.name}#{index}{via}")
        expected = sorted((g, tuple(sorted(s))) for g, s in merged.values())
        assert list(principal.grants) == expected, subject

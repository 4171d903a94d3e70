"""Generated documents (assume grants, trust policies) are made once per content: principals with the
same content share the statements, each document keeps its own source and locations, and what a
document says never depends on which principal was loaded first. A document nothing can be said about
is built directly, and equals what the validator makes of its dictionary."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ramstack.diagnostics import Diagnostics, InvalidInput, Location
from ramstack.policy import validate
from ramstack.policy.document import PolicyDocument
from ramstack.spec import load as spec_load
from ramstack.spec import trust as spec_trust
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from ramstack.spec.model import GithubTrust, OidcTrust, Trust

SPEC = """\
users:
  alice: {assume_roles: [app]}
  bob: {assume_roles: [app]}
  carol: {assume_roles: [app, ops]}
roles:
  app:
    trust: {users: [alice, bob, carol]}
  ops:
    trust: {users: [carol]}
  ops-copy:
    trust: {users: [carol]}
"""


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The sources of every generated document actually made (built directly or validated)."""
    seen: list[str] = []
    real = validate.parse_policy_dict
    real_trust, real_grant = spec_trust.plain_trust_document, spec_trust.plain_assume_grant

    def counting(data, kind, *, source="<inline>"):
        seen.append(source)
        return real(data, kind, source=source)

    def counting_trust(trust, github, account_id, source):
        seen.append(source)
        return real_trust(trust, github, account_id, source)

    def counting_grant(arns, source):
        seen.append(source)
        return real_grant(arns, source)

    monkeypatch.setattr(validate, "parse_policy_dict", counting)
    monkeypatch.setattr(spec_load, "plain_trust_document", counting_trust)
    monkeypatch.setattr(spec_load, "plain_assume_grant", counting_grant)
    return seen


def load(project, text: str):
    folder = project(text)
    diags = Diagnostics()
    config = load_stack_config(folder, "test", diags)
    assert config is not None
    return load_spec(config, diags)


def test_same_content_is_validated_once_and_located_per_principal(project, parsed) -> None:
    spec = load(project, SPEC)
    grants = {p.generated_for: p for p in spec.policies if p.generated_for}
    alice, bob, carol = grants["user/alice"], grants["user/bob"], grants["user/carol"]
    assert alice.document == bob.document != carol.document
    for name, policy in (("alice", alice), ("bob", bob), ("carol", carol)):
        source = f"generated:ramstack-assume-user-{name}"
        assert policy.document.source == source
        assert [s.location for s in policy.document.statements] == [Location(source)]
    roles = spec.role_map
    assert roles["ops"].trust_document == roles["ops-copy"].trust_document
    assert roles["ops"].trust_document.source != roles["ops-copy"].trust_document.source
    assert roles["ops-copy"].trust_document.statements[0].location == Location(
        roles["ops-copy"].trust_document.source or ""
    )
    # three roles, two trusts; three grants, two contents
    assert len(parsed) == 4
    assert sorted(s.split("#")[0].rsplit("/", 1)[-1] for s in parsed) == [
        "access.yaml",
        "access.yaml",
        "generated:ramstack-assume-user-alice",
        "generated:ramstack-assume-user-carol",
    ]


def test_a_rejected_generated_document_is_reported_at_every_role_with_it(project, monkeypatch) -> None:
    real = validate.parse_policy_dict

    def refusing(data, kind, *, source="<inline>"):
        if kind == "trust":  # as if the generated trust broke a rule: every role with it must say so
            data = {**data, "Version": "2"}
        return real(data, kind, source=source)

    monkeypatch.setattr(validate, "parse_policy_dict", refusing)
    monkeypatch.setattr(spec_load, "plain_trust_document", lambda *args: None)  # to the validator
    with pytest.raises(InvalidInput) as raised:
        load(project, SPEC)
    reported = [(d.code, d.location.line) for d in raised.value.diagnostics]
    assert reported == [("POL002", 7), ("POL002", 9), ("POL002", 11)]  # app, ops and ops-copy
    assert all("generated trust policy" in d.message for d in raised.value.diagnostics)


ACCOUNT = "1234567890123456"
# names and ARNs a spec may hold, plain or not: the plain ones are built directly, the others must
# fall back to the validator (which warns, or rejects), so both paths are compared on both kinds
NAMES = st.sampled_from(["app", "ops", "a.b", "x_y", "Bad Name", "caf\u00e9", "", "*", "a/b", "r" * 70])
ARNS = st.sampled_from(
    [
        "acs:ram::1234567890123456:role/app",
        "acs:ram::210987654321:role/other",
        "acs:ram::1234567890123456:user/dev",
        "acs:ram::1234567890123456:root",
        "acs:ram::*:role/x",
        "acs:ram::12:role/",
        "acs:ram:cn-hangzhou:1234567890123456:role/app",
        "acs:ram::1234567890123456:role/caf\u00e9",
        "acs:ram::1234567890123456:role/\ud800",
        "acs:oss:*:*:bucket/*",
        "*",
        "123456",
        "",
    ]
)
SERVICES = st.sampled_from(
    ["ecs.aliyuncs.com", "fc.aliyuncs.com", "ECS.aliyuncs.com", "ecs", "12@ecs.aliyuncs.com", "x y", ""]
)
ACCOUNTS = st.sampled_from(["self", "1234567890123456", "210987654321"])


def validated(data, kind, source: str) -> PolicyDocument | None:
    try:
        return validate.parse_policy_dict(data, kind, source=source)
    except InvalidInput:
        return None


def same(built: PolicyDocument, expected: PolicyDocument | None) -> None:
    """Equal documents, with the same sources and statement locations (which equality ignores)."""
    assert expected is not None, "built directly, but the validator rejects it"
    assert built == expected
    assert built.source == expected.source
    assert [s.location for s in built.statements] == [s.location for s in expected.statements]
    assert built.to_json() == expected.to_json()


@settings(max_examples=300, deadline=None)
@given(
    users=st.lists(NAMES, max_size=4),
    roles=st.lists(NAMES, max_size=3),
    accounts=st.lists(ACCOUNTS, max_size=2),
    arns=st.lists(ARNS, max_size=3),
    services=st.lists(SERVICES, max_size=3),
    require_mfa=st.booleans(),
    oidc=st.booleans(),
    github=st.booleans(),
)
def test_a_plain_trust_document_is_what_the_validator_makes(
    users, roles, accounts, arns, services, require_mfa, oidc, github
) -> None:
    trust = Trust(
        users=tuple(users),
        roles=tuple(roles),
        accounts=tuple(accounts),
        arns=tuple(arns),
        services=tuple(services),
        oidc=(OidcTrust("gh", ("sts.aliyuncs.com",), ("repo:a/b:*",)),) if oidc else (),
        require_mfa=require_mfa,
    )
    hub = GithubTrust("gh", "a/b", "main", None, "sts.aliyuncs.com") if github else None
    source = "access.yaml#7"
    built = spec_trust.plain_trust_document(trust, hub, ACCOUNT, source)
    data = spec_trust.trust_policy_dict(trust, hub, ACCOUNT, {})
    if built is not None:
        same(built, validated(data, "trust", source))
    # the common case (declared names, accounts) takes the direct path
    common = not (oidc or github or arns or services) and set(users) | set(roles) <= {
        "app",
        "ops",
        "a.b",
        "x_y",
    }
    if common and (users or roles or accounts):
        assert built is not None


@settings(max_examples=300, deadline=None)
@given(arns=st.lists(ARNS | NAMES.map(lambda n: f"acs:ram::{ACCOUNT}:role/{n}"), max_size=5))
def test_a_plain_assume_grant_is_what_the_validator_makes(arns) -> None:
    source = "generated:ramstack-assume-user-dev"
    built = spec_trust.plain_assume_grant(arns, source)
    expected = validated(spec_trust.assume_grant_dict(arns), "permission", source)
    if built is not None:
        same(built, expected)
    elif arns and all(a.isascii() for a in arns):
        raise AssertionError("an ASCII grant within the size limit is built directly")


def test_an_assume_grant_over_the_size_limit_goes_to_the_validator() -> None:
    arns = [f"acs:ram::{ACCOUNT}:role/role-{i:04d}-{'x' * 40}" for i in range(100)]
    assert spec_trust.plain_assume_grant(arns, "generated:g") is None
    with pytest.raises(InvalidInput) as raised:
        validate.parse_policy_dict(spec_trust.assume_grant_dict(arns), "permission", source="generated:g")
    assert [d.code for d in raised.value.diagnostics] == ["POL017"]
    fits = arns[:10]
    built = spec_trust.plain_assume_grant(fits, "generated:g")
    assert built is not None
    same(
        built,
        validated(spec_trust.assume_grant_dict(fits), "permission", "generated:g"),
    )


def test_an_assume_grant_too_large_for_ram_is_reported_where_the_roles_are_listed(project) -> None:
    roles = [f"role-{i:03d}-{'x' * 50}" for i in range(120)]
    text = f"users:\n  alice:\n    assume_roles: [{', '.join(roles)}]\nroles:\n" + "".join(
        f"  {r}: {{trust: {{users: [alice]}}}}\n" for r in roles
    )
    with pytest.raises(InvalidInput) as raised:
        load(project, text)
    [error] = raised.value.diagnostics
    assert (error.code, error.location.line, error.location.column) == ("POL017", 3, 19)
    assert error.message.startswith("user/alice's generated assume grant: policy document is ")
    assert error.fix is not None and "fewer roles" in error.fix


@pytest.mark.parametrize("filler", ["x", '"', "\\", "\x01"])
def test_a_plain_assume_grant_near_the_size_limit_is_the_validators_answer(filler: str) -> None:
    """Escaped characters count as RAM counts them: the direct build fits exactly when the validated
    document does, whatever the characters (a bound decides most grants without rendering them)."""
    for count in range(20, 140, 3):
        arns = [f"acs:ram::{ACCOUNT}:role/r{i}-{filler * 20}" for i in range(count)]
        built = spec_trust.plain_assume_grant(arns, "generated:g")
        expected = validated(spec_trust.assume_grant_dict(arns), "permission", "generated:g")
        if expected is None:
            assert built is None
        else:
            assert built is not None
            same(built, expected)
            assert built.size() == expected.size() <= validate.MAX_POLICY_BYTES

"""Generated documents (assume grants, trust policies) are validated once per content: principals
with the same content share the statements, each document keeps its own source and locations, and
what a document says never depends on which principal was loaded first."""

from __future__ import annotations

import pytest

from ramstack.diagnostics import Diagnostics, InvalidInput, Location
from ramstack.policy import validate
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec

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
    """The sources of every generated document actually validated."""
    seen: list[str] = []
    real = validate.parse_policy_dict

    def counting(data, kind, *, source="<inline>"):
        seen.append(source)
        return real(data, kind, source=source)

    monkeypatch.setattr(validate, "parse_policy_dict", counting)
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
    with pytest.raises(InvalidInput) as raised:
        load(project, SPEC)
    reported = [(d.code, d.location.line) for d in raised.value.diagnostics]
    assert reported == [("POL002", 7), ("POL002", 9), ("POL002", 11)]  # app, ops and ops-copy
    assert all("generated trust policy" in d.message for d in raised.value.diagnostics)

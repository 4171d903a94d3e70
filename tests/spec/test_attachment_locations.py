"""Each attachment (`PolicyRef`) knows where it is written: the item of `policies:` or
`system_policies:` that names it, and a generated assume grant its principal. The loader keeps the
parser's raw position and makes the Location only when one is asked for."""

from __future__ import annotations

import pytest

from ramstack.diagnostics import Diagnostics, Location
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec

SPEC = """\
users:
  alice:
    policies: [read, write]
    system_policies:
      - AliyunOSSReadOnlyAccess
    assume_roles: [app]
groups:
  ops:
    policies:
      - write
roles:
  app:
    trust: {users: [alice]}
    system_policies: [AliyunECSReadOnlyAccess]
"""

DOCUMENT = '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:GetObject", "Resource": "*"}]}'


def test_attachments_are_located_at_their_items(project) -> None:
    folder = project(SPEC, policies={"read.json": DOCUMENT, "write.json": DOCUMENT})
    diags = Diagnostics()
    config = load_stack_config(folder, "test", diags)
    assert config is not None
    spec = load_spec(config, diags)
    file = spec.file or ""
    where = {
        (principal.subject, ref.name): ref.location
        for principal in (*spec.users, *spec.groups, *spec.roles)
        for ref in principal.policies
    }
    assert where == {
        ("user/alice", "read"): Location(file, 3, 16),
        ("user/alice", "write"): Location(file, 3, 22),
        ("user/alice", "AliyunOSSReadOnlyAccess"): Location(file, 5, 9),
        ("user/alice", "ramstack-assume-user-alice"): spec.user_map["alice"].location,
        ("group/ops", "write"): Location(file, 10, 9),
        ("role/app", "AliyunECSReadOnlyAccess"): Location(file, 14, 23),
    }
    assert spec.user_map["alice"].location == Location(file, 2, 3)


def test_an_attachment_location_is_made_only_when_asked(project, request: pytest.FixtureRequest) -> None:
    folder = project(SPEC, policies={"read.json": DOCUMENT, "write.json": DOCUMENT})
    diags = Diagnostics()
    config = load_stack_config(folder, "test", diags)
    assert config is not None
    spec = load_spec(config, diags)
    asked: list[object] = request.getfixturevalue("locations_built")  # counted from here on
    ref = spec.group_map["ops"].policies[0]
    assert asked == []
    assert ref.location == Location(spec.file or "", 10, 9) and len(asked) == 1


def test_a_principal_mapping_is_checked_without_a_location(project, locations_built: list[object]) -> None:
    """The field table checks each principal's mapping; its Location is made only when a finding
    points at it (the principal's own location, its name, is kept in the model)."""
    folder = project(SPEC, policies={"read.json": DOCUMENT, "write.json": DOCUMENT})
    diags = Diagnostics()
    config = load_stack_config(folder, "test", diags)
    assert config is not None
    spec = load_spec(config, diags)
    made = {(raw.line + 1, raw.column + 1) for raw in locations_built}  # type: ignore[attr-defined]
    assert (2, 3) in made and spec.user_map["alice"].location == Location(spec.file or "", 2, 3)
    assert (3, 5) not in made  # alice's mapping
    assert (13, 5) not in made  # the mapping of app's trust (nested)

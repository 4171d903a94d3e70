"""Rule: every field the fake cloud validates, `validate` rejects first, located at that field.

The walk goes over every parameter of every fake operation the stack program calls (the handlers
in ramstack/components/mock_cloud.py); each must have a row below (a value the fake refuses and
where the spec writes it) or a stated reason why it does not come from a spec field. A new check in
the fake therefore needs its spec twin before this test passes.
"""

from __future__ import annotations

import contextlib
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from ramstack.diagnostics import Diagnostics, InvalidInput, Level
from ramstack.fakecloud import CloudError, FakeCloud
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec

TRUST = (
    '{"Version":"1","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole",'
    '"Principal":{"Service":["ecs.aliyuncs.com"]}}]}'
)
POLICY = '{"Version":"1","Statement":[{"Effect":"Allow","Action":"oss:GetObject","Resource":"*"}]}'
ISSUER = "https://token.actions.githubusercontent.com"

COMPONENTS = Path(__file__).resolve().parents[2] / "ramstack" / "components"


def _setup_user(cloud: FakeCloud) -> None:
    cloud.ram.create_user(user_name="u1")


def _setup_role(cloud: FakeCloud) -> None:
    cloud.ram.create_role(role_name="r1", assume_role_policy_document=TRUST)


def _nothing(cloud: FakeCloud) -> None:
    return None


# Every fake operation the stack program calls (found in ramstack/components by the walk), with the
# arguments that make the call valid and what must exist first.
OPERATIONS: dict[str, tuple[dict[str, Any], Callable[[FakeCloud], None]]] = {
    "create_user": ({"user_name": "u1"}, _nothing),
    "update_user": ({"user_name": "u1"}, _setup_user),
    "delete_user": ({"user_name": "u1"}, _setup_user),
    "create_access_key": ({"user_name": "u1"}, _setup_user),
    "create_login_profile": ({"user_name": "u1", "password": "Passw0rd!x"}, _setup_user),
    "update_login_profile": ({"user_name": "u1"}, _setup_user),
    "get_login_profile": ({"user_name": "u1"}, _setup_user),
    "create_group": ({"group_name": "g1"}, _nothing),
    "add_user_to_group": ({"group_name": "g1", "user_name": "u1"}, _setup_user),
    "create_role": ({"role_name": "r1", "assume_role_policy_document": TRUST}, _nothing),
    "update_role": ({"role_name": "r1"}, _setup_role),
    "create_policy": ({"policy_name": "p1", "policy_document": POLICY}, _nothing),
    "create_policy_version": ({"policy_name": "p1", "policy_document": POLICY}, _nothing),
    "create_oidc_provider": (
        {"oidc_provider_name": "gh", "issuer_url": ISSUER, "client_ids": ["sts.aliyuncs.com"]},
        _nothing,
    ),
}

# Update parameters carry the same spec field as the create parameter: its rows apply to them too.
ALIASES = {
    ("update_user", "new_user_name"): ("create_user", "user_name"),
    ("update_user", "new_display_name"): ("create_user", "display_name"),
    ("update_user", "new_mobile_phone"): ("create_user", "mobile_phone"),
    ("update_user", "new_email"): ("create_user", "email"),
    ("update_user", "new_comments"): ("create_user", "comments"),
    ("update_role", "new_description"): ("create_role", "description"),
    ("update_role", "new_max_session_duration"): ("create_role", "max_session_duration"),
}

# Parameters that do not come from a spec field of their own, and why.
NOT_SPEC_FIELDS = {
    ("create_role", "assume_role_policy_document"): "generated from trust:/github:; same grammar validator",
    ("update_role", "new_assume_role_policy_document"): "generated from trust:/github:; same grammar",
    ("create_policy", "policy_document"): "a policy file: validate and the fake run the same grammar",
    ("create_policy_version", "policy_document"): "a policy file: the same grammar",
    ("create_policy_version", "set_as_default"): "set by the CustomPolicy component, not the spec",
    ("create_policy_version", "rotate_strategy"): "set by the CustomPolicy component, not the spec",
    ("create_login_profile", "password"): "a Pulumi secret in the stack config: encrypted, unreadable here",
    ("update_login_profile", "password"): "a Pulumi secret in the stack config: encrypted, unreadable here",
    ("create_login_profile", "password_reset_required"): "a spec boolean; the fake checks nothing more",
    ("update_login_profile", "password_reset_required"): "a spec boolean; the fake checks nothing more",
    ("create_login_profile", "mfa_bind_required"): "a spec boolean; the fake checks nothing more",
    ("update_login_profile", "mfa_bind_required"): "a spec boolean; the fake checks nothing more",
    ("create_access_key", "caller_access_key_id"): "the request's signer, not a parameter",
}
# Parameters naming an entity the program created: its name went through the create row.
REFERENCES = {"user_name", "group_name", "role_name", "policy_name"}


@dataclass(frozen=True)
class Case:
    operation: str
    parameter: str
    value: Any
    spec: str  # the spec, with the bad value on line `line`
    line: int

    @property
    def id(self) -> str:
        return f"{self.operation}.{self.parameter}={str(self.value)[:12]}"


def _user(field: str, value: str) -> str:
    return f"users:\n  u1:\n    {field}: {value}\n"


CASES = [
    Case("create_user", "user_name", "bad name", "users:\n  bad name: {}\n", 2),
    Case("create_user", "user_name", "u" * 65, f"users:\n  {'u' * 65}: {{}}\n", 2),
    Case("create_user", "display_name", "d" * 129, _user("display_name", "d" * 129), 3),
    Case("create_user", "comments", "c" * 129, _user("comments", "c" * 129), 3),
    Case("create_user", "email", "not-an-email", _user("email", "not-an-email"), 3),
    Case("create_user", "email", "a@b", _user("email", "a@b"), 3),
    Case("create_user", "mobile_phone", "18600008888", _user("mobile", "18600008888"), 3),
    Case("create_user", "mobile_phone", "86 186", _user("mobile", "86 186"), 3),
    Case("create_group", "group_name", "bad/name", "groups:\n  bad/name: {}\n", 2),
    Case("create_group", "comments", "c" * 129, f"groups:\n  g1:\n    comments: {'c' * 129}\n", 3),
    Case(
        "create_role",
        "role_name",
        "bad_name",
        "roles:\n  bad_name:\n    trust: {services: [ecs.aliyuncs.com]}\n",
        2,
    ),
    Case(
        "create_role",
        "description",
        "d" * 1025,
        f"roles:\n  r1:\n    description: {'d' * 1025}\n    trust: {{services: [ecs.aliyuncs.com]}}\n",
        3,
    ),
    Case(
        "create_role",
        "max_session_duration",
        43201,
        "roles:\n  r1:\n    max_session_duration: 43201\n    trust: {services: [ecs.aliyuncs.com]}\n",
        3,
    ),
    Case(
        "create_role",
        "max_session_duration",
        3599,
        "roles:\n  r1:\n    max_session_duration: 3599\n    trust: {services: [ecs.aliyuncs.com]}\n",
        3,
    ),
    Case("create_policy", "policy_name", "bad_name", "policies:\n  bad_name: {}\n", 2),
    Case("create_policy", "description", "d" * 1025, f"policies:\n  p1:\n    description: {'d' * 1025}\n", 3),
]


def _oidc(field: str, value: str) -> str:
    body = {"issuer_url": ISSUER, "client_ids": "[sts.aliyuncs.com]", field: value}
    lines = "".join(f"    {k}: {v}\n" for k, v in body.items() if k != field)
    return f"oidc_providers:\n  gh:\n    {field}: {value}\n{lines}"


CASES += [
    Case(
        "create_oidc_provider",
        "oidc_provider_name",
        "-gh",
        f"oidc_providers:\n  -gh:\n    issuer_url: {ISSUER}\n    client_ids: [sts.aliyuncs.com]\n",
        2,
    ),
    Case(
        "create_oidc_provider",
        "issuer_url",
        "http://insecure.example.com",
        _oidc("issuer_url", "http://insecure.example.com"),
        3,
    ),
    Case("create_oidc_provider", "client_ids", ["-bad"], _oidc("client_ids", "[-bad]"), 3),
    Case("create_oidc_provider", "fingerprints", ["not hex!"], _oidc("fingerprints", "['not hex!']"), 3),
    Case("create_oidc_provider", "issuance_limit_time", 0, _oidc("issuance_limit_time", "0"), 3),
    Case("create_oidc_provider", "issuance_limit_time", 169, _oidc("issuance_limit_time", "169"), 3),
    Case("create_oidc_provider", "description", "d" * 257, _oidc("description", "d" * 257), 3),
]


def _method(cloud: FakeCloud, operation: str) -> Callable[..., Any]:
    service = cloud.ims if operation.endswith("oidc_provider") else cloud.ram
    method: Callable[..., Any] = getattr(service, operation)
    return method


def test_every_parameter_the_fake_validates_has_a_spec_twin() -> None:
    called = {
        match[1]
        for path in COMPONENTS.glob("*.py")
        for match in re.finditer(r"cloud\.(?:ram|ims|sts)\.([a-z_]+)", path.read_text(encoding="utf-8"))
    }
    assert called <= set(OPERATIONS), f"add the fake operations {sorted(called - set(OPERATIONS))}"
    covered = {(c.operation, c.parameter) for c in CASES} | set(ALIASES) | set(NOT_SPEC_FIELDS)
    cloud = FakeCloud()
    for operation, (required, _) in OPERATIONS.items():
        parameters = inspect.signature(_method(cloud, operation)).parameters
        for name in parameters:
            names_its_own_entity = operation == "create_" + name.removesuffix("_name")
            if name in REFERENCES and not names_its_own_entity:
                continue  # a reference to an entity the program created: its create row covers it
            assert (operation, name) in covered, f"{operation} takes {name}: add its row to CASES"
        assert set(required) <= set(parameters)


def _calls(case: Case) -> list[tuple[str, str]]:
    """The case's own (operation, parameter) and every update parameter aliased to it."""
    return [(case.operation, case.parameter)] + [
        alias for alias, target in ALIASES.items() if target == (case.operation, case.parameter)
    ]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_fake_refuses_the_value(case: Case) -> None:
    for operation, parameter in _calls(case):
        cloud = FakeCloud()
        required, setup = OPERATIONS[operation]
        setup(cloud)
        with pytest.raises(CloudError) as raised:
            _method(cloud, operation)(**{**required, parameter: case.value})
        assert raised.value.code.startswith("InvalidParameter"), (operation, raised.value)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_validate_refuses_it_first_at_that_field(project: Any, case: Case) -> None:
    policies = {"p1.json": POLICY, "bad_name.json": POLICY}
    folder = project(case.spec, policies=policies)
    diags = Diagnostics()
    config = load_stack_config(folder, "test", diags)
    assert config is not None
    with contextlib.suppress(InvalidInput):
        load_spec(config, diags)
    errors = [d for d in diags if d.level is Level.ERROR]
    assert errors, f"validate accepted {case.id}"
    assert any(d.location.file.endswith("access.yaml") and d.location.line == case.line for d in errors), [
        d.format() for d in errors
    ]

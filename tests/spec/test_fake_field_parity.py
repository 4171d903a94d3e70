"""Rule: every field the fake cloud validates, `validate` rejects first, located at that field.

The walk goes over every parameter of every fake operation the stack program calls (the handlers
in ramstack/components/mock_cloud.py); each must have a row below (a value the fake refuses and
where the spec writes it) or a stated reason why it does not come from a spec field. A new check in
the fake therefore needs its spec twin before this test passes.
"""

from __future__ import annotations

import contextlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
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

# The fake operations the stack program calls, with the arguments that make each call valid.
OPERATIONS: dict[str, tuple[Callable[[FakeCloud], Any], dict[str, Any]]] = {
    "CreateUser": (lambda c: c.ram.create_user, {"user_name": "u1"}),
    "CreateGroup": (lambda c: c.ram.create_group, {"group_name": "g1"}),
    "CreateRole": (lambda c: c.ram.create_role, {"role_name": "r1", "assume_role_policy_document": TRUST}),
    "CreatePolicy": (lambda c: c.ram.create_policy, {"policy_name": "p1", "policy_document": POLICY}),
    "CreateOIDCProvider": (
        lambda c: c.ims.create_oidc_provider,
        {"oidc_provider_name": "gh", "issuer_url": ISSUER, "client_ids": ["sts.aliyuncs.com"]},
    ),
    "CreateLoginProfile": (
        lambda c: c.ram.create_login_profile,
        {"user_name": "u1", "password": "Passw0rd!x"},
    ),
}

# Parameters that do not come from a spec field, and why.
NOT_SPEC_FIELDS = {
    ("CreateRole", "assume_role_policy_document"): "generated from trust:/github:; same grammar validator",
    ("CreatePolicy", "policy_document"): "a policy file: validate and the fake run the same grammar",
    ("CreateLoginProfile", "user_name"): "the user's own name (its row is CreateUser.user_name)",
    ("CreateLoginProfile", "password"): "a Pulumi secret in the stack config: encrypted, unreadable here",
    ("CreateLoginProfile", "password_reset_required"): "a spec boolean; the fake checks nothing more",
    ("CreateLoginProfile", "mfa_bind_required"): "a spec boolean; the fake checks nothing more",
}


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
    Case("CreateUser", "user_name", "bad name", "users:\n  bad name: {}\n", 2),
    Case("CreateUser", "user_name", "u" * 65, f"users:\n  {'u' * 65}: {{}}\n", 2),
    Case("CreateUser", "display_name", "d" * 129, _user("display_name", "d" * 129), 3),
    Case("CreateUser", "comments", "c" * 129, _user("comments", "c" * 129), 3),
    Case("CreateUser", "email", "not-an-email", _user("email", "not-an-email"), 3),
    Case("CreateUser", "email", "a@b", _user("email", "a@b"), 3),
    Case("CreateUser", "mobile_phone", "18600008888", _user("mobile", "18600008888"), 3),
    Case("CreateUser", "mobile_phone", "86 186", _user("mobile", "86 186"), 3),
    Case("CreateGroup", "group_name", "bad/name", "groups:\n  bad/name: {}\n", 2),
    Case("CreateGroup", "comments", "c" * 129, f"groups:\n  g1:\n    comments: {'c' * 129}\n", 3),
    Case(
        "CreateRole",
        "role_name",
        "bad_name",
        "roles:\n  bad_name:\n    trust: {services: [ecs.aliyuncs.com]}\n",
        2,
    ),
    Case(
        "CreateRole",
        "description",
        "d" * 1025,
        f"roles:\n  r1:\n    description: {'d' * 1025}\n    trust: {{services: [ecs.aliyuncs.com]}}\n",
        3,
    ),
    Case(
        "CreateRole",
        "max_session_duration",
        43201,
        "roles:\n  r1:\n    max_session_duration: 43201\n    trust: {services: [ecs.aliyuncs.com]}\n",
        3,
    ),
    Case(
        "CreateRole",
        "max_session_duration",
        3599,
        "roles:\n  r1:\n    max_session_duration: 3599\n    trust: {services: [ecs.aliyuncs.com]}\n",
        3,
    ),
    Case("CreatePolicy", "policy_name", "bad_name", "policies:\n  bad_name: {}\n", 2),
    Case("CreatePolicy", "description", "d" * 1025, f"policies:\n  p1:\n    description: {'d' * 1025}\n", 3),
]


def _oidc(field: str, value: str) -> str:
    body = {"issuer_url": ISSUER, "client_ids": "[sts.aliyuncs.com]", field: value}
    lines = "".join(f"    {k}: {v}\n" for k, v in body.items() if k != field)
    return f"oidc_providers:\n  gh:\n    {field}: {value}\n{lines}"


CASES += [
    Case(
        "CreateOIDCProvider",
        "oidc_provider_name",
        "-gh",
        f"oidc_providers:\n  -gh:\n    issuer_url: {ISSUER}\n    client_ids: [sts.aliyuncs.com]\n",
        2,
    ),
    Case(
        "CreateOIDCProvider",
        "issuer_url",
        "http://insecure.example.com",
        _oidc("issuer_url", "http://insecure.example.com"),
        3,
    ),
    Case("CreateOIDCProvider", "client_ids", ["-bad"], _oidc("client_ids", "[-bad]"), 3),
    Case("CreateOIDCProvider", "fingerprints", ["not hex!"], _oidc("fingerprints", "['not hex!']"), 3),
    Case("CreateOIDCProvider", "issuance_limit_time", 0, _oidc("issuance_limit_time", "0"), 3),
    Case("CreateOIDCProvider", "issuance_limit_time", 169, _oidc("issuance_limit_time", "169"), 3),
    Case("CreateOIDCProvider", "description", "d" * 257, _oidc("description", "d" * 257), 3),
]


def test_every_parameter_the_fake_validates_has_a_spec_twin() -> None:
    covered = {(c.operation, c.parameter) for c in CASES} | set(NOT_SPEC_FIELDS)
    cloud = FakeCloud()
    for operation, (method, required) in OPERATIONS.items():
        parameters = inspect.signature(method(cloud)).parameters
        for name in parameters:
            assert (operation, name) in covered, f"{operation} checks {name}: add its row to CASES"
        assert set(required) <= set(parameters)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_the_fake_refuses_the_value(case: Case) -> None:
    cloud = FakeCloud()
    method, required = OPERATIONS[case.operation]
    with pytest.raises(CloudError) as raised:
        method(cloud)(**{**required, case.parameter: case.value})
    assert raised.value.code.startswith("InvalidParameter"), raised.value


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

"""The CrossGuard pack's validation functions (ramstack.components.crossguard), called directly (never
via policypack/__main__.py, whose PolicyPack(...) would start the analyzer server), and run over the
real stack program."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from pulumi_policy import (
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)

from ramstack.components import crossguard as rp
from ramstack.components.mock_cloud import FakeCloudMocks
from ramstack.components.mock_runtime import run_program, stack_config
from ramstack.fakecloud import FakeCloud
from tests.conftest import ROOT

PACK = ROOT / "policypack"


OPTS = PolicyResourceOptions(
    protect=False,
    ignore_changes=[],
    delete_before_replace=None,
    aliases=[],
    custom_timeouts=PolicyCustomTimeouts(0, 0, 0),
    additional_secret_outputs=[],
)


def _urn(typ: str, name: str) -> str:
    return f"urn:pulumi:dev::ramstack::{typ}::{name}"


def validate_resource(
    typ: str, props: Mapping[str, Any], name: str = "r", config: Mapping[str, Any] | None = None
) -> list[str]:
    messages: list[str] = []
    args = ResourceValidationArgs(typ, props, _urn(typ, name), name, OPTS, None, config=dict(config or {}))
    rp.POLICY_DOCUMENTS.validate(args, lambda message, urn=None: messages.append(message))
    return messages


def validate_stack(
    resources: list[tuple[str, str, Mapping[str, Any]]], config: Mapping[str, Any] | None = None
) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    items = [PolicyResource(t, p, _urn(t, n), n, OPTS, None, None, [], {}) for t, n, p in resources]
    args = StackValidationArgs(items, config=dict(config or {}))
    rp.PRINCIPALS.validate(args, lambda message, urn=None: out.append((message, urn)))
    return out


def _doc(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "1", "Statement": list(statements)})


def test_pack_main_only_builds_the_pack() -> None:
    text = (PACK / "__main__.py").read_text(encoding="utf-8")
    assert "PolicyPack(" in text and "from ramstack.components.crossguard import POLICIES" in text
    assert "def " not in text
    # the pack's dependency is the distribution's extra, which pins the policy SDK once
    assert "[crossguard]" in (PACK / "requirements.txt").read_text(encoding="utf-8")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert extras["optional-dependencies"]["crossguard"] == ["pulumi-policy==1.21.0"]


def test_admin_document_is_a_violation() -> None:
    document = _doc({"Effect": "Allow", "Action": "*", "Resource": "*"})
    props = {"policyName": "admin", "policyDocument": document}
    (message,) = validate_resource(rp.POLICY, props)
    assert message.startswith("LP201 [CRITICAL] policy/admin statement 1 allows every action")
    assert "Fix: " in message


def test_trust_to_everyone_is_a_violation() -> None:
    trust = _doc({"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"RAM": ["*"]}})
    messages = validate_resource(rp.ROLE, {"roleName": "open", "assumeRolePolicyDocument": trust})
    assert [m.split()[0] for m in messages] == ["LP102"]
    assert "role/open trusts anyone" in messages[0]


def test_min_severity_from_config() -> None:
    document = _doc({"Effect": "Allow", "Action": "oss:*", "Resource": "*"})
    props = {"policyName": "media", "policyDocument": document}
    assert validate_resource(rp.POLICY, props) == []  # LP202 and LP301 are medium
    found = validate_resource(rp.POLICY, props, config={"minSeverity": "medium"})
    assert sorted(m.split()[0] for m in found) == ["LP202", "LP301"]


def test_invalid_documents_are_violations() -> None:
    assert validate_resource(rp.POLICY, {"policyName": "x", "policyDocument": "{not json"})[0].startswith(
        "policy/x: invalid JSON"
    )
    bad = _doc({"Effect": "Permit", "Action": "oss:GetObject", "Resource": "*"})
    messages = validate_resource(rp.POLICY, {"policyName": "x", "policyDocument": bad})
    assert any("POL006" in m for m in messages)


def test_other_resources_are_ignored() -> None:
    assert validate_resource("alicloud:oss/bucket:Bucket", {"bucket": "x"}) == []
    assert validate_resource(rp.USER, {"name": "bob"}) == []


ECS_TRUST = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": ["ecs.aliyuncs.com"]}}
RISKY_STACK = [
    (rp.USER, "bob", {"name": "bob"}),
    (rp.LOGIN_PROFILE, "bob-login", {"userName": "bob", "mfaBindRequired": False, "password": "x"}),
    (rp.ACCESS_KEY, "bob-key", {"userName": "bob"}),
    (rp.ACCESS_KEY, "bob-key-2", {"userName": "bob"}),
    (rp.GROUP, "admins", {"groupName": "admins"}),
    (
        "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment",
        "admins-admin",
        {"groupName": "admins", "policyName": "AdministratorAccess", "policyType": "System"},
    ),
    (
        rp.ROLE,
        "export",
        {
            "roleName": "export",
            "maxSessionDuration": 7200,
            "assumeRolePolicyDocument": _doc(ECS_TRUST),
        },
    ),
]


def test_stack_policy_reports_principal_findings_on_their_resources() -> None:
    found = validate_stack(RISKY_STACK)
    assert sorted((m.split()[0], urn) for m, urn in found) == [
        ("LP206", _urn(rp.GROUP, "admins")),
        ("LP501", _urn(rp.USER, "bob")),
    ]
    medium = {m.split()[0] for m, _urn_ in validate_stack(RISKY_STACK, {"minSeverity": "medium"})}
    assert medium == {"LP206", "LP501", "LP502", "LP503", "LP507"}  # two keys for bob: LP503


def test_stack_policy_honours_lint_yaml(tmp_path: Path) -> None:
    lint = tmp_path / "lint.yaml"
    lint.write_text(
        "suppressions:\n"
        "  - rule: LP206\n    subject: group/admins\n    reason: break-glass group, MFA enforced\n"
    )
    found = validate_stack(RISKY_STACK, {"lintConfig": str(lint)})
    assert [m.split()[0] for m, _ in found] == ["LP501"]


def _program_resources(
    project: Path, stack: str, passwords: Mapping[str, str], fail_on: str | None = None
) -> list[Any]:
    config, secret_keys = stack_config(project, stack)
    if fail_on is not None:  # the program's own lint gate would stop a risky stack before the pack
        config["ramstack:failOn"] = fail_on
    config["ramstack:passwords"] = json.dumps(dict(passwords))
    secret_keys.append("ramstack:passwords")
    mocks = FakeCloudMocks(FakeCloud())
    run = run_program(ROOT / "__main__.py", mocks=mocks, stack=stack, config=config, secret_keys=secret_keys)
    return run.resources


def test_the_dev_stack_program_passes_the_pack(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    resources = _program_resources(ROOT, "dev", {"alice": "Corr3ct-Horse-Battery"})
    assert {r.typ for r in resources} >= {rp.POLICY, rp.ROLE, rp.USER, rp.LOGIN_PROFILE, rp.ACCESS_KEY}
    for r in resources:
        assert validate_resource(r.typ, r.inputs, r.name, {"minSeverity": "info"}) == [], r.name
    assert validate_stack([(r.typ, r.name, r.inputs) for r in resources], {"minSeverity": "info"}) == []


def test_a_risky_program_fails_the_pack(project, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = project(
        "users:\n  bob:\n    console_login: {mfa_required: false}\n"
        "    system_policies: [AdministratorAccess]\n",
    )
    monkeypatch.chdir(folder)
    resources = _program_resources(folder, "test", {"bob": "Corr3ct-Horse-Battery"}, fail_on="none")
    found = validate_stack([(r.typ, r.name, r.inputs) for r in resources])
    assert sorted(m.split()[0] for m, _ in found) == ["LP206", "LP501"]
    assert all(urn and urn.endswith("::bob") for _, urn in found)

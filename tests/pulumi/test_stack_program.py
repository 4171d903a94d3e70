"""The real stack program, run in-process under the mock runtime and the fake cloud."""

from __future__ import annotations

import json
from pathlib import Path

import pulumi
import pytest

from ramstack.components.custom_policy import ROTATE_STRATEGY
from ramstack.diagnostics import Diagnostics
from ramstack.fakecloud import FakeCloud
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from tests.pulumi.conftest import EXAMPLES, ROOT

DEV_PASSWORDS = {"alice": "Corr3ct-Horse-Battery"}


def dev_spec():
    return load_spec(load_stack_config(ROOT, "dev", Diagnostics()))


def test_dev_stack_registers_exactly_the_expected_resources(run_stack) -> None:
    run = run_stack(passwords=DEV_PASSWORDS)
    got = sorted((r.typ, r.name, r.parent_type) for r in run.resources)
    assert got == sorted(
        [
            ("alicloud:ram/policy:Policy", "ims-read-only", "ramstack:ram:CustomPolicy"),
            ("alicloud:ram/policy:Policy", "imm-doc-conversion", "ramstack:ram:CustomPolicy"),
            ("alicloud:ram/group:Group", "media-readers", "ramstack:ram:Group"),
            (
                "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment",
                "media-readers/system/AliyunICEReadOnlyAccess",
                "ramstack:ram:Group",
            ),
            (
                "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment",
                "media-readers/system/AliyunIMMReadOnlyAccess",
                "ramstack:ram:Group",
            ),
            ("alicloud:ram/user:User", "ims-app", "ramstack:ram:User"),
            ("alicloud:ram/accessKey:AccessKey", "ims-app-access-key", "ramstack:ram:User"),
            ("alicloud:ram/user:User", "alice", "ramstack:ram:User"),
            ("alicloud:ram/loginProfile:LoginProfile", "alice-login", "ramstack:ram:User"),
            (
                "alicloud:ram/userGroupAttachment:UserGroupAttachment",
                "alice/in/media-readers",
                "ramstack:ram:User",
            ),
            ("alicloud:ram/role:Role", "ims-sts-role", "ramstack:ram:Role"),
            (
                "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment",
                "ims-sts-role/custom/ims-read-only",
                "ramstack:ram:Role",
            ),
            ("alicloud:ram/role:Role", "imm-task-role", "ramstack:ram:Role"),
            (
                "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment",
                "imm-task-role/custom/imm-doc-conversion",
                "ramstack:ram:Role",
            ),
            ("alicloud:ram/policy:Policy", "ramstack-assume-user-ims-app", "ramstack:ram:ScopedAssumeGrant"),
            (
                "alicloud:ram/userPolicyAttachment:UserPolicyAttachment",
                "ramstack-assume-user-ims-app-attachment",
                "ramstack:ram:ScopedAssumeGrant",
            ),
        ]
    )
    assert sorted((c.typ, c.name) for c in run.components) == sorted(
        [
            ("ramstack:ram:CustomPolicy", "ims-read-only"),
            ("ramstack:ram:CustomPolicy", "imm-doc-conversion"),
            ("ramstack:ram:Group", "media-readers"),
            ("ramstack:ram:User", "ims-app"),
            ("ramstack:ram:User", "alice"),
            ("ramstack:ram:Role", "ims-sts-role"),
            ("ramstack:ram:Role", "imm-task-role"),
            ("ramstack:ram:ScopedAssumeGrant", "ramstack-assume-user-ims-app"),
        ]
    )
    # Every component is a child of the stack; every cloud resource is a child of a component.
    assert all(c.parent_type == "pulumi:pulumi:Stack" for c in run.components)
    assert all(r.parent_type and r.parent_type.startswith("ramstack:") for r in run.resources)


def test_documents_are_the_core_canonical_json(run_stack) -> None:
    run = run_stack(passwords=DEV_PASSWORDS)
    spec = dev_spec()
    for reg in run.of_type("alicloud:ram/policy:Policy"):
        assert reg.inputs["policyDocument"] == spec.policy_map[reg.inputs["policyName"]].document.to_json()
        assert reg.inputs["rotateStrategy"] == ROTATE_STRATEGY
        assert reg.delete_before_replace
    for reg in run.of_type("alicloud:ram/role:Role"):
        role = spec.role_map[reg.inputs["roleName"]]
        assert reg.inputs["assumeRolePolicyDocument"] == role.trust_document.to_json()
        assert reg.inputs["maxSessionDuration"] == role.max_session_duration
    trust = json.loads(run.of_type("alicloud:ram/role:Role")[0].inputs["assumeRolePolicyDocument"])
    assert trust == {
        "Statement": [
            {
                "Action": ["sts:AssumeRole"],
                "Effect": "Allow",
                "Principal": {"RAM": ["acs:ram::1234567890123456:user/ims-app"]},
            }
        ],
        "Version": "1",
    }
    grant = next(r for r in run.of_type("alicloud:ram/policy:Policy") if r.name.startswith("ramstack-assume"))
    assert json.loads(grant.inputs["policyDocument"])["Statement"][0]["Resource"] == [
        "acs:ram::1234567890123456:role/imm-task-role",
        "acs:ram::1234567890123456:role/ims-sts-role",
    ]


def test_no_deprecated_arguments(run_stack) -> None:
    run = run_stack(passwords=DEV_PASSWORDS)
    deprecated = {
        "alicloud:ram/role:Role": {"name", "document", "ramUsers", "services", "version"},
        "alicloud:ram/policy:Policy": {"name", "document", "statements", "version"},
        "alicloud:ram/group:Group": {"name"},
    }
    for reg in run.resources:
        assert not deprecated.get(reg.typ, set()) & set(reg.inputs), reg
    assert not run.of_type("alicloud:ram/groupMembership:GroupMembership")


def test_secrets_are_secret(run_stack) -> None:
    run = run_stack(passwords=DEV_PASSWORDS)
    login = run.of_type("alicloud:ram/loginProfile:LoginProfile")[0]
    assert login.secret_inputs == {"password"}
    assert login.inputs["mfaBindRequired"] is True
    assert "access_key_secrets" in run.secret_outputs
    assert "access_key_ids" not in run.secret_outputs
    assert set(run.outputs["access_key_secrets"]) == {"ims-app"}
    assert run.outputs["role_arns"] == {
        "ims-sts-role": "acs:ram::1234567890123456:role/ims-sts-role",
        "imm-task-role": "acs:ram::1234567890123456:role/imm-task-role",
    }
    assert run.outputs["access_key_ids"]["ims-app"].startswith("LTAI")


def test_protect_guards_the_identity_not_its_keys(run_stack) -> None:
    run = run_stack(passwords=DEV_PASSWORDS)
    protected = {(r.typ, r.name) for r in run.monitor.registrations if r.protect}
    # the user cannot be deleted by accident, but a leaked key can still be rotated or removed
    assert protected == {("alicloud:ram/user:User", "ims-app")}


def test_rename_keeps_roles_and_groups_through_aliases(run_stack, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text((ROOT / "Pulumi.dev.yaml").read_text())
    (tmp_path / "policies").mkdir()
    (tmp_path / "access.yaml").write_text(
        "users:\n  app: {groups: [readers]}\n"
        "groups:\n  readers:\n    renamed_from: viewers\n    system_policies: [AliyunOSSReadOnlyAccess]\n"
        "roles:\n  app-role:\n    renamed_from: old-role\n    trust: {users: [app]}\n"
        "    system_policies: [AliyunVODReadOnlyAccess]\n"
    )
    run = run_stack(tmp_path)
    by_name = {r.name: r for r in run.monitor.registrations}
    assert by_name["readers"].alias_names == ("viewers",)
    assert set(by_name["app-role"].alias_names) == {"old-role"}
    # the renamed component's children, under the current and the pre-`/` naming scheme
    assert set(by_name["app-role/system/AliyunVODReadOnlyAccess"].alias_names) == {
        "old-role/system/AliyunVODReadOnlyAccess",
        "app-role-system-AliyunVODReadOnlyAccess",
        "old-role-system-AliyunVODReadOnlyAccess",
    }
    assert set(by_name["readers/system/AliyunOSSReadOnlyAccess"].alias_names) == {
        "viewers/system/AliyunOSSReadOnlyAccess",
        "readers-system-AliyunOSSReadOnlyAccess",
        "viewers-system-AliyunOSSReadOnlyAccess",
    }
    assert by_name["app/in/readers"].alias_names == ("app-in-readers",)
    # the component and its main child both carry the alias: the engine sees one replacement
    assert [r.alias_names for r in run.monitor.registrations if r.name == "app-role"] == [
        ("old-role",),
        ("old-role",),
    ]


def test_invalid_spec_registers_nothing(run_stack, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text((ROOT / "Pulumi.dev.yaml").read_text())
    (tmp_path / "access.yaml").write_text(
        "users:\n  ok-user: {}\n  alice:\n    groups: [nope]\n"
        "roles:\n  bad_role:\n    trust: {users: [alice]}\n"
    )
    run = run_stack(tmp_path, capture_errors=True)
    assert isinstance(run.error, pulumi.RunError)
    message = str(run.error)
    assert "nothing was registered" in message
    assert "access.yaml:4:14: error SPEC005" in message
    assert "access.yaml:6:3: error SPEC004" in message
    assert "Traceback" not in message
    assert run.monitor.registrations == []


def test_missing_console_password_registers_nothing(run_stack) -> None:
    run = run_stack(capture_errors=True)
    assert isinstance(run.error, pulumi.RunError)
    assert "ramstack:passwords.alice" in str(run.error)
    assert run.monitor.registrations == []


def test_fake_cloud_rejects_an_existing_user(run_stack) -> None:
    cloud = FakeCloud()
    cloud.ram.create_user(user_name="ims-app")
    run = run_stack(passwords=DEV_PASSWORDS, cloud=cloud, capture_errors=True)
    assert run.error is not None
    assert "EntityAlreadyExists.User" in str(run.error)
    assert [f.code for f in run.mocks.failures] == ["EntityAlreadyExists.User"]


def test_fake_cloud_rejects_a_weak_password(run_stack) -> None:
    run = run_stack(passwords={"alice": "short"}, capture_errors=True)
    assert run.error is not None
    assert [f.code for f in run.mocks.failures] == ["InvalidParameter.Password.TooWeak"]
    assert "short" not in str(run.error)


def test_fake_cloud_fault_injection_surfaces_the_code(run_stack) -> None:
    cloud = FakeCloud()
    cloud.fail_next("CreateRole", "Throttling.User", "Request was denied due to user flow control.")
    run = run_stack(passwords=DEV_PASSWORDS, cloud=cloud, capture_errors=True)
    assert [f.code for f in run.mocks.failures] == ["Throttling.User"]
    assert "Throttling.User" in str(run.error)


def test_fake_cloud_rejects_too_many_attachments(run_stack, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text((ROOT / "Pulumi.dev.yaml").read_text())
    (tmp_path / "access.yaml").write_text(
        "users:\n  app:\n    system_policies: [AliyunOSSReadOnlyAccess, AliyunVODReadOnlyAccess]\n"
    )
    run = run_stack(
        tmp_path, cloud=FakeCloud(limits={"system_policies_per_principal": 1}), capture_errors=True
    )
    assert [f.code for f in run.mocks.failures] == ["LimitExceeded.User.Policy"]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_every_example_runs_clean(run_stack, example: Path) -> None:
    run = run_stack(example, "example")
    assert run.error is None
    assert run.mocks.failures == []
    spec = load_spec(load_stack_config(example, "example", Diagnostics()))
    roles = {r.inputs["roleName"] for r in run.of_type("alicloud:ram/role:Role")}
    assert roles == {r.name for r in spec.roles}
    users = {r.inputs["name"] for r in run.of_type("alicloud:ram/user:User")}
    assert users == {u.name for u in spec.users}
    for reg in run.of_type("alicloud:ram/role:Role"):
        assert (
            reg.inputs["assumeRolePolicyDocument"]
            == spec.role_map[reg.inputs["roleName"]].trust_document.to_json()
        )


def test_lint_gate_refuses_to_register_at_fail_on(run_stack, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text((ROOT / "Pulumi.dev.yaml").read_text())
    (tmp_path / "policies").mkdir()
    (tmp_path / "access.yaml").write_text(
        "users:\n  admin-bot:\n    access_key: true\n    system_policies: [AdministratorAccess]\n"
    )
    run = run_stack(tmp_path, capture_errors=True)
    assert isinstance(run.error, pulumi.RunError)
    message = str(run.error)
    assert "at or above ramstack:failOn=high" in message
    assert "access.yaml:4:23: CRITICAL LP206:" in message
    assert run.monitor.registrations == []


def test_lint_gate_respects_fail_on_none_and_suppressions(run_stack, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text((ROOT / "Pulumi.dev.yaml").read_text())
    (tmp_path / "policies").mkdir()
    (tmp_path / "access.yaml").write_text(
        "users:\n  admin-bot:\n    system_policies: [AdministratorAccess]\n"
    )
    run = run_stack(tmp_path, extra_config={"ramstack:failOn": "none"})
    assert run.error is None and len(run.resources) == 2
    (tmp_path / "policies" / "lint.yaml").write_text(
        "suppressions:\n  - rule: LP206\n    subject: user/admin-bot\n    reason: break-glass account\n"
    )
    run = run_stack(tmp_path)
    assert run.error is None and len(run.resources) == 2


def test_pgp_key_exports_only_the_encrypted_secret(run_stack, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text((ROOT / "Pulumi.dev.yaml").read_text())
    (tmp_path / "policies").mkdir()
    (tmp_path / "access.yaml").write_text(
        "users:\n  app:\n    access_key: true\n    pgp_key: keybase:someone\n"
        "    system_policies: [AliyunOSSReadOnlyAccess]\n  plain:\n    access_key: true\n"
    )
    run = run_stack(tmp_path)
    assert run.outputs["access_key_encrypted_secrets"] == {"app": "<pgp-encrypted>"}
    assert set(run.outputs["access_key_pgp_fingerprints"]) == {"app"}
    assert set(run.outputs["access_key_secrets"]) == {"plain"}
    assert "access_key_secrets" in run.secret_outputs
    key = next(r for r in run.of_type("alicloud:ram/accessKey:AccessKey") if r.name == "app-access-key")
    assert key.inputs["pgpKey"] == "keybase:someone"


def test_the_program_reads_config_as_validate_does(run_stack, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text(
        'config:\n  ramstack:accountId: "1234567890123456"\n  ramstack:failon: none\n'
    )
    (tmp_path / "access.yaml").write_text("users:\n  app: {}\n")
    run = run_stack(tmp_path, capture_errors=True)
    assert isinstance(run.error, pulumi.RunError)
    assert "CFG004" in str(run.error) and "did you mean 'failOn'" in str(run.error)
    assert "CFG002" in str(run.error) and "alicloud:region" in str(run.error)
    assert run.monitor.registrations == []

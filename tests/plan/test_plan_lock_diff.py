"""`ramstack plan`, `lock` and `diff` end to end, on copies of the dev stack."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.components.offline_plan import PLAN_PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_plan_text_lists_resources_and_permissions(dev: Path, capsys) -> None:
    assert main(["plan"]) == 0
    out = capsys.readouterr().out
    assert "Resources to create: 16" in out
    assert "user/ims-app" in out and "can assume role/ims-sts-role" in out
    # the reach through a role is a nested list, one grant per item, none past the 100 columns of a pipe
    assert "  through role/ims-sts-role:\n    - Allow ice:GetEditingProject on * when " in out
    # ... but an ARN is never cut: the one table holding one too long for its column is wider
    wide = [line for line in out.splitlines() if len(line) > 100]
    assert len(wide) == 3 and wide[0].lstrip().startswith("effect") and wide[1].lstrip().startswith("---")
    assert " acs:imm:cn-shanghai:1234567890123456:project/imm-test-doc-proj" in wide[2]
    assert PLAN_PASSWORD not in out


def test_plan_json_is_stable_and_holds_no_secret(dev: Path, capsys) -> None:
    assert main(["plan", "--format", "json"]) == 0
    first = capsys.readouterr().out
    assert main(["plan", "--format", "json"]) == 0
    assert capsys.readouterr().out == first
    plan = json.loads(first)
    assert plan["format"] == 1 and plan["stack"] == "dev"
    assert plan["secret_outputs"] == ["access_key_secrets"]
    assert PLAN_PASSWORD not in first
    assert "LoginProfile" in {r["type"].split(":")[-1] for r in plan["resources"]}
    assert all("inputs" not in r for r in plan["resources"])
    role = plan["principals"]["role/ims-sts-role"]
    assert role["assumed_by"] == ["user/ims-app"]
    assert role["trusted_by"] == [{"principal": "acs:ram::1234567890123456:user/ims-app", "type": "RAM"}]
    documents = {d["resource"]: json.loads(d["document"]) for d in plan["documents"]}
    assert documents["alicloud:ram/role:Role::ims-sts-role"]["Statement"][0]["Action"] == ["sts:AssumeRole"]
    grants = plan["principals"]["group/media-readers"]["grants"]
    assert any(g["action"] == "ice:Get*" and g["expands_to"] > 10 for g in grants)


def test_plan_reports_cloud_refusals_at_the_spec_entry(dev: Path, capsys) -> None:
    edit(
        dev / "access.yaml",
        "      users: [ims-app]\n    policies: [ims-read-only]",
        "      users: [ims-app]\n"
        "      arns: [acs:ram::1234567890123456:user/ghost]\n"
        "    policies: [ims-read-only]",
    )
    assert main(["plan"]) == 2
    out = capsys.readouterr().err
    line = next(
        i
        for i, text in enumerate((dev / "access.yaml").read_text().splitlines(), 1)
        if text.startswith("  ims-sts-role:")
    )
    assert f"access.yaml:{line}:3: error CLOUD001:" in out
    assert "InvalidParameter.AssumeRolePolicyDocument" in out


def test_plan_of_an_invalid_spec_exits_2(dev: Path, capsys) -> None:
    edit(dev / "access.yaml", "groups: [media-readers]", "groups: [media-reader]")
    assert main(["plan"]) == 2
    assert "error SPEC005" in capsys.readouterr().err


def test_lock_check_and_rewrite(dev: Path, capsys) -> None:
    assert main(["lock", "--check"]) == 0
    edit(dev / "policies/imm-doc-conversion.yaml", "Action: imm:ListProjects", "Action: imm:List*")
    assert main(["lock", "--check"]) == 1
    assert main(["lock"]) == 0
    assert main(["lock", "--check"]) == 0
    lock = json.loads((dev / "permissions.dev.lock.json").read_text())
    grants = lock["principals"]["role/imm-task-role"]["grants"]
    assert {
        "action": "imm:List*",
        "effect": "Allow",
        "resource": "*",
        "sources": ["imm-doc-conversion#0"],
    } in grants


def test_diff_unchanged_spec_exits_0(dev: Path, capsys) -> None:
    assert main(["diff", "--exit-code"]) == 0
    assert "no permission changes" in capsys.readouterr().out


def test_one_line_policy_change_gives_readable_markdown(dev: Path, capsys) -> None:
    edit(
        dev / "policies/ims-read-only.yaml",
        "      - ice:GetMediaInfo\n",
        "      - ice:GetMediaInfo\n      - ice:SubmitMediaProducingJob\n",
    )
    assert main(["diff", "--exit-code", "--format", "markdown"]) == 1
    out = capsys.readouterr().out
    assert "#### `role/ims-sts-role`" in out
    assert "| added | Allow | `ice:SubmitMediaProducingJob` | `*` |" in out
    assert "escalation" not in out


def test_widening_and_escalation_are_called_out(dev: Path, capsys) -> None:
    edit(
        dev / "policies/imm-doc-conversion.yaml",
        "Resource: acs:imm:${region}:${accountId}:project/imm-test-doc-proj",
        "Resource: '*'",
    )
    edit(
        dev / "access.yaml",
        "    policies: [imm-doc-conversion]",
        "    policies: [imm-doc-conversion]\n    system_policies: [AliyunRAMFullAccess]",
    )
    assert main(["diff", "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    kinds = {(g["change"], g["grant"]["action"]) for g in result["grants"]}
    assert ("widened", "imm:CreateOfficeConversionTask") in kinds
    assert ("added", "ram:*") in kinds
    escalations = [g for g in result["grants"] if g["escalation"]]
    assert [g["grant"]["action"] for g in escalations] == ["ram:*"]
    assert result["summary"]["escalations"] == 1


def test_destroyed_identity_and_trust_changes(dev: Path, capsys) -> None:
    text = (dev / "access.yaml").read_text()
    start = text.index("  # A person who reads")
    end = text.index("groups:\n")
    (dev / "access.yaml").write_text(text[:start] + text[end:])
    edit(
        dev / "access.yaml",
        "    trust:\n      users: [ims-app]\n    policies: [imm-doc-conversion]",
        "    trust:\n      users: [ims-app]\n      require_mfa: true\n    policies: [imm-doc-conversion]",
    )
    assert main(["diff", "--exit-code"]) == 1
    out = capsys.readouterr().out
    assert "!! DESTROYED user/alice" in out
    assert "+ trust: may now be assumed by RAM acs:ram::1234567890123456:user/ims-app when" in out
    assert "- trust: may no longer be assumed by RAM acs:ram::1234567890123456:user/ims-app" in out
    assert "~ members: alice -> -" in out


def test_diff_against_a_git_ref(dev: Path, capsys) -> None:
    def git(*argv: str) -> None:
        subprocess.run(["git", *argv], cwd=dev, check=True, capture_output=True)

    git("init", "-q")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "base")
    edit(
        dev / "access.yaml",
        "    assume_roles: [ims-sts-role, imm-task-role]",
        "    assume_roles: [ims-sts-role]",
    )
    assert main(["diff", "--base-ref", "HEAD", "--exit-code"]) == 1
    out = capsys.readouterr().out
    assert "against HEAD" in out
    assert "- can no longer assume role/imm-task-role" in out
    assert main(["diff", "--base-ref", "no-such-ref"]) == 2
    assert "GIT001" in capsys.readouterr().err


def test_diff_with_a_broken_lock_file_is_invalid_input(dev: Path, capsys) -> None:
    (dev / "permissions.dev.lock.json").write_text("{not json")
    assert main(["diff"]) == 2
    assert "permissions.dev.lock.json:1:2: error LOCK001" in capsys.readouterr().err


def test_no_secret_the_fake_cloud_minted_reaches_plan_lock_or_diff(dev: Path, capsys, monkeypatch) -> None:
    import ramstack.fakecloud as fakecloud

    secrets: list[str] = []

    class Recording(fakecloud.FakeCloud):
        """Keeps every minted secret: plan's destroy path deletes the keys again."""

        def __init__(self, **kwargs) -> None:
            super().__init__(**kwargs)
            create = self.ram.create_access_key

            def recording_create(**call) -> dict:
                response = create(**call)
                secrets.append(response["AccessKey"]["AccessKeySecret"])
                return response

            self.ram.create_access_key = recording_create  # type: ignore[method-assign]

    monkeypatch.setattr(fakecloud, "FakeCloud", Recording)
    outputs = []
    for argv in (["plan"], ["plan", "--format", "json"], ["lock"], ["diff", "--format", "markdown"]):
        assert main(argv) == 0
        captured = capsys.readouterr()
        outputs.append(captured.out + captured.err)
    outputs.append((dev / "permissions.dev.lock.json").read_text())
    assert secrets, "the plan minted no AccessKey, so this test proves nothing"
    for text in outputs:
        assert not any(secret in text for secret in secrets)
        assert PLAN_PASSWORD not in text


@pytest.mark.parametrize(
    "content",
    [
        '{"format": 1, "principals": {"user/a": []}}',
        '{"format": 1, "principals": {"user/a": {"kind": "user", "attributes": [1]}}}',
        '{"format": 2, "principals": {}}',
        b"\xff\xfe not utf-8",
    ],
)
def test_diff_against_a_malformed_lock_is_invalid_input(dev: Path, capsys, content) -> None:
    lock = dev / "bad.lock.json"
    lock.write_bytes(content if isinstance(content, bytes) else content.encode())
    assert main(["diff", "--against", str(lock)]) == 2
    assert "error LOCK00" in capsys.readouterr().err


def test_plan_json_of_an_invalid_stack_is_json(dev: Path, capsys) -> None:
    assert main(["plan", "--format", "json", "--stack", "nosuch"]) == 2
    result = json.loads(capsys.readouterr().out)
    assert result["valid"] is False and result["diagnostics"][0]["code"] == "CFG001"


def test_plan_reads_the_stack_file_as_yaml_1_2(dev: Path, capsys) -> None:
    edit(
        dev / "Pulumi.dev.yaml",
        "appSourceIp: 203.0.113.10",
        "appSourceIp: 203.0.113.10\n    since: 2024-01-01",
    )
    assert main(["plan", "--format", "json"]) == 0


def test_extra_system_policies_plan_and_lock(dev: Path, capsys) -> None:
    edit(
        dev / "access.yaml",
        "groups:\n  media-readers:",
        "extra_system_policies: [AliyunECSFullAccess]\ngroups:\n  media-readers:",
    )
    edit(
        dev / "access.yaml",
        "    groups: [media-readers]",
        "    groups: [media-readers]\n    system_policies: [AliyunECSFullAccess]",
    )
    assert main(["plan"]) == 0
    assert "not_evaluated=AliyunECSFullAccess" in capsys.readouterr().out
    assert main(["lock"]) == 0


def test_plan_reach_keeps_not_action_and_conditions(dev: Path, capsys) -> None:
    edit(dev / "Pulumi.dev.yaml", "ramstack:failOn: high", "ramstack:failOn: none")  # LP203 would stop it
    (dev / "policies/imm-doc-conversion.yaml").write_text(
        'Version: "1"\nStatement:\n  - Effect: Allow\n    NotAction: ram:*\n    Resource: "*"\n'
        "    Condition: {Bool: {acs:SecureTransport: 'true'}}\n"
    )
    assert main(["plan"]) == 0
    out = capsys.readouterr().out
    assert (
        "through role/imm-task-role:\n"
        '    - Allow NOT ram:* on * when {"Bool":{"acs:SecureTransport":["true"]}}' in out
    )


def test_lint_baseline_flags_new_access_but_not_narrowing(dev: Path, capsys) -> None:
    edit(
        dev / "policies/imm-doc-conversion.yaml",
        "    Resource: acs:imm:${region}:${accountId}:project/imm-test-doc-proj",
        "    Resource: acs:imm:${region}:${accountId}:project/imm-test-doc-proj\n"
        "    Condition: {Bool: {acs:SecureTransport: 'true'}}",
    )
    assert main(["lint", "--baseline", "permissions.dev.lock.json"]) == 0
    capsys.readouterr()
    edit(
        dev / "policies/imm-doc-conversion.yaml",
        "Action: imm:ListProjects",
        "Action: [imm:ListProjects, imm:ListDatasets]",
    )
    assert main(["lint", "--baseline", "permissions.dev.lock.json"]) == 1
    assert "LP003" in capsys.readouterr().out


def test_plan_shows_the_plan_and_exits_1_when_the_lint_gate_would_stop_up(dev: Path, capsys) -> None:
    edit(
        dev / "access.yaml",
        "    system_policies: [AliyunICEReadOnlyAccess, AliyunIMMReadOnlyAccess]",
        "    system_policies: [AliyunICEReadOnlyAccess, AliyunIMMReadOnlyAccess, AdministratorAccess]",
    )
    assert main(["plan"]) == 1
    out = capsys.readouterr().out
    assert "Resources to create:" in out
    assert "Lint gate: 1 finding(s) at or above ramstack:failOn=high" in out and "LP206" in out
    assert main(["plan", "--format", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["gate"]["fail_on"] == "high"


def test_plan_without_the_pulumi_sdk_says_what_to_install(dev: Path, capsys, monkeypatch) -> None:
    import sys

    # the provider SDK is not installed (tests/test_wheel.py checks the real thing in a bare venv)
    monkeypatch.setitem(sys.modules, "pulumi_alicloud", None)
    assert main(["plan"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'ramstack[pulumi]'" in err and "(pulumi_alicloud is missing)" in err


def test_diff_against_a_ref_with_an_empty_tree(dev: Path, capsys) -> None:
    def git(*argv: str) -> None:
        subprocess.run(
            ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *argv],
            cwd=dev,
            check=True,
            capture_output=True,
        )

    git("init", "-q")
    git("commit", "-q", "--allow-empty", "-m", "empty")
    assert main(["diff", "--base-ref", "HEAD", "--exit-code"]) == 1
    assert "user/ims-app (created)" in capsys.readouterr().out


def test_check_policy_takes_stack_variables_and_folders(dev: Path, capsys, monkeypatch) -> None:
    # the default stack (dev) supplies ${appSourceIp}, as it does for every other verb
    assert main(["check-policy", "policies"]) == 0
    assert "2 policies valid (2 permission)" in capsys.readouterr().err
    assert main(["check-policy", "policies", "--stack", "dev"]) == 0
    assert "2 policies valid (2 permission)" in capsys.readouterr().err
    assert main(["check-policy", "policies", "--stack", "prod"]) == 2  # named, so it must exist
    assert "CFG001" in capsys.readouterr().err
    outside = dev / "outside"
    shutil.move(dev / "policies", outside)  # a folder of policies with no project around it
    for name in ("Pulumi.yaml", "Pulumi.dev.yaml"):
        (dev / name).unlink()
    monkeypatch.chdir(outside)
    assert main(["check-policy", "."]) == 2
    assert "VAR001" in capsys.readouterr().err


def test_schema_output_respects_kind(dev: Path, capsys) -> None:
    assert main(["schema", "--kind", "policy", "--output", "out"]) == 0
    assert sorted(p.name for p in (dev / "out").iterdir()) == ["policy.schema.json"]


def test_plan_runs_the_projects_own_program(dev: Path, capsys) -> None:
    (dev / "__main__.py").write_text("raise SystemExit('this project program ran')\n")
    assert main(["plan"]) == 2
    assert "this project program ran" in capsys.readouterr().err
    (dev / "__main__.py").unlink()
    assert main(["plan"]) == 2
    err = capsys.readouterr().err
    assert "no Pulumi program at" in err and "`from ramstack.components.program import main`" in err
    assert "`main()`" in err and "ramstack init" in err


def test_account_quotas_are_stack_configuration(dev: Path, capsys) -> None:
    # 11 custom policies on one user: over the documented default of 10 per principal
    names = [f"extra-{i}" for i in range(11)]
    for name in names:
        (dev / "policies" / f"{name}.yaml").write_text(
            'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: oss:GetObject\n'
            f"    Resource: acs:oss:*:*:{name}/*\n"
        )
    edit(dev / "access.yaml", "    policies: [ims-read-only]", f"    policies: [{', '.join(names)}]")
    assert main(["validate"]) == 2
    out = capsys.readouterr().err
    assert "SPEC008" in out and "quota custom_policies_per_principal is 10" in out
    assert "ramstack:quotas.custom_policies_per_principal" in out
    # Alibaba raised it for this account: validate and plan (whose fake enforces it too) accept it
    with (dev / "Pulumi.dev.yaml").open("a") as stack:
        stack.write("  ramstack:quotas:\n    custom_policies_per_principal: 20\n")
    assert main(["validate"]) == 0
    capsys.readouterr()
    assert main(["plan", "--format", "json"]) == 0
    assert "CLOUD001" not in capsys.readouterr().out
    # and a quota the API fixes, or a bad number, is a located config error
    edit(dev / "Pulumi.dev.yaml", "custom_policies_per_principal: 20", "access_keys_per_user: 3")
    assert main(["validate"]) == 2
    assert "unknown quota 'access_keys_per_user'" in capsys.readouterr().err


def test_plan_says_permissions_are_unknown_for_an_unlisted_system_policy(dev: Path, capsys) -> None:
    edit(
        dev / "access.yaml",
        "    groups: [media-readers]",
        "    groups: [media-readers]\n    system_policies: [AliyunNewServiceReadOnlyAccess]",
    )
    assert main(["plan"]) == 0
    captured = capsys.readouterr()
    assert "SPEC021" in captured.err
    assert "effective permissions unknown: no document for AliyunNewServiceReadOnlyAccess" in captured.out


def test_simulate_says_which_attached_policies_it_could_not_evaluate(dev: Path, capsys) -> None:
    # a known name whose document no source gave: validates, but the decision cannot see its grants
    edit(
        dev / "access.yaml",
        "    groups: [media-readers]",
        "    groups: [media-readers]\n    system_policies: [AliyunECSReadOnlyAccess]",
    )
    assert (
        main(
            ["simulate", "--principal", "user/alice", "--action", "ecs:DescribeInstances", "--resource", "*"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "not evaluated: AliyunECSReadOnlyAccess" in out
    assert "SPEC021" not in out and "SPEC007" not in out

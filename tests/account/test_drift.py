from __future__ import annotations

import json
from pathlib import Path

import pytest

from ramstack.account.compare import drift
from ramstack.account.reader import read_account
from ramstack.account.transport import FakeCloudTransport
from ramstack.commands.drift import report
from ramstack.components.mock_cloud import FakeCloudMocks
from ramstack.components.mock_runtime import run_program, stack_config
from ramstack.diagnostics import Diagnostics
from ramstack.fakecloud import FakeCloud
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from ramstack.spec.model import Spec
from tests.account.conftest import ACCOUNT, new_cloud

ROOT = Path(__file__).resolve().parents[2]


def deployed_dev_stack() -> tuple[FakeCloud, Spec]:
    """The dev stack as `pulumi up` leaves it: the real program run against the fake cloud."""
    diags = Diagnostics()
    config = load_stack_config(ROOT, "dev", diags)
    assert config is not None
    spec = load_spec(config, diags)
    cloud = new_cloud()
    values, secret_keys = stack_config(ROOT, "dev")
    values["ramstack:passwords"] = json.dumps({"alice": "Drift-Test-12345"})
    run_program(
        ROOT / "__main__.py",
        mocks=FakeCloudMocks(cloud),
        config=values,
        secret_keys=[*secret_keys, "ramstack:passwords"],
    )
    return cloud, spec


@pytest.fixture
def dev(monkeypatch: pytest.MonkeyPatch) -> tuple[FakeCloud, Spec]:
    monkeypatch.chdir(ROOT)
    return deployed_dev_stack()


def found(cloud: FakeCloud, spec: Spec) -> list[tuple[str, str, str]]:
    result = drift(spec, read_account(FakeCloudTransport(cloud), ACCOUNT), "dev")
    return [(i.subject, i.kind, i.what) for i in result.items]


def test_a_deployed_stack_has_no_drift(dev: tuple[FakeCloud, Spec]) -> None:
    assert found(*dev) == []


def test_an_attachment_added_outside_the_stack(
    dev: tuple[FakeCloud, Spec], capsys: pytest.CaptureFixture[str]
) -> None:
    cloud, spec = dev
    cloud.call(
        "ram",
        "AttachPolicyToUser",
        {"UserName": "alice", "PolicyType": "System", "PolicyName": "AdministratorAccess"},
    )
    assert found(cloud, spec) == [
        ("user/alice", "unmanaged", "attachment of System policy AdministratorAccess")
    ]
    assert report(FakeCloudTransport(cloud), spec, "dev", "json") == 1
    data = json.loads(capsys.readouterr().out)
    assert data["drift"] is True and data["permissions"]["summary"]["escalations"] == 1


def test_identities_and_memberships_outside_or_missing(dev: tuple[FakeCloud, Spec]) -> None:
    cloud, spec = dev
    cloud.call("ram", "CreateUser", {"UserName": "mallory"})
    cloud.call("ram", "RemoveUserFromGroup", {"UserName": "alice", "GroupName": "media-readers"})
    cloud.call(
        "ram",
        "DetachPolicyFromRole",
        {"RoleName": "ims-sts-role", "PolicyType": "Custom", "PolicyName": "ims-read-only"},
    )
    assert found(cloud, spec) == [
        ("role/ims-sts-role", "missing", "attachment of Custom policy ims-read-only"),
        ("user/alice", "missing", "membership in group media-readers"),
        ("user/mallory", "unmanaged", "user"),
    ]


def test_documents_compare_parsed_not_as_text(dev: tuple[FakeCloud, Spec]) -> None:
    cloud, spec = dev
    arn = f"acs:ram::{ACCOUNT}:user/ims-app"
    # RAM re-serialises trust documents: same content, other whitespace, order and scalar forms
    reformatted = {
        "Version": "1",
        "Statement": [{"Principal": {"RAM": arn}, "Effect": "Allow", "Action": "sts:AssumeRole"}],
    }
    cloud.call(
        "ram",
        "UpdateRole",
        {"RoleName": "ims-sts-role", "NewAssumeRolePolicyDocument": json.dumps(reformatted, indent=3)},
    )
    assert found(cloud, spec) == []
    widened = {
        "Version": "1",
        "Statement": [
            {
                "Principal": {"RAM": [arn, f"acs:ram::{ACCOUNT}:root"]},
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
            }
        ],
    }
    cloud.call(
        "ram", "UpdateRole", {"RoleName": "ims-sts-role", "NewAssumeRolePolicyDocument": json.dumps(widened)}
    )
    assert found(cloud, spec) == [("role/ims-sts-role", "changed", "trust document")]


def test_changed_attributes_and_policy_versions(
    dev: tuple[FakeCloud, Spec], capsys: pytest.CaptureFixture[str]
) -> None:
    cloud, spec = dev
    cloud.call("ram", "UpdateUser", {"UserName": "alice", "NewDisplayName": "Eve"})
    cloud.call("ram", "UpdateLoginProfile", {"UserName": "alice", "MFABindRequired": False})
    cloud.call(
        "ram",
        "CreatePolicyVersion",
        {
            "PolicyName": "imm-doc-conversion",
            "SetAsDefault": True,
            "PolicyDocument": json.dumps(
                {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "imm:*", "Resource": "*"}]}
            ),
        },
    )
    assert found(cloud, spec) == [
        ("policy/imm-doc-conversion", "changed", "document"),
        ("user/alice", "changed", "console MFA required"),
        ("user/alice", "changed", "display name"),
    ]
    assert report(FakeCloudTransport(cloud), spec, "dev", "text") == 1
    text = capsys.readouterr().out
    assert "display name changed: spec Alice, account Eve" in text
    assert (
        "Allow imm:ListProjects on * -> Allow imm:* on *" in text
    )  # the permission diff says what it grants

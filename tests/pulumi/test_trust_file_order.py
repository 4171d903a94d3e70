"""A role whose trust is a document file waits for the spec's principals that document names, as a
role with a generated trust does: RAM refuses a trust naming a principal that does not exist yet."""

from __future__ import annotations

import json
from pathlib import Path

from tests.pulumi.conftest import RunStack

ACCOUNT = "1234567890123456"


def test_a_trust_file_role_depends_on_the_principals_it_names(run_stack: RunStack, tmp_path: Path) -> None:
    (tmp_path / "Pulumi.dev.yaml").write_text(
        f'config:\n  alicloud:region: cn-hangzhou\n  ramstack:accountId: "{ACCOUNT}"\n'
        "  ramstack:spec: access.yaml\n"
    )
    (tmp_path / "access.yaml").write_text(
        "users:\n  app: {}\n  bob: {}\nroles:\n  base:\n    trust: {services: [ecs.aliyuncs.com]}\n"
        "  mixed:\n    trust_file: trust/mixed.json\n"
    )
    (tmp_path / "trust").mkdir()
    document = {
        "Version": "1",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:user/app", f"acs:ram::{ACCOUNT}:role/base"]},
            },
            {
                "Effect": "Deny",
                "Action": "sts:AssumeRole",
                "Principal": {"RAM": [f"acs:ram::{ACCOUNT}:user/bob"]},
            },
        ],
    }
    (tmp_path / "trust/mixed.json").write_text(json.dumps(document))
    run = run_stack(tmp_path)
    urns = {(r.typ, r.name): r.urn for r in run.resources}
    (role,) = [r for r in run.resources if r.typ == "alicloud:ram/role:Role" and r.name == "mixed"]
    assert {
        urns[("alicloud:ram/user:User", "app")],
        urns[("alicloud:ram/user:User", "bob")],
        urns[("alicloud:ram/role:Role", "base")],
    } <= set(role.dependencies)

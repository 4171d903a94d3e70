"""`trust_file:`: a role's trust policy kept as a document (what ramstack import writes when trust:
cannot express it), validated as a trust policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ramstack.diagnostics import Diagnostics, InvalidInput
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from tests.conftest import STACK_FILE

DOCUMENT = {
    "Version": "1",
    "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": ["ecs.aliyuncs.com"]}},
        {
            "Effect": "Deny",
            "Action": "sts:AssumeRole",
            "Principal": {"RAM": ["acs:ram::9876543210987654:root"]},
        },
    ],
}


def load(tmp_path: Path, spec: str, document: object = DOCUMENT) -> tuple[object, Diagnostics]:
    (tmp_path / "Pulumi.test.yaml").write_text(STACK_FILE)
    (tmp_path / "access.yaml").write_text(spec)
    (tmp_path / "trust").mkdir()
    (tmp_path / "trust/r.json").write_text(json.dumps(document))
    diags = Diagnostics()
    config = load_stack_config(tmp_path, "test", diags)
    assert config is not None
    try:
        return load_spec(config, diags), diags
    except InvalidInput:
        return None, diags


def test_the_file_is_the_roles_trust_policy(tmp_path: Path) -> None:
    spec, diags = load(tmp_path, "roles:\n  r:\n    trust_file: trust/r.json\n")
    assert not diags.has_errors
    role = spec.role_map["r"]  # type: ignore[attr-defined]
    assert [s.effect for s in role.trust_document.statements] == ["Allow", "Deny"]


@pytest.mark.parametrize(
    ("spec", "code", "line"),
    [
        (
            "roles:\n  r:\n    trust_file: trust/r.json\n    trust: {services: [ecs.aliyuncs.com]}\n",
            "SPEC022",
            4,
        ),
        ("roles:\n  r:\n    trust_file: trust/none.json\n", "SPEC006", 3),
    ],
)
def test_mistakes_are_located(tmp_path: Path, spec: str, code: str, line: int) -> None:
    _, diags = load(tmp_path, spec)
    assert [(d.code, d.location.line) for d in diags.errors] == [(code, line)]


def test_the_document_is_checked_as_a_trust_policy(tmp_path: Path) -> None:
    bad = {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole"}]}  # no Principal
    _, diags = load(tmp_path, "roles:\n  r:\n    trust_file: trust/r.json\n", bad)
    assert diags.has_errors and all(d.location.file.endswith("trust/r.json") for d in diags.errors)

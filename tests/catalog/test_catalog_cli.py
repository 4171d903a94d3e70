"""`ramstack catalog`: what is bundled, and one name at a time."""

from __future__ import annotations

import json

import pytest

from ramstack.cli import main


def test_summary_names_sources_dates_and_counts(capsys) -> None:
    assert main(["catalog"]) == 0
    out = capsys.readouterr().out
    assert "System policies (bundled catalog of " in out
    assert "dew-serverless/acs-metadata@b3c749cc (2025-12-19)" in out
    assert "AlibabaCloudDocs/ram@20c6e869" in out


def test_summary_json(capsys) -> None:
    assert main(["catalog", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["system_policies"]["names"] > 400
    assert data["actions"]["services"] > 250
    assert set(data["actions"]["levels"]) <= {"read", "list", "write", "permissions-management", "unknown"}


def test_a_known_policy_without_a_document_says_so(capsys) -> None:
    assert main(["catalog", "AliyunECSReadOnlyAccess"]) == 0
    out = capsys.readouterr().out
    assert "AlibabaCloudDocs/ram" in out
    assert "document: not available" in out


def test_a_policy_with_a_document_shows_it_canonically(capsys) -> None:
    assert main(["catalog", "AliyunIMMFullAccess", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == "v3" and data["document"]["Statement"][1]["Action"] == "ram:PassRole"
    assert main(["catalog", "AliyunSTSAssumeRoleAccess"]) == 0
    assert (
        '{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Resource":["*"]}],"Version":"1"}'
        in (capsys.readouterr().out)
    )


def test_an_action(capsys) -> None:
    assert main(["catalog", "oss:GetObjectVersion"]) == 0
    assert "oss:GetObjectVersion: access level read" in capsys.readouterr().out
    assert main(["catalog", "ram:passrole", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["action"] == "ram:PassRole" and data["level"] == "permissions-management"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("oss:UploadPart", "the service is catalogued"),
        ("nosuchservice:Get", "the service is not in the catalog"),
        ("AliyunOSSReadOnlyAcess", "did you mean 'AliyunOSSReadOnlyAccess'?"),
        ("AliyunNewThingReadOnlyAccess", "may exist"),
    ],
)
def test_not_found_exits_1_and_explains(name: str, expected: str, capsys) -> None:
    assert main(["catalog", name]) == 1
    assert expected in " ".join(capsys.readouterr().out.split())  # folded at 100 columns


def test_a_pattern_and_a_service(capsys) -> None:
    assert main(["catalog", "oss:Get*Tagging"]) == 0
    assert "oss:GetObjectVersionTagging" in capsys.readouterr().out
    assert main(["catalog", "oss"]) == 0
    out = capsys.readouterr().out
    assert "API UploadPart is authorised as oss:PutObject" in out


def test_a_service_says_whether_its_ram_code_is_confirmed(capsys) -> None:
    assert main(["catalog", "kvstore"]) == 0
    # the URL is too long to share its line at the 100 columns of a pipe: it folds onto the next
    assert "  RAM code (confirmed):\n    https://help.aliyun.com/en/redis/" in capsys.readouterr().out
    assert main(["catalog", "alidns"]) == 0
    assert "  RAM code (assumed): assumed: the product code" in capsys.readouterr().out
    assert main(["catalog", "cen", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["code_confirmed"] is True

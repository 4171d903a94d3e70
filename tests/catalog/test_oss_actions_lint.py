"""`ramstack lint --policy` knows every action of OSS's own authorization table (issue 10: no LP208)."""

from __future__ import annotations

import json
from pathlib import Path

from ramstack.cli import main

ROOT = Path(__file__).resolve().parents[2]

# Actions the issue names as wrongly unknown, and the service-level actions of the current
# "RAM Policy overview" page that have no API of their own.
NAMED = [
    "oss:GetBucketStat",
    "oss:GetObjectVersion",
    "oss:GetObjectTagging",
    "oss:PutObjectTagging",
    "oss:DeleteObjectTagging",
    "oss:GetBucketTagging",
    "oss:PutBucketTagging",
    "oss:DeleteBucketTagging",
    "oss:GetObjectVersionTagging",
    "oss:ListUserDataRedundancyTransition",
    "oss:ActivateProduct",
    "oss:CreateOrder",
    "oss:InitiateBucketWorm",
    "oss:AbortBucketWorm",
    "oss:CompleteBucketWorm",
    "oss:ExtendBucketWorm",
]


def table_actions() -> list[str]:
    extract = json.loads((ROOT / "scripts/catalog_sources/oss_docs_actions.json").read_text(encoding="utf-8"))
    return sorted({action for actions in extract["apis"].values() for action in actions})


def lint(tmp_path: Path, actions: list[str], capsys) -> list[dict]:
    policy = tmp_path / "oss.json"
    statement = {"Effect": "Allow", "Action": actions, "Resource": "acs:oss:*:*:media/*"}
    policy.write_text(json.dumps({"Version": "1", "Statement": [statement]}), encoding="utf-8")
    capsys.readouterr()
    main(["lint", "--policy", str(policy), "--format", "json", "--fail-on", "critical"])
    return json.loads(capsys.readouterr().out)["findings"]


def test_every_action_of_the_oss_table_is_known(tmp_path: Path, capsys) -> None:
    actions = table_actions() + NAMED
    assert len(table_actions()) >= 70
    findings = lint(tmp_path, actions, capsys)
    assert all("rule_id" in f for f in findings)
    assert [f["message"] for f in findings if f["rule_id"] == "LP208"] == []


def test_a_misspelt_oss_action_is_still_reported(tmp_path: Path, capsys) -> None:
    findings = lint(tmp_path, ["oss:GetObjectVersoin", "oss:GetObject"], capsys)
    [found] = [f for f in findings if f["rule_id"] == "LP208"]
    assert "oss:GetObjectVersoin" in found["message"] and "oss:GetObjectVersion" in found["message"]


def test_an_api_name_authorised_as_another_action_says_which(tmp_path: Path, capsys) -> None:
    findings = lint(tmp_path, ["oss:UploadPart"], capsys)
    [found] = [f for f in findings if f["rule_id"] == "LP208"]
    assert "oss:PutObject" in found["message"]

"""The bundled action catalog: provenance, lookups, wildcard expansion."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest

from ramstack.evaluate.actions_catalog import catalog_info, expand, is_known, known_actions, services
from ramstack.spec.catalog import system_policy, system_policy_names

REQUIRED = ("sts", "ram", "ice", "imm", "vod", "oss")


def test_provenance_is_recorded_per_service() -> None:
    info = catalog_info()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["generated"])
    assert info["generator"] == "scripts/gen_action_catalog.py"
    for code in REQUIRED:
        packages = [s for s in info["services"][code]["sources"] if "package" in s]
        assert packages, code
        for source in packages:
            assert source["package"].startswith("alibabacloud_")
            assert re.fullmatch(r"\d+(\.\d+)+", source["version"])
    ram_packages = {s.get("package") for s in info["services"]["ram"]["sources"]}
    assert {"alibabacloud_ram20150501", "alibabacloud_ims20190815"} <= ram_packages


def test_catalog_file_is_sorted_and_unique() -> None:
    raw = json.loads(resources.files("ramstack").joinpath("data/actions.json").read_text(encoding="utf-8"))
    for code, entry in raw["services"].items():
        assert entry["actions"] == sorted(set(entry["actions"])), code
        assert all(re.fullmatch(r"[A-Za-z0-9]+", a) for a in entry["actions"]), code


@pytest.mark.parametrize("code", REQUIRED)
def test_required_services_present(code: str) -> None:
    assert code in services()
    assert len(known_actions(code)) >= 3
    assert all(a.startswith(f"{code}:") for a in known_actions(code))


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        ("sts:AssumeRole", True),
        ("sts:AssumeRoleWithOIDC", True),
        ("ram:CreateUser", True),
        ("ram:CreateOIDCProvider", True),  # IMS identity API, authorised as ram:
        ("ram:PassRole", True),
        ("ice:GetMediaInfo", True),
        ("ICE:getmediainfo", True),  # case-insensitive
        ("imm:CreateOfficeConversionTask", True),
        ("vod:CreateUploadVideo", True),
        ("oss:GetObject", True),
        ("oss:ListBuckets", True),
        ("ice:GetMediaInfoo", False),
        ("ram:CreateUsers", False),
        ("ecs:DescribeInstances", None),  # service not in the catalog
        ("nonsense", None),
    ],
)
def test_is_known(action: str, expected: bool | None) -> None:
    assert is_known(action) is expected


def test_every_action_in_the_seeds_and_dev_policies_is_known() -> None:
    seen = [
        "ice:GetMediaProducingJob",
        "ice:GetEditingProject",
        "ice:GetMediaInfo",
        "ice:ListMediaBasicInfos",
        "ice:SearchEditingProject",
        "imm:ListProjects",
        "imm:CreateFigureClusteringTask",
        "imm:CreateFigureClustersMergingTask",
        "vod:CreateUploadVideo",
        "ram:ListRoles",
    ]
    assert [a for a in seen if not is_known(a)] == []


def test_system_policy_literal_actions_are_known_for_catalogued_services() -> None:
    for name in system_policy_names():
        policy = system_policy(name)
        assert policy is not None
        for statement in policy.document.statements:
            for action in statement.actions:
                if "*" in action or "?" in action:
                    continue
                assert is_known(action) in (True, None), (name, action)


def test_expand_literal_service() -> None:
    found = expand("ice:GetMedia*")
    assert found.complete and found.unknown_services == ()
    assert "ice:GetMediaInfo" in found
    assert all(a.startswith("ice:GetMedia") for a in found)
    assert isinstance(found, tuple)


def test_expand_is_case_insensitive_and_keeps_catalog_casing() -> None:
    assert expand("STS:assumerole") == ("sts:AssumeRole",)
    assert expand("sts:AssumeRole?????") == ()
    assert set(expand("sts:AssumeRoleWith????")) == {"sts:AssumeRoleWithSAML", "sts:AssumeRoleWithOIDC"}


def test_expand_whole_service_equals_known_actions() -> None:
    assert expand("vod:*") == known_actions("vod")


def test_expand_unknown_service_is_flagged() -> None:
    found = expand("ecs:Describe*")
    assert found == ()
    assert found.unknown_services == ("ecs",)
    assert not found.complete


@pytest.mark.parametrize("pattern", ["*", "*:AssumeRole", "s?s:*"])
def test_expand_wildcard_service_is_incomplete(pattern: str) -> None:
    found = expand(pattern)
    assert not found.complete
    assert "sts:AssumeRole" in found

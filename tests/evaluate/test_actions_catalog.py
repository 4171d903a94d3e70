"""The bundled action catalog: provenance, lookups, wildcard expansion."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import pytest

from ramstack.evaluate.actions_catalog import (
    access_level,
    action_info,
    api_actions,
    catalog_info,
    expand,
    is_known,
    known_actions,
    service_for_event,
    services,
)
from ramstack.spec.catalog import system_policy, system_policy_names
from tests.activity.conftest import actiontrail_samples

REQUIRED = ("sts", "ram", "ice", "imm", "vod", "oss")
ROOT = Path(__file__).resolve().parents[2]


def test_provenance_is_recorded_per_service() -> None:
    info = catalog_info()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", info["snapshot"])
    assert info["generator"] == "scripts/gen_catalog.py"
    metadata = info["sources"]["acs-metadata"]
    assert metadata["repository"] == "dew-serverless/acs-metadata"
    assert re.fullmatch(r"[0-9a-f]{40}", metadata["commit"])
    for package in info["sources"]["sdk"]["packages"]:
        assert package["package"].startswith("alibabacloud_")
        assert re.fullmatch(r"\d+(\.\d+)+", package["version"])
    for code in REQUIRED:
        assert info["services"][code]["sources"], code
    ram_sources = info["services"]["ram"]["sources"]
    assert {"sdk:alibabacloud_ram20150501==1.3.0", "sdk:alibabacloud_ims20190815==3.5.0"} <= set(ram_sources)
    assert len(info["services"]) > 250  # the whole OpenAPI metadata, not six services


def test_catalog_file_is_sorted_and_levels_are_known() -> None:
    raw = json.loads(resources.files("ramstack").joinpath("data/actions.json").read_text(encoding="utf-8"))
    for code, entry in raw["services"].items():
        assert list(entry["actions"]) == sorted(entry["actions"]), code
        assert set(entry["actions"].values()) <= {"read", "list", "write", "permissions-management", None}


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
        ("ecs:DescribeInstances", True),
        ("oss:GetObjectVersion", True),  # OSS's action table, not an API name
        ("oss:UploadPart", False),  # an API authorised as oss:PutObject, not an action
        ("nosuchservice:DescribeInstances", None),  # service not in the catalog
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
    documented = [p for p in map(system_policy, system_policy_names()) if p is not None]
    assert len(documented) >= 40
    for policy in documented:
        name = policy.name
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
    found = expand("nosuchservice:Describe*")
    assert found == ()
    assert found.unknown_services == ("nosuchservice",)
    assert not found.complete


@pytest.mark.parametrize("pattern", ["*", "*:AssumeRole", "s?s:*"])
def test_expand_wildcard_service_is_incomplete(pattern: str) -> None:
    found = expand(pattern)
    assert not found.complete
    assert "sts:AssumeRole" in found


@pytest.mark.parametrize(
    ("action", "level"),
    [
        ("ecs:DescribeInstances", "list"),
        ("ecs:DescribeInstanceAttribute", "read"),
        ("ecs:DeleteInstance", "write"),
        ("oss:ListObjects", "list"),
        ("oss:PutBucketPolicy", "permissions-management"),
        ("ram:AttachPolicyToUser", "permissions-management"),
        ("ram:PassRole", "permissions-management"),
        ("ram:ListUsers", "list"),
        ("nosuchservice:Get", None),
    ],
)
def test_access_level(action: str, level: str | None) -> None:
    assert access_level(action) == level


def test_metadata_ram_actions_carry_resources_and_conditions() -> None:
    info = action_info("log:GetCursorOrData")
    assert info is not None
    assert info["resources"] and all(r.startswith("acs:log:") for r in info["resources"])
    assert "log:TLSVersion" in info["conditions"]


@pytest.mark.parametrize(
    ("service", "api", "actions"),
    [
        ("oss", "UploadPart", ("oss:PutObject",)),
        ("oss", "CopyObject", ("oss:GetObject", "oss:PutObject")),
        ("oss", "GetBucketTags", ("oss:GetBucketTagging",)),
        ("oss", "GetObject?versionId", ("oss:GetObjectVersion",)),
        ("log", "GetCursor", ("log:GetCursorOrData",)),
        ("ecs", "DescribeInstances", ("ecs:DescribeInstances",)),
        ("ecs", "NoSuchApi", ()),
    ],
)
def test_api_to_action_mapping(service: str, api: str, actions: tuple[str, ...]) -> None:
    assert api_actions(service, api) == actions


def _annotated_events() -> list[tuple[str, str]]:
    data = actiontrail_samples()
    pairs = []
    for sample in data["samples"]:
        found = re.search(r'"serviceName"\s*:\s*"([^"]+)"', sample["raw"])
        if found and sample.get("annotation_ram_service_code"):
            pairs.append((found.group(1), sample["annotation_ram_service_code"]))
    return pairs


def test_actiontrail_service_names_map_to_ram_codes() -> None:
    pairs = _annotated_events()
    assert ("PrivateZone", "pvtz") in pairs and len(pairs) >= 8
    assert [(name, service_for_event(name)) for name, _ in pairs] == pairs
    assert service_for_event("NoSuchService") is None


def test_actiontrail_events_map_to_their_ram_actions() -> None:
    data = actiontrail_samples()
    checked = 0
    for sample in data["samples"]:
        service = re.search(r'"serviceName"\s*:\s*"([^"]+)"', sample["raw"])
        event = re.search(r'"eventName"\s*:\s*"([^"]+)"', sample["raw"])
        expected = sample.get("annotation_ram_action") or ""
        if not (service and event and re.fullmatch(r"[a-z]+:[A-Za-z]+", expected)):
            continue  # annotated with a doubt ("?") or without an event name
        code = service_for_event(service.group(1))
        assert code is not None, sample["id"]
        assert api_actions(code, event.group(1)) == (expected,), sample["id"]
        checked += 1
    assert checked >= 6

"""The bundled catalogs are what the generator builds from its pinned extracts, byte for byte."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_catalog", ROOT / "scripts/gen_catalog.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_reproduces_the_bundled_files_byte_for_byte() -> None:
    built = generator().outputs()
    assert {p.name for p in built} == {"system_policies.json", "actions.json", "activity.json"}
    for path, text in built.items():
        assert path.read_bytes() == text.encode("utf-8"), f"{path.name}: run scripts/gen_catalog.py"


def test_extracts_are_pinned_to_commits() -> None:
    sources = ROOT / "scripts/catalog_sources"
    metadata = json.loads((sources / "acs_metadata.json").read_text(encoding="utf-8"))["source"]
    names = json.loads((sources / "ram_docs_policy_names.json").read_text(encoding="utf-8"))["source"]
    oss = json.loads((sources / "oss_docs_actions.json").read_text(encoding="utf-8"))["source"]
    for source in (metadata, names, oss):
        assert len(source["commit"]) == 40
    assert metadata["repository"] == "dew-serverless/acs-metadata"
    assert names["page_versions_read"] > 100


def test_bundled_data_stays_small() -> None:
    total = sum(p.stat().st_size for p in (ROOT / "ramstack/data").glob("*.json"))
    assert total < 3_000_000


def _data(name: str) -> dict:
    return json.loads((ROOT / "ramstack/data" / name).read_text(encoding="utf-8"))


def test_every_service_says_whether_its_ram_code_is_confirmed() -> None:
    services = _data("actions.json")["services"]
    assert all(isinstance(s["code_confirmed"], bool) for s in services.values())
    for code, service in services.items():
        assert service["code_confirmed"] == (not service["code_source"].startswith("assumed")), code
    # a confirmed code cites a page or a metadata field; an assumed one says so
    assert sum(s["code_confirmed"] for s in services.values()) >= 30
    assert services["ecs"]["code_confirmed"] and not services["alidns"]["code_confirmed"]


@pytest.mark.parametrize(
    ("service_name", "code"),
    [
        ("R-kvstore", "kvstore"),
        ("Cbn", "cen"),
        ("waf-openapi", "yundun-waf"),
        ("FC-Open", "fc"),
        ("FC", "fc"),
        ("Mns-open", "mns"),
        ("Dyvmsapi", "dyvms"),
        ("mssp", "yundun-mss"),
        ("Ims", "ram"),
        ("PrivateZone", "pvtz"),
    ],
)
def test_ram_codes_that_differ_from_the_product_code_are_corrected(service_name: str, code: str) -> None:
    entry = _data("activity.json")["service_names"][service_name]
    assert entry["code"] == code and entry["code_confirmed"]
    services = _data("actions.json")["services"]
    assert code in services and services[code]["code_confirmed"]
    assert service_name.lower() not in services or service_name.lower() == code

"""The bundled catalogs are what the generator builds from its pinned extracts, byte for byte."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

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

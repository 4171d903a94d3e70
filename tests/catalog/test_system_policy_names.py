"""System-policy names: every listed name validates, typos are refused with a safe suggestion,
well-formed names the snapshot lacks are warned, and no suggestion ever escalates."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
import yaml

from ramstack.diagnostics import Diagnostics, InvalidInput, Level
from ramstack.spec.catalog import (
    PolicyCatalog,
    PolicyEntry,
    bundled_catalog,
    decide,
    snapshot,
    system_policy,
    system_policy_names,
)
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from tests.conftest import STACK_FILE

ADMIN = {"AdministratorAccess", "AliyunRAMFullAccess", "PowerUserAccess"}


def load(project, spec: str):
    folder = project(spec, stack_file=STACK_FILE)
    diags = Diagnostics()
    config = load_stack_config(folder, "test", diags)
    assert config is not None
    with contextlib.suppress(InvalidInput):  # errors are in diags either way
        load_spec(config, diags)
    return diags


def test_the_catalog_holds_every_listed_name_with_provenance() -> None:
    names = system_policy_names()
    assert len(names) > 400
    for expected in (
        "AliyunECSReadOnlyAccess",
        "AliyunECSFullAccess",
        "AliyunRDSFullAccess",
        "AdministratorAccess",
    ):
        assert expected in names
    assert all(bundled_catalog().get(n).listed for n in names)  # type: ignore[union-attr]


def test_every_name_of_the_services_pages_validates_without_a_diagnostic(project) -> None:
    # the last version of each services-that-support-RAM page, as extracted with its commit
    sources = Path(__file__).resolve().parents[2] / "scripts/catalog_sources"
    listed = sorted(json.loads((sources / "ram_docs_policy_names.json").read_text(encoding="utf-8"))["names"])
    # and every name the product guides print, but those they create as custom policies
    excluded = yaml.safe_load((sources / "overlay.yaml").read_text(encoding="utf-8"))["not_system_policies"]
    guides = json.loads((sources / "product_docs_policy_names.json").read_text(encoding="utf-8"))["names"]
    listed = sorted(set(listed) | {n for n in guides if n not in excluded})
    assert len(listed) >= 470
    groups = "".join(
        f"  g{i}:\n    system_policies: [{', '.join(listed[i : i + 20])}]\n"
        for i in range(0, len(listed), 20)
    )
    diags = load(
        project,
        "groups:\n"
        + groups.replace("AliyunSTSAssumeRoleAccess, ", "").replace(", AliyunSTSAssumeRoleAccess", ""),
    )
    assert [d.format() for d in diags if d.code in ("SPEC007", "SPEC021")] == []


def test_a_typo_of_a_known_name_is_an_error_with_the_right_suggestion(project) -> None:
    diags = load(project, "users:\n  alice:\n    system_policies: [AliyunECSReadOnlyAcess]\n")
    [found] = [d for d in diags if d.code == "SPEC007"]
    assert found.level is Level.ERROR and found.location.line == 3
    assert found.fix == "did you mean 'AliyunECSReadOnlyAccess'?"


def test_an_unknown_well_formed_name_is_a_warning_that_says_permissions_are_unknown(project) -> None:
    diags = load(project, "users:\n  alice:\n    system_policies: [AliyunNewServiceReadOnlyAccess]\n")
    [found] = [d for d in diags if d.code == "SPEC021"]
    assert found.level is Level.WARNING
    assert f"not in the bundled catalog of {snapshot()}; effective permissions unknown" in found.message
    assert not diags.has_errors


def test_extra_system_policies_acknowledges_an_unlisted_name(project) -> None:
    diags = load(
        project,
        "extra_system_policies: [AliyunNewServiceReadOnlyAccess]\n"
        "users:\n  alice:\n    system_policies: [AliyunNewServiceReadOnlyAccess]\n",
    )
    assert list(diags) == []


@pytest.mark.parametrize(
    "name",
    [
        "AliyunXAMFullAccess",  # one letter from AliyunRAMFullAccess
        "AliyunRAMFulAccess",
        "AdministratorAcess",
        "AdminAccess",
        "PowerUserAcess",
        "AliyunAdministratorAccess",
        "FullAccess",
        "AliyunFooFullAccess",
        "xyz",
        "AliyunRAMFullAccesss",
    ],
)
def test_no_suggestion_is_administrator_equivalent(name: str, project) -> None:
    decision = decide(name)
    assert decision.suggestion not in ADMIN
    diags = load(project, f"users:\n  alice:\n    system_policies: [{name}]\n")
    assert not any(f"'{admin}'" in d.format() for d in diags for admin in ADMIN if admin != name)


def test_a_read_only_name_is_never_corrected_to_a_wider_policy() -> None:
    for name in ("AliyunOSSReadOnlyAcess", "AliyunECSReadOnlyAccesss", "AliyunVPCReadOnlyAccess2"):
        decision = decide(name)
        assert decision.suggestion is None or "ReadOnly" in decision.suggestion, (name, decision)


@pytest.mark.parametrize(
    ("name", "kind", "suggestion"),
    [
        ("aliyunossreadonlyaccess", "typo", "AliyunOSSReadOnlyAccess"),  # only the case differs
        ("AliyunOSSReadOnlyAcess", "typo", "AliyunOSSReadOnlyAccess"),
        ("AliyunECZReadOnlyAccess", "unlisted", None),  # another service's name: maybe real
        ("my-policy", "invalid", None),
    ],
)
def test_decisions(name: str, kind: str, suggestion: str | None) -> None:
    decision = decide(name)
    assert decision.kind == kind
    if suggestion is not None or kind == "invalid":
        assert decision.suggestion == suggestion


def test_documents_carry_version_and_source() -> None:
    policy = system_policy("AliyunVPCReadOnlyAccess")
    assert policy is not None and policy.version == "v9" and policy.confirmed
    entry = bundled_catalog().get("AliyunVPCReadOnlyAccess")
    assert entry is not None and entry.updated == "2025-08-07"
    assert entry.document_source and entry.document_source.startswith("https://")
    assert system_policy("AliyunECSReadOnlyAccess") is None  # known name, no document from a source


def test_a_live_account_extends_the_catalog_without_touching_the_bundle() -> None:
    live = bundled_catalog().extended(
        [PolicyEntry("AliyunBrandNewReadOnlyAccess", ("live account 1234567890123456",))],
        source="ListPolicies of account 1234567890123456",
        snapshot="2027-01-01",
    )
    assert "AliyunBrandNewReadOnlyAccess" in live.names()
    assert "AliyunBrandNewReadOnlyAccess" not in system_policy_names()
    assert live.snapshot == "2027-01-01" and live.sources["extensions"] == [
        "ListPolicies of account 1234567890123456"
    ]
    assert decide("AliyunBrandNewReadOnlyAcess", live).suggestion == "AliyunBrandNewReadOnlyAccess"


def test_the_catalog_round_trips_through_its_file_format() -> None:
    bundled = bundled_catalog()
    again = PolicyCatalog.from_json(json.loads(json.dumps(bundled.to_json())))
    assert again == bundled
    live = PolicyCatalog.from_json(
        {"snapshot": "2027-01-01", "policies": {"AliyunBrandNewReadOnlyAccess": {"listed": ["live account"]}}}
    )
    merged = bundled.extended(live.entries.values(), source="live account")
    assert merged.get("AliyunBrandNewReadOnlyAccess") == live.get("AliyunBrandNewReadOnlyAccess")

#!/usr/bin/env python3
"""Build ramstack's bundled catalogs (ramstack/data/) from the extracts in scripts/catalog_sources/.

Offline and deterministic: the same extracts give the same bytes (tests/test_catalog_data.py
checks the committed files with `--check`). The extracts come from pinned public sources:

    acs_metadata.json           scripts/catalog_extract.py   dew-serverless/acs-metadata @ commit
    ram_docs_policy_names.json  scripts/catalog_extract.py   AlibabaCloudDocs/ram, every version
    product_docs_policy_names.json  catalog_extract.py       AlibabaCloudDocs product guides, every commit
    oss_docs_actions.json       scripts/catalog_extract.py   AlibabaCloudDocs/oss RAM policy pages
    guide_actions.json          scripts/catalog_extract.py   sample policies of Alibaba's guides
    sdk_operations.json         scripts/gen_action_catalog.py  Alibaba's Python SDKs (PyPI, pinned)
    policy_documents.yaml       hand-transcribed per-policy reference pages (URL, version, date)
    overlay.yaml                hand-curated additions, each citing its page

Outputs:
    ramstack/data/system_policies.json   every system policy name with provenance; documents where
                                         a source gave them
    ramstack/data/actions.json           RAM actions per service code: access level, resource ARN
                                         templates and condition keys where the source has them,
                                         API-to-action mapping where they differ
    ramstack/data/activity.json          ActionTrail serviceName -> RAM code

Access level of an operation, from the metadata: `systemTags.operationType` get -> read, list ->
list, create/update/delete -> write; else `operationType` read -> read, write/readAndWrite -> write;
else unknown (null). overlay.yaml raises matching writes to permissions-management.

Usage: python scripts/gen_catalog.py [--check]
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "catalog_sources"
DATA = ROOT / "ramstack" / "data"

FORMAT = 2
_TAG_LEVEL = {"get": "read", "list": "list", "create": "write", "update": "write", "delete": "write"}
_TYPE_LEVEL = {"read": "read", "list": "list", "write": "write", "readAndWrite": "write"}
_TYPE_LEVEL.update({"update": "write", "delete": "write"})


def load_json(name: str) -> Any:
    return json.loads((SOURCES / name).read_text(encoding="utf-8"))


def load_yaml(name: str) -> Any:
    return yaml.safe_load((SOURCES / name).read_text(encoding="utf-8"))


def level_of(operation_type: str | None, tag: str | None) -> str | None:
    return _TAG_LEVEL.get(tag or "") or _TYPE_LEVEL.get(operation_type or "")


def dump(data: dict[str, Any], per_line: str) -> str:
    """Deterministic JSON: the header indented, one entry of `per_line` per line (small diffs)."""
    head = {k: v for k, v in data.items() if k != per_line}
    lines = [
        f" {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False, sort_keys=True)}"
        for k, v in sorted(data[per_line].items())
    ]
    return (
        json.dumps(head, indent=1, ensure_ascii=False, sort_keys=True)[:-2]
        + f',\n "{per_line}": {{\n'
        + ",\n".join(lines)
        + "\n }\n}\n"
    )


# -- actions ---------------------------------------------------------------------------------------


class Services:
    def __init__(self) -> None:
        self.services: dict[str, dict[str, Any]] = {}

    def service(self, code: str) -> dict[str, Any]:
        return self.services.setdefault(
            code,
            {
                "names": [],
                "sources": [],
                "code_source": None,
                "actions": {},
                "details": {},
                "apis": {},
                "conditions": set(),
            },
        )

    def add(self, code: str, action: str, level: str | None, source: str | None = None) -> None:
        service = self.service(code)
        known = service["actions"].get(action)
        if action not in service["actions"] or (known is None and level is not None):
            service["actions"][action] = level
        if source is not None:
            service["details"].setdefault(action, {})["source"] = source


def metadata_code(product: str, entry: dict[str, Any], overlay: dict[str, Any]) -> tuple[str, str]:
    if product in overlay["ram_codes"]:
        return overlay["ram_codes"][product]["code"], overlay["ram_codes"][product]["source"]
    prefixes = sorted(
        {a[0].partition(":")[0] for found in entry.get("ram_actions", {}).values() for a in found}
    )
    if len(prefixes) == 1:
        return prefixes[0], "acs-metadata ramActions"
    return product.lower(), "assumed: the product code of the OpenAPI metadata"


def build_actions(overlay: dict[str, Any], policies: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    meta = load_json("acs_metadata.json")
    sdk = load_json("sdk_operations.json")
    oss = load_json("oss_docs_actions.json")
    out = Services()
    codes_by_product: dict[str, str] = {}
    partial: set[str] = set()  # services with an operation whose RAM action the metadata lacks
    for product, entry in sorted(meta["products"].items()):
        code, code_source = metadata_code(product, entry, overlay)
        codes_by_product[product] = code
        service = out.service(code)
        service["names"].append(entry["name"] or entry["code"])
        service["sources"].append(f"acs-metadata:{product}@{','.join(entry['versions'])}")
        service["code_source"] = service["code_source"] or code_source
        for operation, (operation_type, tag) in sorted(entry["operations"].items()):
            level = level_of(operation_type, tag)
            ram_actions = entry.get("ram_actions", {}).get(operation)
            if not ram_actions:
                partial.add(code)
                if code == "oss" and operation in oss["apis"]:
                    continue  # OSS authorises this API under the actions of its table (below)
                out.add(code, operation, level)
                continue
            for action, arns, conditions in ram_actions:
                action_code, _, name = action.partition(":")
                target = out.service(action_code)
                out.add(action_code, name, level)
                details = target["details"].setdefault(name, {})
                if arns:
                    details["resources"] = sorted(set(details.get("resources", [])) | set(arns))
                if conditions:
                    details["conditions"] = sorted(set(details.get("conditions", [])) | set(conditions))
                    target["conditions"].update(conditions)
                if name != operation:
                    target["apis"].setdefault(operation, []).append(action)
    for code, operations in sorted(sdk["operations"].items()):
        service = out.service(code)
        packages = [p for p in sdk["packages"] if p["ram_code"] == code]
        service["sources"] += [f"sdk:{p['package']}=={p['version']}" for p in packages]
        for operation in operations:
            if code == "oss" and operation in oss["apis"]:
                continue
            out.add(code, operation, None)
    # OSS: the documented API -> action table (AlibabaCloudDocs/oss); its actions are the RAM names
    oss_source = "AlibabaCloudDocs/oss " + ", ".join(
        f"{p['page']}@{p['commit'][:8]}" for p in oss["source"]["pages"]
    )
    service = out.service("oss")
    service["sources"].append(oss_source)
    for api, actions in sorted(oss["apis"].items()):
        for action in actions:
            name = action.partition(":")[2]
            level = service["actions"].get(name)
            out.add("oss", name, level if level else _oss_level(name), oss_source)
        plain = api.partition("?")[0]
        if actions != [f"oss:{plain}"]:
            service["apis"][api] = actions
    service["conditions"].update(k for k in oss["condition_keys"] if k.startswith("oss:"))
    # hand-curated actions
    for action, entry in sorted(overlay["actions"].items()):
        code, _, name = action.partition(":")
        out.add(code, name, entry["level"], entry["source"])
        if entry.get("conditions"):
            out.service(code)["details"][name]["conditions"] = sorted(entry["conditions"])
    # literal actions of the sample policies of Alibaba's guides, for services the catalog covers
    for action, files in load_json("guide_actions.json")["actions"].items():
        code, _, name = action.partition(":")
        if code in out.services and name.lower() not in {a.lower() for a in out.services[code]["actions"]}:
            out.add(code, name, None, f"Alibaba guide (sample policy): {', '.join(files)}")
    # literal actions of the bundled system-policy documents, for services the catalog covers
    for policy_name, entry in sorted(policies.items()):
        for statement in entry.get("document", {}).get("Statement", []):
            listed = statement.get("Action", [])
            for action in [listed] if isinstance(listed, str) else listed:
                code, sep, name = action.partition(":")
                if not sep or any(c in action for c in "*?") or code not in out.services:
                    continue
                lowered = {a.lower() for a in out.services[code]["actions"]}
                if name.lower() not in lowered:
                    out.add(code, name, None, f"system policy {policy_name}")
    _permissions_management(out, overlay["permissions_management"])
    services = {}
    for code, service in sorted(out.services.items()):
        if not service["actions"]:
            continue
        record: dict[str, Any] = {
            "names": sorted(set(service["names"])),
            "sources": sorted(set(service["sources"])),
            "code_source": service["code_source"] or "overlay.yaml",
            "code_confirmed": not (service["code_source"] or "").startswith("assumed"),
            "actions": dict(sorted(service["actions"].items())),
        }
        complete = overlay["complete_action_lists"].get(code)
        if complete is None and code not in partial and code in codes_by_product.values():
            complete = "every operation's RAM action is in the OpenAPI metadata (ramActions)"
        if complete:
            record["complete"] = complete
        details = {k: v for k, v in sorted(service["details"].items()) if v}
        if details:
            record["details"] = details
        if service["apis"]:
            record["apis"] = {k: sorted(set(v)) for k, v in sorted(service["apis"].items())}
        if service["conditions"]:
            record["condition_keys"] = sorted(service["conditions"])
        services[code] = record
    return {
        "format": FORMAT,
        "snapshot": overlay["snapshot"],
        "generator": "scripts/gen_catalog.py",
        "levels": ["read", "list", "write", "permissions-management", None],
        "sources": {
            "acs-metadata": meta["source"],
            "sdk": {k: sdk[k] for k in ("source", "read", "packages")},
            "oss-docs": oss["source"],
            "guides": load_json("guide_actions.json")["source"],
            "overlay": "scripts/catalog_sources/overlay.yaml",
        },
        "services": services,
    }, codes_by_product


def _oss_level(name: str) -> str:
    """OSS actions the metadata does not list (the table's own names): by their verb."""
    if name.startswith(("Get", "Head")):
        return "read"
    if name.startswith("List"):
        return "list"
    return "write"


def _permissions_management(out: Services, rules: dict[str, Any]) -> None:
    for code, service in out.services.items():
        patterns = list(rules["any_service"]) + list(rules["services"].get(code, []))
        for name, level in service["actions"].items():
            # unknown levels only where the service's own list says so (ram:PassRole has none)
            raise_it = level == "write" or (level is None and code in rules["services"])
            if raise_it and any(fnmatch.fnmatchcase(name, p) for p in patterns):
                service["actions"][name] = "permissions-management"


# -- system policies -------------------------------------------------------------------------------


def build_policies(overlay: dict[str, Any]) -> dict[str, Any]:
    names = load_json("ram_docs_policy_names.json")
    documents = load_yaml("policy_documents.yaml")["policies"]
    policies: dict[str, dict[str, Any]] = {}
    for name, seen in names["names"].items():
        policies[name] = {
            "listed": [
                f"AlibabaCloudDocs/ram {seen['page']} (versions {seen['first']}..{seen['last']}, "
                f"last at {seen['commit'][:8]})"
            ]
        }
    guides = load_json("product_docs_policy_names.json")
    excluded = overlay["not_system_policies"]
    for name, seen in guides["names"].items():
        if name in policies or name in excluded:
            continue
        policies[name] = {
            "listed": [
                f"{seen['repository']} {seen['page']} (first printed {seen['first']} at {seen['commit'][:8]})"
            ]
        }
    for name, entry in overlay["system_policy_names"].items():
        policies.setdefault(name, {"listed": []})["listed"].append(entry["source"])
    for name, entry in documents.items():
        policy = policies.setdefault(name, {"listed": []})
        policy["document"] = entry["document"]
        policy["version"] = str(entry["version"])
        policy["confirmed"] = bool(entry.get("confirmed", True))
        policy["document_source"] = entry.get("url") or entry["source"]
        if entry.get("updated"):
            policy["updated"] = entry["updated"]
        if entry.get("url"):
            policy["listed"].append(entry["url"])
    for name in overlay["administrator_equivalent"]:
        if name in policies:
            policies[name]["administrator_equivalent"] = True
    return {
        "format": FORMAT,
        "snapshot": overlay["snapshot"],
        "generator": "scripts/gen_catalog.py",
        "sources": {
            "names": names["source"],
            "guide_names": guides["source"],
            "current_services_page": overlay["current_services_page"],
            "documents": "scripts/catalog_sources/policy_documents.yaml (per-policy reference pages)",
            "overlay": "scripts/catalog_sources/overlay.yaml",
        },
        "policies": policies,
    }


# -- activity --------------------------------------------------------------------------------------


def build_activity(
    overlay: dict[str, Any], codes_by_product: dict[str, str], actions: dict[str, Any]
) -> dict[str, Any]:
    meta = load_json("acs_metadata.json")
    assumed = {code for code, s in actions["services"].items() if not s["code_confirmed"]}
    names: dict[str, dict[str, str]] = {}
    for product, entry in sorted(meta["products"].items()):
        code = codes_by_product[product]
        names[entry["code"]] = {
            "code": code,
            "code_confirmed": product in overlay["ram_codes"] or code not in assumed,
            "source": f"acs-metadata:{product}",
        }
    for service_name, entry in overlay["actiontrail_service_names"].items():
        names[service_name] = {"code": entry["code"], "code_confirmed": True, "source": entry["source"]}
    return {
        "format": FORMAT,
        "snapshot": overlay["snapshot"],
        "generator": "scripts/gen_catalog.py",
        "note": (
            "ActionTrail's serviceName is the product code of Alibaba's OpenAPI (Ecs, Oss, ResourceManager); "
            "match it case-insensitively. code_confirmed: false where the RAM code is assumed to be the "
            "product code (no source confirms it). "
            "API-to-action differences: actions.json services.<code>.apis."
        ),
        "service_names": names,
    }


def outputs() -> dict[Path, str]:
    overlay = load_yaml("overlay.yaml")
    policies = build_policies(overlay)
    actions, codes_by_product = build_actions(overlay, policies["policies"])
    activity = build_activity(overlay, codes_by_product, actions)
    return {
        DATA / "system_policies.json": dump(policies, "policies"),
        DATA / "actions.json": dump(actions, "services"),
        DATA / "activity.json": dump(activity, "service_names"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="compare with the committed files, write nothing"
    )
    args = parser.parse_args()
    stale = []
    for path, text in outputs().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if args.check:
            if current != text:
                stale.append(path)
            continue
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)} ({len(text.encode()):,} bytes)")
    for path in stale:
        print(f"{path.relative_to(ROOT)} differs from what scripts/gen_catalog.py builds", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main())

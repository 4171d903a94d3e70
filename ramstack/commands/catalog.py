"""`ramstack catalog [NAME] [--format text|json]`: what the bundled catalogs hold, or one entry.

Without NAME: the snapshot date, sources and counts of the system-policy and action catalogs.
NAME is a system policy (`AliyunECSReadOnlyAccess`), an action (`oss:GetObjectVersion`), an action
pattern (`oss:Get*`), or a service code (`oss`). Exit 0 when found, 1 when NAME is not in the
catalog (the answer says what that means: a typo, or a name newer than the snapshot).
"""

from __future__ import annotations

import argparse
from collections import Counter
from typing import Any


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="a system policy, action, action pattern or service code")
    parser.add_argument("--format", "-f", choices=["text", "json"], default="text")


def summary() -> dict[str, Any]:
    from ramstack.evaluate import actions_catalog as actions
    from ramstack.spec.catalog import bundled_catalog

    policies = bundled_catalog()
    info = actions.catalog_info()
    levels: Counter[str] = Counter()
    for code in actions.services():
        for action in actions.known_actions(code):
            levels[actions.access_level(action) or "unknown"] += 1
    return {
        "system_policies": {
            "snapshot": policies.snapshot,
            "names": len(policies.entries),
            "with_document": sum(1 for e in policies.entries.values() if e.document is not None),
            "sources": dict(policies.sources),
        },
        "actions": {
            "snapshot": info["snapshot"],
            "services": len(info["services"]),
            "actions": sum(s["actions"] for s in info["services"].values()),
            "levels": dict(sorted(levels.items())),
            "sources": info["sources"],
            "per_service": {code: s["actions"] for code, s in sorted(info["services"].items())},
        },
    }


def lookup(name: str) -> tuple[bool, dict[str, Any]]:
    """(found, answer) for one name."""
    from ramstack.evaluate import actions_catalog as actions
    from ramstack.evaluate.matchers import has_wildcard
    from ramstack.spec.catalog import bundled_catalog, decide

    if ":" in name:
        service = name.partition(":")[0]
        if has_wildcard(name):
            expansion = actions.expand(name)
            return bool(expansion), {
                "kind": "pattern",
                "pattern": name,
                "actions": list(expansion),
                "complete": expansion.complete,
                "unknown_services": list(expansion.unknown_services),
            }
        found = actions.action_info(name)
        if found is not None:
            return True, {"kind": "action", **found, "snapshot": actions.catalog_snapshot()}
        covered = actions.service_info(service) is not None
        return False, {
            "kind": "action",
            "action": name,
            "found": False,
            "service_covered": covered,
            "snapshot": actions.catalog_snapshot(),
        }
    catalog = bundled_catalog()
    entry = catalog.get(name)
    if entry is not None:
        return True, {"kind": "system_policy", **entry.to_json(), "snapshot": catalog.snapshot}
    service_record = actions.service_info(name)
    if service_record is not None:
        return True, {"kind": "service", **service_record, "snapshot": actions.catalog_snapshot()}
    decision = decide(name, catalog)
    return False, {
        "kind": "system_policy",
        "name": name,
        "found": False,
        "decision": decision.kind,
        "suggestion": decision.suggestion,
        "snapshot": catalog.snapshot,
    }


def _text_summary(data: dict[str, Any]) -> str:
    from ramstack.ui.layout import wrap

    policies, actions = data["system_policies"], data["actions"]
    names = policies["sources"]["names"]
    meta = actions["sources"]["acs-metadata"]
    out = [
        f"System policies (bundled catalog of {policies['snapshot']}): {policies['names']} names, "
        f"{policies['with_document']} with a document",
        f"  names: {names['repository']}@{names['commit'][:8]} ({names['date']}), "
        f"{names['page_versions_read']} versions of the services-that-support-RAM pages; overlay.yaml",
        f"  documents: {policies['sources']['documents']}",
        f"Actions (bundled catalog of {actions['snapshot']}): {actions['actions']} actions of "
        f"{actions['services']} services",
        "  levels: " + ", ".join(f"{k} {v}" for k, v in actions["levels"].items()),
        f"  sources: {meta['repository']}@{meta['commit'][:8]} ({meta['date']}); "
        + ", ".join(f"{p['package']}=={p['version']}" for p in actions["sources"]["sdk"]["packages"])
        + f"; {actions['sources']['oss-docs']['repository']}; overlay.yaml",
        *wrap("services: " + " ".join(actions["per_service"]), indent="  ", hanging="    "),
        "Look up one name: ramstack catalog AliyunECSReadOnlyAccess | oss:GetObjectVersion | oss:Get* | oss",
    ]
    return "\n".join(out) + "\n"


def _text_answer(found: bool, data: dict[str, Any]) -> str:
    kind = data["kind"]
    if kind == "pattern":
        head = f"{data['pattern']}: {len(data['actions'])} catalog actions"
        if not data["complete"]:
            head += " (may match actions outside the catalog)"
        return "\n".join([head, *(f"  {a}" for a in data["actions"])]) + "\n"
    if kind == "service":
        out = [
            f"{data['service']}: {data['actions']} actions (bundled catalog of {data['snapshot']})",
            f"  service: {', '.join(data['names'])}",
            f"  RAM code ({'confirmed' if data['code_confirmed'] else 'assumed'}): {data['code_source']}",
            f"  sources: {', '.join(data['sources'])}",
        ]
        if data["condition_keys"]:
            out.append(f"  condition keys: {', '.join(data['condition_keys'])}")
        out += [f"  API {api} is authorised as {', '.join(acts)}" for api, acts in data["apis"].items()]
        return "\n".join(out) + "\n"
    if kind == "action":
        if not found:
            why = (
                "the service is catalogued: a typo, or an action newer than the catalog"
                if data["service_covered"]
                else "the service is not in the catalog: nothing is known about its actions"
            )
            return f"{data['action']}: not in the bundled catalog of {data['snapshot']} ({why})\n"
        out = [
            f"{data['action']}: access level {data['level'] or 'unknown'} "
            f"(bundled catalog of {data['snapshot']})"
        ]
        if data.get("resources"):
            out.append(f"  resources: {', '.join(data['resources'])}")
        if data.get("conditions"):
            out.append(f"  condition keys: {', '.join(data['conditions'])}")
        if data.get("source"):
            out.append(f"  source: {data['source']}")
        return "\n".join(out) + "\n"
    if not found:
        explain = {
            "typo": f"did you mean {data['suggestion']!r}?",
            "unlisted": "it has the shape of a system policy: it may exist (newer than the snapshot); "
            "effective permissions unknown",
            "invalid": "not the name of a system policy",
        }[data["decision"]]
        if data["decision"] != "typo" and data["suggestion"]:
            explain += f"; a similar known name is {data['suggestion']!r}"
        return f"{data['name']}: not in the bundled catalog of {data['snapshot']} ({explain})\n"
    out = [f"{data['name']}: system policy (bundled catalog of {data['snapshot']})"]
    if data.get("administrator_equivalent"):
        out.append("  administrator-equivalent")
    out += [f"  listed: {where}" for where in data["listed"]]
    if data["document"] is None:
        out.append(
            "  document: not available from the catalog's sources (effective permissions unknown offline)"
        )
        return "\n".join(out) + "\n"
    from ramstack.spec.catalog import system_policy

    policy = system_policy(data["name"])
    updated = f", updated {data['updated']}" if data.get("updated") else ""
    confirmed = "" if data["confirmed"] else " (UNCONFIRMED: not seen on a primary page)"
    out.append(f"  document {data['version']}{updated}{confirmed}, from {data['document_source']}:")
    out.append(f"    {policy.document.to_json() if policy else data['document']}")
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    from ramstack.commands.common import emit_json
    from ramstack.ui import output
    from ramstack.ui.layout import fold_text

    if args.name is None:
        data = summary()
        if args.format == "json":
            emit_json(data)
        else:
            output.result(fold_text(_text_summary(data)))
            policies, actions = data["system_policies"], data["actions"]
            output.summary(
                f"Catalog: {policies['names']} system policies ({policies['with_document']} with a "
                f"document), {actions['actions']} actions of {actions['services']} services."
            )
        return 0
    found, answer = lookup(args.name.strip())
    if args.format == "json":
        emit_json(answer)
    else:
        output.result(fold_text(_text_answer(found, answer)))
        output.summary(f"Catalog: {args.name.strip()} {'found' if found else 'not found'}.")
    return 0 if found else 1

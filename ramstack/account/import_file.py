"""The `pulumi import --file` document for an imported account.

Its entries are what the stack program registers for the written spec, taken from running that
program offline (`ramstack.components.offline_plan`), so names, types and parents are the
components' own by construction: components become placeholder entries (`"component": true`) and
every child names its component as `parent`, so `pulumi up` after the import adopts every resource
instead of creating it again. Cloud ids follow pulumi-alicloud's importers (live-sdk.md §8).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ramstack.account.model import LiveAccount

ACCESS_KEY = "alicloud:ram/accessKey:AccessKey"


def _id(typ: str, inputs: Mapping[str, Any], account: LiveAccount) -> str | None:
    """The import id of a custom resource; None when it cannot be imported."""
    kind = typ.split(":")[-1]
    if kind == "User":
        user = account.user_map.get(str(inputs.get("name")))
        return user.user_id if user is not None else None  # the provider's id is the UserId
    if kind in ("UserPolicyAttachment", "GroupPolicyAttachment", "RolePolicyAttachment"):
        holder = kind.removesuffix("PolicyAttachment").lower()
        principal = inputs.get(f"{holder}Name")
        return f"{holder}:{inputs.get('policyName')}:{inputs.get('policyType')}:{principal}"
    by_input = {
        "Group": "groupName",
        "Role": "roleName",
        "Policy": "policyName",
        "LoginProfile": "userName",
        "OidcProvider": "oidcProviderName",
    }
    if kind in by_input:
        return str(inputs.get(by_input[kind]))
    if kind == "UserGroupAttachment":
        return f"{inputs.get('groupName')}:{inputs.get('userName')}"
    return None


def import_file(
    resources: Sequence[Mapping[str, Any]], account: LiveAccount
) -> tuple[dict[str, Any], list[str]]:
    """(the import file, notes on resources left out). `resources` are offline-plan registrations."""
    names: dict[str, str] = {}  # urn -> entry name
    taken: set[str] = set()
    entries: list[dict[str, Any]] = []
    notes: list[str] = []
    for resource in resources:
        typ, logical = str(resource["type"]), str(resource["name"])
        entry: dict[str, Any] = {
            "type": typ,
            "name": _entry_name(typ, logical, taken),
            "logicalName": logical,
        }
        parent = names.get(str(resource.get("parent") or ""))
        if parent is not None:
            entry["parent"] = parent
        if not resource["custom"]:
            entry["component"] = True
        else:
            ident = _id(typ, resource.get("inputs") or {}, account)
            if ident is None:
                if typ != ACCESS_KEY:  # keys are listed by the export, with what to do about them
                    notes.append(f"{logical}: {typ} has no import id; pulumi up creates it")
                continue
            entry["id"] = ident
        names[str(resource["urn"])] = entry["name"]
        entries.append(entry)
    return {"resources": entries}, notes


def _entry_name(typ: str, logical: str, taken: set[str]) -> str:
    """A unique name for the entry (parents refer to it; codegen would use it as a variable)."""
    module, _, kind = typ.rpartition(":")
    # ramstack:ram:User -> User_alice; alicloud:ram/user:User -> ram_User_alice
    prefix = kind if module.startswith("ramstack:") else f"{module.split(':')[-1].split('/')[0]}_{kind}"
    base = re.sub(r"[^0-9A-Za-z_]", "_", f"{prefix}_{logical}")
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name

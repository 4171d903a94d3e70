"""Assemble the plan (a plain, stable JSON-able dict) from the spec, the offline program run and
the effective permissions. The JSON shape is documented in the README ("Plan JSON")."""

from __future__ import annotations

from typing import Any

from ramstack.diagnostics import Diagnostic, Level, Location
from ramstack.effective.crossaccount import assume_note, trust_note
from ramstack.effective.model import EffectivePermissions, Grant, PrincipalPermissions, grant_texts
from ramstack.evaluate.actions_catalog import Expansion, expand
from ramstack.jsontext import Rendered
from ramstack.spec.model import Spec

PLAN_FORMAT = 1
COMPONENT_KINDS = {
    "ramstack:ram:User": "users",
    "ramstack:ram:Group": "groups",
    "ramstack:ram:Role": "roles",
    "ramstack:ram:GithubDeployRole": "roles",
    "ramstack:ram:CustomPolicy": "policies",
    "ramstack:ram:ScopedAssumeGrant": "policies",
    "ramstack:ims:OidcProvider": "oidc_providers",
}
DOCUMENT_INPUTS = ("policyDocument", "assumeRolePolicyDocument")
# Where a principal's grant sits in the plan JSON: {"principals": {SUBJECT: {"grants": [HERE]}}}
_GRANT_NEWLINE = "\n" + " " * 8


def failure_diagnostics(spec: Spec, run: dict[str, Any]) -> list[Diagnostic]:
    """Cloud refusals as located errors pointing at the spec entry whose component made the call."""
    parents = {r["name"]: (r["parent_type"], r["parent_name"]) for r in run["resources"]}
    tables: dict[str, dict[str, Any]] = {
        "users": spec.user_map,
        "groups": spec.group_map,
        "roles": spec.role_map,
        "policies": spec.policy_map,
        "oidc_providers": spec.oidc_provider_map,
    }
    out = []
    for failure in run["failures"]:
        parent_type, parent_name = parents.get(failure["name"], (None, None))
        entity = tables.get(COMPONENT_KINDS.get(parent_type or "", ""), {}).get(parent_name or "")
        location = getattr(entity, "location", None) or Location(spec.file or "access.yaml")
        out.append(
            Diagnostic(
                location,
                Level.ERROR,
                "CLOUD001",
                f"the cloud would refuse {failure['type']} {failure['name']!r}: "
                f"{failure['code']}: {failure['message']}",
                "change the spec so the API accepts it (see the error code)",
            )
        )
    return out


def build_plan(
    spec: Spec, stack: str, run: dict[str, Any], perms: EffectivePermissions, *, rendered: bool = False
) -> dict[str, Any]:
    """With `rendered` (for `dumps_indented`, the JSON format), each principal's grants are text
    fragments (`Rendered`): principals share grants (one document's grants are the same objects for
    every holder), so each distinct (grant, sources) is written once."""
    resources = []
    documents = []
    for r in run["resources"]:
        if not r["custom"]:
            continue
        entry = {
            "type": r["type"],
            "name": r["name"],
            "parent": f"{r['parent_type']}::{r['parent_name']}",
            "protect": r["protect"],
        }
        if r["aliases"]:
            entry["aliases"] = r["aliases"]
        resources.append(entry)
        for key in DOCUMENT_INPUTS:
            if key in r["inputs"]:
                documents.append(
                    {"resource": f"{r['type']}::{r['name']}", "input": key, "document": r["inputs"][key]}
                )
    principals: dict[str, Any] = {}
    expansions: dict[str, Expansion] = {}  # the same patterns recur across principals

    def grant_json(grant: Grant, sources: tuple[str, ...]) -> dict[str, Any]:
        body = grant.to_json(sources)
        if grant.action not in expansions:
            expansions[grant.action] = expand(grant.action)
        expansion = expansions[grant.action]
        # For NotAction the pattern is what is excluded: its expansion would be the wrong number.
        body["expands_to"] = len(expansion) if expansion.complete and not grant.not_action else None
        return body

    write = grant_texts(_GRANT_NEWLINE, grant_json)  # the grants live as long as `perms`

    def grant_text(grant: Grant, sources: tuple[str, ...]) -> Rendered:
        return Rendered(write(grant, sources))

    by_subject = perms.by_subject  # built once: a lookup per user must not rebuild it (O(n^2))
    assumed_by: dict[str, list[str]] = {}
    for p in perms.principals:
        body = p.to_json(grant_text if rendered else grant_json)
        for assumable in {a.role for a in p.assumable}:
            assumed_by.setdefault(assumable, []).append(p.subject)
        if p.kind == "user":
            body["reach"] = _reach(by_subject, [a.role for a in p.assumable])
        notes = [assume_note(p.subject, a.role, spec.account_id) for a in p.assumable]
        notes += [
            trust_note(p.subject, t.principal, spec.account_id)
            for t in p.trusted_by
            if t.principal_type == "RAM"
        ]
        if any(notes):
            body["cross_account"] = [n for n in notes if n]
        principals[p.subject] = body
    for role in spec.roles:
        principals[role.subject]["assumed_by"] = sorted(assumed_by.get(role.subject, []))
    # Registration order under the runtime is asynchronous: sort so the plan is stable.
    resources.sort(key=lambda r: (r["parent"], r["type"], r["name"]))
    documents.sort(key=lambda d: (d["resource"], d["input"]))
    return {
        "format": PLAN_FORMAT,
        "stack": stack,
        "account_id": spec.account_id,
        "region": spec.region,
        "resources": resources,
        "documents": documents,
        "outputs": run["outputs"],
        "secret_outputs": run["secret_outputs"],
        "principals": principals,
    }


def _reach(by: dict[str, PrincipalPermissions], roles: list[str]) -> list[dict[str, Any]]:
    """What a user can do through the roles it may assume (one hop, as STS allows)."""
    out = []
    for role in sorted(roles):
        target = by.get(role)
        if target is None:
            continue
        out.append({"role": role, "grants": [g.to_json() for g, _ in target.grants]})
    return out

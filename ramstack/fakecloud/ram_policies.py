"""Custom policies and their versions: CreatePolicy, GetPolicy, UpdatePolicyDescription, DeletePolicy,
ListPolicies, CreatePolicyVersion, GetPolicyVersion, ListPolicyVersions, DeletePolicyVersion,
SetDefaultPolicyVersion. System policies are known by name only (see catalog.py)."""

from __future__ import annotations

from typing import Any

from ramstack import names
from ramstack.fakecloud.documents import load_document
from ramstack.fakecloud.errors import already_exists, delete_conflict, limit_exceeded, not_exist
from ramstack.fakecloud.lookups import require_policy
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import Policy, PolicyType, PolicyVersion
from ramstack.fakecloud.validation import (
    check_name,
    check_one_of,
    check_optional,
    check_policy_type,
    check_version_id,
)
from ramstack.fakecloud.views import policy_view, system_policy_view, version_view

ROTATE_NONE = "None"
ROTATE_DELETE_OLDEST = "DeleteOldestNonDefaultVersionWhenLimitExceeded"
ROTATE_STRATEGIES = (ROTATE_NONE, ROTATE_DELETE_OLDEST)


class PolicyOperations(Service):
    def _document(self, text: str) -> None:
        load_document(
            text,
            kind="permission",
            field="PolicyDocument",
            max_bytes=self._ctx.limit("policy_document_bytes"),
            length_code="InvalidParameter.PolicyDocument.Length",
        )

    def _new_version(self, policy: Policy, document: str) -> PolicyVersion:
        version = PolicyVersion(f"v{policy.next_version}", document, self._ctx.now())
        policy.next_version += 1
        policy.versions[version.version_id] = version
        return version

    def _version(self, policy: Policy, version_id: str) -> PolicyVersion:
        check_version_id(version_id)
        version = policy.versions.get(version_id)
        if version is None:
            raise not_exist("Policy.Version", f"The policy {policy.policy_name} has no version {version_id}")
        return version

    def _require_system(self, policy_name: str) -> None:
        if policy_name not in self._ctx.system_policies:
            raise not_exist("Policy", f"The system policy does not exist: {policy_name}")

    def _attachment_count(self, policy_type: PolicyType, policy_name: str) -> int:
        return len(self._ctx.state.attachments_to(policy_type, policy_name))

    @api("CreatePolicy")
    def create_policy(
        self, *, policy_name: str, policy_document: str, description: str | None = None
    ) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        check_name(names.POLICY_NAME, policy_name)
        check_optional(names.POLICY_DESCRIPTION, description)
        if policy_name in state.policies:
            raise already_exists("Policy", f"The policy already exists: {policy_name}")
        self._document(policy_document)
        if len(state.policies) >= ctx.limit("custom_policies_per_account"):
            raise limit_exceeded("Policy", f"The account already has {len(state.policies)} custom policies")
        now = ctx.now()
        policy = Policy(policy_name, "v1", now, now, description)
        self._new_version(policy, policy_document)
        state.policies[policy_name] = policy
        return {"Policy": policy_view(policy)}

    @api("GetPolicy")
    def get_policy(self, *, policy_name: str, policy_type: str) -> dict[str, Any]:
        if check_policy_type(policy_type) == "System":
            self._require_system(policy_name)
            return {"Policy": system_policy_view(policy_name, self._attachment_count("System", policy_name))}
        policy = require_policy(self._ctx.state, policy_name)
        default = policy.versions[policy.default_version]
        view = policy_view(policy, self._attachment_count("Custom", policy_name))
        return {
            "Policy": {**view, "PolicyDocument": default.document},
            "DefaultPolicyVersion": version_view(default, policy.default_version),
        }

    @api("UpdatePolicyDescription")
    def update_policy_description(self, *, policy_name: str, new_description: str) -> dict[str, Any]:
        policy = require_policy(self._ctx.state, policy_name)
        check_optional(names.POLICY_DESCRIPTION, new_description, "NewDescription")
        policy.description = new_description
        policy.update_date = self._ctx.now()
        return {"Policy": policy_view(policy)}

    @api("DeletePolicy")
    def delete_policy(self, *, policy_name: str, cascading_delete: bool = False) -> dict[str, Any]:
        state = self._ctx.state
        policy = require_policy(state, policy_name)
        attached = {key.principal_kind for key, _ in state.attachments_to("Custom", policy_name)}
        for kind in ("User", "Group", "Role"):
            if kind in attached:
                # DeleteConflict.Policy.Role is not in the official list (UNCONFIRMED), named by analogy.
                raise delete_conflict(f"Policy.{kind}", f"The policy is still attached to a {kind.lower()}")
        if len(policy.versions) > 1 and not cascading_delete:
            raise delete_conflict(
                "Policy.Version", f"The policy still has non-default versions: {policy_name}"
            )
        del state.policies[policy_name]
        return {}

    @api("ListPolicies")
    def list_policies(self, *, policy_type: str | None = None) -> dict[str, Any]:
        wanted = None if policy_type is None else check_policy_type(policy_type)
        out: list[dict[str, Any]] = []
        if wanted in (None, "System"):
            out += [
                system_policy_view(n, self._attachment_count("System", n))
                for n in self._ctx.system_policies.names() or []
            ]
        if wanted in (None, "Custom"):
            policies = sorted(self._ctx.state.policies.values(), key=lambda p: p.policy_name)
            out += [policy_view(p, self._attachment_count("Custom", p.policy_name)) for p in policies]
        return {"IsTruncated": False, "Policies": {"Policy": out}}

    @api("CreatePolicyVersion")
    def create_policy_version(
        self,
        *,
        policy_name: str,
        policy_document: str,
        set_as_default: bool = False,
        rotate_strategy: str = ROTATE_NONE,
    ) -> dict[str, Any]:
        ctx = self._ctx
        policy = require_policy(ctx.state, policy_name)
        check_one_of("RotateStrategy", rotate_strategy, ROTATE_STRATEGIES)
        self._document(policy_document)
        if len(policy.versions) >= ctx.limit("versions_per_policy"):
            oldest = next((v for v in policy.versions if v != policy.default_version), None)
            if rotate_strategy != ROTATE_DELETE_OLDEST or oldest is None:
                raise limit_exceeded(
                    "Policy.Version", f"The policy {policy_name} already has {len(policy.versions)} versions"
                )
            del policy.versions[oldest]
        version = self._new_version(policy, policy_document)
        if set_as_default:
            policy.default_version = version.version_id
        policy.update_date = ctx.now()
        return {"PolicyVersion": version_view(version, policy.default_version)}

    @api("GetPolicyVersion")
    def get_policy_version(self, *, policy_name: str, policy_type: str, version_id: str) -> dict[str, Any]:
        if check_policy_type(policy_type) == "System":
            self._require_system(policy_name)
            # System policy documents are not modelled; only the name is known.
            raise not_exist(
                "Policy.Version", f"The fake does not hold versions of system policy {policy_name}"
            )
        policy = require_policy(self._ctx.state, policy_name)
        return {"PolicyVersion": version_view(self._version(policy, version_id), policy.default_version)}

    @api("ListPolicyVersions")
    def list_policy_versions(self, *, policy_name: str, policy_type: str) -> dict[str, Any]:
        if check_policy_type(policy_type) == "System":
            self._require_system(policy_name)
            return {"PolicyVersions": {"PolicyVersion": []}}
        policy = require_policy(self._ctx.state, policy_name)
        versions = sorted(policy.versions.values(), key=lambda v: int(v.version_id[1:]))
        return {
            "PolicyVersions": {"PolicyVersion": [version_view(v, policy.default_version) for v in versions]}
        }

    @api("DeletePolicyVersion")
    def delete_policy_version(self, *, policy_name: str, version_id: str) -> dict[str, Any]:
        policy = require_policy(self._ctx.state, policy_name)
        version = self._version(policy, version_id)
        if version.version_id == policy.default_version:
            raise delete_conflict(
                "Policy.Version.Default", f"{version_id} is the default version of {policy_name}"
            )
        del policy.versions[version.version_id]
        return {}

    @api("SetDefaultPolicyVersion")
    def set_default_policy_version(self, *, policy_name: str, version_id: str) -> dict[str, Any]:
        policy = require_policy(self._ctx.state, policy_name)
        policy.default_version = self._version(policy, version_id).version_id
        policy.update_date = self._ctx.now()
        return {}

"""Pulumi state across program runs, for `pulumi up` after `pulumi up` against the fake cloud.

Pulumi's mocks only ever create. With a `StackState`, `FakeCloudMocks` acts as the engine plus the
provider would on a second `up`: a registration whose URN (or an alias URN) is in the state is
diffed against it (after the provider's refresh, minus `ignore_changes`); a change to a property
that forces replacement, a new `replacement_trigger` or a replaced `replace_with` resource
re-creates it (deleting first with `delete_before_replace`, else after), other changes go through
the provider's Update, and every resource of the state the program no longer registers is deleted
in reverse creation order, through the provider's Delete (`force` included). The provider facts each
table follows are in docs/fidelity.md ("Pulumi engine and provider lifecycle").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ramstack.components.registration import Registration
from ramstack.fakecloud import FakeCloud, force_delete_user
from ramstack.fakecloud.errors import CloudError

# Inputs whose change makes the provider re-create the resource (ForceNew in the Terraform schema).
FORCE_NEW: dict[str, frozenset[str]] = {
    "alicloud:ram/accessKey:AccessKey": frozenset({"userName", "pgpKey", "secretFile"}),
    "alicloud:ram/loginProfile:LoginProfile": frozenset({"userName"}),
    "alicloud:ram/group:Group": frozenset({"groupName"}),
    "alicloud:ram/userGroupAttachment:UserGroupAttachment": frozenset({"groupName", "userName"}),
    "alicloud:ram/role:Role": frozenset({"roleName"}),
    "alicloud:ram/policy:Policy": frozenset({"policyName"}),
    "alicloud:ram/userPolicyAttachment:UserPolicyAttachment": frozenset(
        {"userName", "policyName", "policyType"}
    ),
    "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment": frozenset(
        {"groupName", "policyName", "policyType"}
    ),
    "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment": frozenset(
        {"roleName", "policyName", "policyType"}
    ),
    "alicloud:ims/oidcProvider:OidcProvider": frozenset({"oidcProviderName", "issuerUrl"}),
    # pulumi-random: every input of RandomPassword forces a new password.
    "random:index/randomPassword:RandomPassword": frozenset({"*"}),
}


@dataclass
class StateEntry:
    urn: str
    typ: str
    id: str
    inputs: dict[str, Any]  # plain values, for diffs and deletes
    outputs: dict[str, Any]  # as handed back to the program (secret wrappers kept)
    protect: bool = False
    replacement_trigger: Any = None


@dataclass
class StackState:
    """A stack's checkpoint: the resources the last runs left in the cloud, in creation order."""

    entries: dict[str, StateEntry] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)  # URNs registered by the current run
    replaced: set[str] = field(default_factory=set)  # URNs re-created by the current run

    def find(self, reg: Registration) -> StateEntry | None:
        for urn in (reg.urn, *reg.alias_urns):
            if urn in self.entries and urn not in self.seen:
                return self.entries[urn]
        return None

    def begin_run(self) -> None:
        self.seen, self.replaced = set(), set()


def _delete_user(cloud: FakeCloud, e: StateEntry) -> None:
    if e.inputs.get("force"):
        force_delete_user(cloud.ram, e.inputs["name"])
    else:
        cloud.ram.delete_user(user_name=e.inputs["name"])


def _detach(kind: str) -> Callable[[FakeCloud, StateEntry], Any]:
    def detach(cloud: FakeCloud, e: StateEntry) -> Any:
        return getattr(cloud.ram, f"detach_policy_from_{kind}")(
            policy_type=e.inputs["policyType"],
            policy_name=e.inputs["policyName"],
            **{f"{kind}_name": e.inputs[f"{kind}Name"]},
        )

    return detach


# The provider's Delete per type.
DELETERS: dict[str, Callable[[FakeCloud, StateEntry], Any]] = {
    "alicloud:ram/user:User": _delete_user,
    "alicloud:ram/accessKey:AccessKey": lambda c, e: c.ram.delete_access_key(
        user_access_key_id=e.id, user_name=e.inputs.get("userName")
    ),
    "alicloud:ram/loginProfile:LoginProfile": lambda c, e: c.ram.delete_login_profile(
        user_name=e.inputs["userName"]
    ),
    "alicloud:ram/group:Group": lambda c, e: c.ram.delete_group(group_name=e.inputs["groupName"]),
    "alicloud:ram/userGroupAttachment:UserGroupAttachment": lambda c, e: c.ram.remove_user_from_group(
        group_name=e.inputs["groupName"], user_name=e.inputs["userName"]
    ),
    "alicloud:ram/role:Role": lambda c, e: c.ram.delete_role(role_name=e.inputs["roleName"]),
    "alicloud:ram/policy:Policy": lambda c, e: c.ram.delete_policy(policy_name=e.inputs["policyName"]),
    "alicloud:ram/userPolicyAttachment:UserPolicyAttachment": _detach("user"),
    "alicloud:ram/groupPolicyAttachment:GroupPolicyAttachment": _detach("group"),
    "alicloud:ram/rolePolicyAttachment:RolePolicyAttachment": _detach("role"),
    "alicloud:ims/oidcProvider:OidcProvider": lambda c, e: c.ims.delete_oidc_provider(
        oidc_provider_name=e.inputs["oidcProviderName"]
    ),
    "random:index/randomPassword:RandomPassword": lambda c, e: None,  # nothing in the cloud
}


def _refresh_login_profile(cloud: FakeCloud, e: StateEntry) -> dict[str, Any]:
    profile = cloud.ram.get_login_profile(user_name=e.inputs["userName"])["LoginProfile"]
    return {
        **e.inputs,
        "passwordResetRequired": profile["PasswordResetRequired"],
        "mfaBindRequired": profile["MFABindRequired"],
    }


# The provider's Read of the properties a person (or the cloud) changes behind Pulumi's back.
REFRESHERS: dict[str, Callable[[FakeCloud, StateEntry], dict[str, Any]]] = {
    "alicloud:ram/loginProfile:LoginProfile": _refresh_login_profile,
}


def _update_login_profile(
    cloud: FakeCloud, old: dict[str, Any], new: dict[str, Any], changed: set[str]
) -> None:
    # resource_alicloud_ram_login_profile.go: UpdateLoginProfile only when password_reset_required or
    # mfa_bind_required changed, and then always with the configured Password. A password-only
    # change never reaches the cloud.
    flags = changed & {"passwordResetRequired", "mfaBindRequired"}
    if not flags:
        return
    cloud.ram.update_login_profile(
        user_name=new["userName"],
        password=new["password"],
        password_reset_required=bool(new.get("passwordResetRequired"))
        if "passwordResetRequired" in flags
        else None,
        mfa_bind_required=bool(new.get("mfaBindRequired")) if "mfaBindRequired" in flags else None,
    )


def _update_user(cloud: FakeCloud, old: dict[str, Any], new: dict[str, Any], changed: set[str]) -> None:
    fields = {"name": "new_user_name", "displayName": "new_display_name", "mobile": "new_mobile_phone"}
    fields |= {"email": "new_email", "comments": "new_comments"}
    unsupported = changed - set(fields) - {"force", "tags"}  # force is the provider's own setting
    if unsupported:
        raise CloudError("Unsupported", f"the fake engine does not update {', '.join(sorted(unsupported))}")
    args = {fields[k]: new.get(k) for k in changed & set(fields) if new.get(k) is not None}
    if args:
        cloud.ram.update_user(user_name=old["name"], **args)


def _update_role(cloud: FakeCloud, old: dict[str, Any], new: dict[str, Any], changed: set[str]) -> None:
    fields = {
        "assumeRolePolicyDocument": "new_assume_role_policy_document",
        "description": "new_description",
        "maxSessionDuration": "new_max_session_duration",
    }
    unsupported = changed - set(fields) - {"tags"}
    if unsupported:
        raise CloudError("Unsupported", f"the fake engine does not update {', '.join(sorted(unsupported))}")
    args: dict[str, Any] = {fields[k]: new[k] for k in changed & set(fields) if new.get(k) is not None}
    if "new_max_session_duration" in args:
        args["new_max_session_duration"] = int(args["new_max_session_duration"])
    if args:
        cloud.ram.update_role(role_name=new["roleName"], **args)


def _update_policy(cloud: FakeCloud, old: dict[str, Any], new: dict[str, Any], changed: set[str]) -> None:
    unsupported = changed - {"policyDocument", "description", "rotateStrategy"}
    if unsupported:
        raise CloudError("Unsupported", f"the fake engine does not update {', '.join(sorted(unsupported))}")
    if "policyDocument" in changed:  # the provider: CreatePolicyVersion(SetAsDefault=true)
        cloud.ram.create_policy_version(
            policy_name=new["policyName"],
            policy_document=new["policyDocument"],
            set_as_default=True,
            rotate_strategy=new.get("rotateStrategy") or "None",
        )


UPDATERS: dict[str, Callable[[FakeCloud, dict[str, Any], dict[str, Any], set[str]], None]] = {
    "alicloud:ram/loginProfile:LoginProfile": _update_login_profile,
    "alicloud:ram/user:User": _update_user,
    "alicloud:ram/role:Role": _update_role,
    "alicloud:ram/policy:Policy": _update_policy,
}


def changed_inputs(old: dict[str, Any], new: dict[str, Any], ignore: set[str]) -> set[str]:
    return {k for k in old.keys() | new.keys() if k not in ignore and old.get(k) != new.get(k)}


def needs_replacement(reg: Registration, old: StateEntry, changed: set[str], state: StackState) -> bool:
    force_new = FORCE_NEW.get(reg.typ, frozenset())
    return (
        bool(changed & force_new or ("*" in force_new and changed))
        or reg.replacement_trigger != old.replacement_trigger
        or any(urn in state.replaced for urn in reg.replace_with)
    )

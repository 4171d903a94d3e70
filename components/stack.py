"""Build every component of a validated spec, in dependency order: OIDC providers and custom
policies first, then groups, roles (and their grants), then users."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi

from components.assume_grant import ScopedAssumeGrant
from components.custom_policy import RamCustomPolicy
from components.github_deploy_role import GithubDeployRole
from components.group import RamGroup
from components.oidc_provider import RamOidcProvider
from components.role import RamRole
from components.user import RamUser
from ramstack.spec.model import Spec


@dataclass
class DeployedStack:
    policies: dict[str, pulumi.ComponentResource] = field(default_factory=dict)
    oidc_providers: dict[str, RamOidcProvider] = field(default_factory=dict)
    groups: dict[str, RamGroup] = field(default_factory=dict)
    roles: dict[str, RamRole | GithubDeployRole] = field(default_factory=dict)
    users: dict[str, RamUser] = field(default_factory=dict)


def deploy(
    spec: Spec,
    passwords: Mapping[str, pulumi.Input[str]] | None = None,
    opts: pulumi.ResourceOptions | None = None,
) -> DeployedStack:
    passwords = passwords or {}
    missing = [u.name for u in spec.users if u.console_login and u.name not in passwords]
    if missing:
        raise ValueError(
            "console login needs a password for "
            + ", ".join(missing)
            + ": pulumi config set --secret --path 'ramstack:passwords."
            + missing[0]
            + "' <password>"
        )
    out = DeployedStack()
    for provider in spec.oidc_providers:
        out.oidc_providers[provider.name] = RamOidcProvider(provider.name, provider, opts)
    policy_names: dict[str, pulumi.Input[str]] = {}
    for policy in spec.policies:
        if policy.generated_for is None:
            component = RamCustomPolicy(policy.name, policy, opts)
            out.policies[policy.name] = component
            policy_names[policy.name] = component.policy_name
    for group in spec.groups:
        out.groups[group.name] = RamGroup(group.name, group, custom_policies=policy_names, opts=opts)
    for role in spec.roles:
        if role.github is not None:
            provider_component = out.oidc_providers[role.github.provider]
            out.roles[role.name] = GithubDeployRole(
                role.name, role, provider_component, custom_policies=policy_names, opts=opts
            )
        else:
            out.roles[role.name] = RamRole(role.name, role, custom_policies=policy_names, opts=opts)
    for policy in spec.policies:
        if policy.generated_for is not None:
            kind, _, principal = policy.generated_for.partition("/")
            assumable = (
                spec.user_map[principal].assume_roles
                if kind == "user"
                else spec.group_map[principal].assume_roles
            )
            grant = ScopedAssumeGrant(policy.name, policy, [out.roles[r] for r in assumable], opts)
            out.policies[policy.name] = grant
            policy_names[policy.name] = grant.policy_name
    group_names = {name: g.group_name for name, g in out.groups.items()}
    for user in spec.users:
        out.users[user.name] = RamUser(
            user.name,
            user,
            custom_policies=policy_names,
            groups=group_names,
            password=passwords.get(user.name),
            opts=opts,
        )
    return out


def export_outputs(deployed: DeployedStack) -> None:
    pulumi.export("role_arns", {name: role.arn for name, role in deployed.roles.items()})
    pulumi.export("user_names", {name: user.user_name for name, user in deployed.users.items()})
    pulumi.export("oidc_provider_arns", {name: p.arn for name, p in deployed.oidc_providers.items()})
    keys = {name: u for name, u in deployed.users.items() if u.access_key_id is not None}
    pulumi.export("access_key_ids", {name: u.access_key_id for name, u in keys.items()})
    secrets = {name: u.access_key_secret for name, u in keys.items() if u.access_key_secret is not None}
    pulumi.export("access_key_secrets", pulumi.Output.secret(secrets))

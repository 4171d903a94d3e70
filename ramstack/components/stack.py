"""Build every component of a validated spec, in dependency order: OIDC providers and custom
policies, groups, users, then roles (each after what its trust names), then the scoped assume
grants (after the roles they name)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi

from ramstack.components.assume_grant import ScopedAssumeGrant
from ramstack.components.custom_policy import RamCustomPolicy
from ramstack.components.github_deploy_role import GithubDeployRole
from ramstack.components.group import RamGroup
from ramstack.components.naming import LegacyAliases
from ramstack.components.oidc_provider import RamOidcProvider
from ramstack.components.role import RamRole
from ramstack.components.user import RamUser
from ramstack.spec.model import Role, Spec
from ramstack.spec.trust import trust_dependencies


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
    missing = [
        u.name
        for u in spec.users
        if u.console_login and not u.console_login.generated_password and u.name not in passwords
    ]
    if missing:
        raise ValueError(
            "console login needs a password for "
            + ", ".join(missing)
            + ": pulumi config set --secret --path 'ramstack:passwords."
            + missing[0]
            + "' <password>"
        )
    out = DeployedStack()
    legacy = LegacyAliases.for_spec(spec)
    for provider in spec.oidc_providers:
        out.oidc_providers[provider.name] = RamOidcProvider(provider.name, provider, opts)
    policy_names: dict[str, pulumi.Input[str]] = {}
    for policy in spec.policies:
        if policy.generated_for is None:
            component = RamCustomPolicy(policy.name, policy, opts)
            out.policies[policy.name] = component
            policy_names[policy.name] = component.policy_name
    for group in spec.groups:
        out.groups[group.name] = RamGroup(
            group.name, group, custom_policies=policy_names, legacy_names=legacy.group_policies, opts=opts
        )
    group_names = {name: g.group_name for name, g in out.groups.items()}
    for user in spec.users:
        out.users[user.name] = RamUser(
            user.name,
            user,
            custom_policies=policy_names,
            groups=group_names,
            password=passwords.get(user.name),
            legacy_names=legacy,
            opts=opts,
        )
    for role in roles_in_trust_order(spec):
        # Everything the trust policy names is created first: RAM may refuse a principal that does
        # not exist yet (users, roles and OIDC providers of this stack).
        users, roles, providers = trust_dependencies(role, spec)
        trusted: list[pulumi.Resource] = [out.users[u].user for u in users]
        trusted += [out.roles[r].role_resource for r in roles if r in out.roles]
        trusted += [out.oidc_providers[p].provider for p in providers]
        if role.github is not None:
            out.roles[role.name] = GithubDeployRole(
                role.name,
                role,
                custom_policies=policy_names,
                trusted=trusted,
                legacy_names=legacy.role_policies,
                opts=opts,
            )
        else:
            out.roles[role.name] = RamRole(
                role.name,
                role,
                custom_policies=policy_names,
                trusted=trusted,
                legacy_names=legacy.role_policies,
                opts=opts,
            )
    for policy in spec.policies:
        if policy.generated_for is None:
            continue
        kind, _, principal = policy.generated_for.partition("/")
        holder = spec.user_map[principal] if kind == "user" else spec.group_map[principal]
        principal_name = (
            out.users[principal].user_name if kind == "user" else out.groups[principal].group_name
        )
        grant = ScopedAssumeGrant(
            policy.name,
            policy,
            principal_name=principal_name,
            # A role of another account (an ARN) is not in this stack: nothing to wait for.
            roles=[out.roles[r].role_resource for r in holder.assume_roles if r in out.roles],
            opts=opts,
        )
        out.policies[policy.name] = grant
    return out


def roles_in_trust_order(spec: Spec) -> list[Role]:
    """Roles ordered so that a role trusted by another is created first (cycles keep spec order)."""
    ordered: list[Role] = []
    placed: set[str] = set()
    visiting: set[str] = set()

    def visit(role: Role) -> None:
        if role.name in placed or role.name in visiting:
            return
        visiting.add(role.name)
        for trusted in trust_dependencies(role, spec)[1]:
            if trusted in spec.role_map:
                visit(spec.role_map[trusted])
        visiting.discard(role.name)
        placed.add(role.name)
        ordered.append(role)

    for role in spec.roles:
        visit(role)
    return ordered


def export_outputs(deployed: DeployedStack) -> None:
    pulumi.export("role_arns", {name: role.arn for name, role in deployed.roles.items()})
    pulumi.export("user_names", {name: user.user_name for name, user in deployed.users.items()})
    pulumi.export("oidc_provider_arns", {name: p.arn for name, p in deployed.oidc_providers.items()})
    keys = {name: u for name, u in deployed.users.items() if u.access_key_id is not None}
    pulumi.export("access_key_ids", {name: u.access_key_id for name, u in keys.items()})
    secrets = {name: u.access_key_secret for name, u in keys.items() if u.access_key_secret is not None}
    pulumi.export("access_key_secrets", pulumi.Output.secret(secrets))
    generated = {
        n: u.generated_password for n, u in deployed.users.items() if u.generated_password is not None
    }
    if generated:  # hand each person their initial password: pulumi stack output --show-secrets
        pulumi.export("console_passwords", pulumi.Output.secret(generated))
    # With pgp_key only the PGP-encrypted secret leaves the provider; it is safe to show.
    encrypted = {
        name: u.access_key_encrypted_secret for name, u in keys.items() if u.access_key_encrypted_secret
    }
    if encrypted:
        pulumi.export("access_key_encrypted_secrets", encrypted)
        pulumi.export("access_key_pgp_fingerprints", {n: keys[n].access_key_fingerprint for n in encrypted})

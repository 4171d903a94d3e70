"""Preset: a role that GitHub Actions workflows of one repository assume through OIDC.

The trust policy always carries oidc:iss, oidc:aud and oidc:sub conditions, and the component
refuses to build without a branch or environment scope: a repository-wide subject would let any
workflow (pull requests from forks included) deploy.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi

from ramstack.components.naming import LegacyNames
from ramstack.components.role import RamRole
from ramstack.spec.model import Role

TOKEN = "ramstack:ram:GithubDeployRole"
REQUIRED_CONDITION_KEYS = {"oidc:iss", "oidc:aud", "oidc:sub"}


class GithubDeployRole(pulumi.ComponentResource):
    role: RamRole
    arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        role: Role,
        *,
        custom_policies: Mapping[str, pulumi.Input[str]],
        trusted: Sequence[pulumi.Resource],
        legacy_names: LegacyNames | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        check_github_scope(role)
        super().__init__(TOKEN, name, None, opts)
        # The role is the child; the alias keeps roles that were plain RamRoles before the preset existed.
        self.role = RamRole(
            name,
            role,
            custom_policies=custom_policies,
            trusted=trusted,
            legacy_names=legacy_names,
            opts=pulumi.ResourceOptions(
                parent=self, aliases=[pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE)]
            ),
        )
        self.arn = self.role.arn
        self.role_resource: pulumi.Resource = self.role.role
        self.register_outputs({"arn": self.arn})


def check_github_scope(role: Role) -> None:
    gh = role.github
    if gh is None or not gh.repository or bool(gh.branch) == bool(gh.environment):
        raise ValueError(
            f"role {role.name!r}: a GitHub deploy role needs a repository and exactly one of "
            "branch or environment"
        )
    for statement in role.trust_document.statements:
        if not statement.principal_values("Federated"):
            continue
        keys = {c.key for c in statement.conditions}
        missing = REQUIRED_CONDITION_KEYS - keys
        if missing:
            raise ValueError(f"role {role.name!r}: OIDC trust lacks {', '.join(sorted(missing))}")

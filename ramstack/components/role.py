"""A RAM role: canonical trust policy from the core, session length, and policy attachments."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pulumi
import pulumi_alicloud as alicloud

from ramstack.components._children import child_options, component_options
from ramstack.components.attachments import attach_all
from ramstack.components.naming import LegacyNames
from ramstack.spec.model import Role

TOKEN = "ramstack:ram:Role"


class RamRole(pulumi.ComponentResource):
    role: alicloud.ram.Role
    role_name: pulumi.Output[str]
    arn: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        role: Role,
        *,
        custom_policies: Mapping[str, pulumi.Input[str]],
        trusted: Sequence[pulumi.Resource] = (),
        legacy_names: LegacyNames | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TOKEN, name, None, component_options(opts, name, role.renamed_from))
        old = role.renamed_from
        self.role = alicloud.ram.Role(
            name,
            role_name=role.name,
            assume_role_policy_document=role.trust_document.to_json(),
            description=role.description,
            max_session_duration=role.max_session_duration,
            tags=dict(role.tags) or None,
            # role_name forces replacement: delete first, or the new role collides on the name.
            # Trusted users and roles of this stack are created first: the trust policy names them.
            opts=child_options(
                self,
                name,
                old,
                "",
                delete_before_replace=True,
                depends_on=list(trusted) or None,
                protect=role.protect or None,
            ),
        )
        self.role_name = self.role.role_name
        self.arn = self.role.arn
        self.role_resource: pulumi.Resource = self.role
        attach_all(
            self,
            name,
            old,
            role.policies,
            custom_policies,
            lambda n, policy, kind, o: alicloud.ram.RolePolicyAttachment(
                n, role_name=self.role_name, policy_name=policy, policy_type=kind, opts=o
            ),
            legacy_names,
        )
        self.register_outputs({"role_name": self.role_name, "arn": self.arn})

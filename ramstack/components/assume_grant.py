"""The scoped assume grant (seed 003, step 4): a custom policy allowing sts:AssumeRole only on the
ARNs of the roles a principal may assume, attached to that principal. It is ramstack's default way
to let a user assume a role; AliyunSTSAssumeRoleAccess (assume ANY role that trusts the caller)
needs an explicit opt-in."""

from __future__ import annotations

from collections.abc import Sequence

import pulumi
import pulumi_alicloud as alicloud

from ramstack.components._children import child_options
from ramstack.components.custom_policy import ram_policy
from ramstack.spec.model import CustomPolicy

TOKEN = "ramstack:ram:ScopedAssumeGrant"


class ScopedAssumeGrant(pulumi.ComponentResource):
    policy: alicloud.ram.Policy
    policy_name: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        grant: CustomPolicy,
        *,
        principal_name: pulumi.Input[str],
        roles: Sequence[pulumi.Resource],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        if grant.generated_for is None:
            raise ValueError(f"{grant.name} is not a generated assume grant")
        for statement in grant.document.statements:
            if (
                statement.effect != "Allow"
                or statement.actions != ("sts:AssumeRole",)
                or not statement.resources
                or any("*" in r for r in statement.resources)
            ):
                raise ValueError(
                    f"{grant.name}: a scoped assume grant allows sts:AssumeRole on named roles only"
                )
        kind = grant.generated_for.partition("/")[0]
        super().__init__(TOKEN, name, None, opts)
        # Created after the roles, so the grant never names a role that does not exist yet.
        self.policy = ram_policy(self, name, grant, depends_on=list(roles))
        self.policy_name = self.policy.policy_name
        attachment_opts = child_options(self, name, None, "-attachment")
        if kind == "user":
            alicloud.ram.UserPolicyAttachment(
                f"{name}-attachment",
                user_name=principal_name,
                policy_name=self.policy_name,
                policy_type="Custom",
                opts=attachment_opts,
            )
        else:
            alicloud.ram.GroupPolicyAttachment(
                f"{name}-attachment",
                group_name=principal_name,
                policy_name=self.policy_name,
                policy_type="Custom",
                opts=attachment_opts,
            )
        self.register_outputs({"policy_name": self.policy_name})

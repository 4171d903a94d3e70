"""A RAM custom policy whose document is the core's canonical JSON."""

from __future__ import annotations

import pulumi
import pulumi_alicloud as alicloud

from ramstack.components._children import child_options, component_options
from ramstack.spec.model import CustomPolicy

TOKEN = "ramstack:ram:CustomPolicy"
# RAM keeps at most five versions of a policy; without rotation the sixth document change fails with
# LimitExceeded.Policy.Version and blocks CI.
ROTATE_STRATEGY = "DeleteOldestNonDefaultVersionWhenLimitExceeded"


def ram_policy(
    parent: pulumi.Resource, name: str, policy: CustomPolicy, **options: object
) -> alicloud.ram.Policy:
    """The `alicloud.ram.Policy` child of a component, with the core's canonical document."""
    return alicloud.ram.Policy(
        name,
        policy_name=policy.name,
        policy_document=policy.document.to_json(),
        description=policy.description,
        rotate_strategy=ROTATE_STRATEGY,
        # policy_name forces replacement: delete first, or the new policy collides on the name.
        opts=child_options(parent, name, None, "", delete_before_replace=True, **options),
    )


class RamCustomPolicy(pulumi.ComponentResource):
    policy: alicloud.ram.Policy
    policy_name: pulumi.Output[str]

    def __init__(self, name: str, policy: CustomPolicy, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TOKEN, name, None, component_options(opts, name, None))
        self.policy = ram_policy(self, name, policy)
        self.policy_name = self.policy.policy_name
        self.register_outputs({"policy_name": self.policy_name})

"""A RAM user group with its policy attachments."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi_alicloud as alicloud

from ramstack.components._children import child_options, component_options
from ramstack.components.attachments import attach_all
from ramstack.components.naming import LegacyNames
from ramstack.spec.model import Group

TOKEN = "ramstack:ram:Group"


class RamGroup(pulumi.ComponentResource):
    group: alicloud.ram.Group
    group_name: pulumi.Output[str]

    def __init__(
        self,
        name: str,
        group: Group,
        *,
        custom_policies: Mapping[str, pulumi.Input[str]],
        legacy_names: LegacyNames | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__(TOKEN, name, None, component_options(opts, name, group.renamed_from))
        old = group.renamed_from
        self.group = alicloud.ram.Group(
            name,
            group_name=group.name,
            comments=group.comments,
            opts=child_options(self, name, old, "", delete_before_replace=True),
        )
        self.group_name = self.group.group_name
        attach_all(
            self,
            name,
            old,
            group.policies,
            custom_policies,
            lambda n, policy, kind, o: alicloud.ram.GroupPolicyAttachment(
                n, group_name=self.group_name, policy_name=policy, policy_type=kind, opts=o
            ),
            legacy_names,
        )
        self.register_outputs({"group_name": self.group_name})

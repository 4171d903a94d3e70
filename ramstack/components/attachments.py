"""Policy attachments for users, groups and roles, keyed by stable names so reordering the spec
never churns them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pulumi

from ramstack.components._children import attachment_suffix, child_options
from ramstack.spec.model import PolicyRef


def policy_name_input(ref: PolicyRef, custom: Mapping[str, pulumi.Input[str]]) -> pulumi.Input[str]:
    """Custom policies are referenced through their resource's output, so the attachment waits for the
    policy to exist (EntityNotExist.Policy otherwise); system policies by their fixed name."""
    if ref.type == "Custom":
        return custom[ref.name]
    return ref.name


def attach_all(
    parent: pulumi.Resource,
    name: str,
    renamed_from: str | None,
    refs: Sequence[PolicyRef],
    custom: Mapping[str, pulumi.Input[str]],
    make: Callable[[str, pulumi.Input[str], str, pulumi.ResourceOptions], pulumi.CustomResource],
) -> list[pulumi.CustomResource]:
    out = []
    for ref in refs:
        if ref.generated:
            continue  # a ScopedAssumeGrant attaches its own policy
        suffix = attachment_suffix(ref.type, ref.name)
        out.append(
            make(
                f"{name}{suffix}",
                policy_name_input(ref, custom),
                ref.type,
                child_options(parent, name, renamed_from, suffix),
            )
        )
    return out

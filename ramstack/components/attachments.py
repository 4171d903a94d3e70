"""Policy attachments for users, groups and roles, keyed by stable names so reordering the spec
never churns them (names: `ramstack.components.naming`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import pulumi

from ramstack.components._children import aliased_options
from ramstack.components.naming import LegacyNames, attachment_name, legacy_attachment_name
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
    legacy: LegacyNames | None = None,
) -> list[pulumi.CustomResource]:
    """`legacy` counts the old-scheme names over the whole spec (`LegacyAliases`); without it, this
    component's own old names are taken as unique."""
    old = renamed_from if renamed_from and renamed_from != name else None
    refs = [r for r in refs if not r.generated]  # a ScopedAssumeGrant attaches its own policy
    if legacy is None:
        legacy = LegacyNames(
            legacy_attachment_name(n, r.type, r.name) for r in refs for n in {name, old or name}
        )
    out = []
    for ref in refs:
        aliases = [
            attachment_name(old, ref.type, ref.name) if old else None,
            legacy.alias(legacy_attachment_name(name, ref.type, ref.name)),
            legacy.alias(legacy_attachment_name(old, ref.type, ref.name)) if old else None,
        ]
        out.append(
            make(
                attachment_name(name, ref.type, ref.name),
                policy_name_input(ref, custom),
                ref.type,
                aliased_options(parent, aliases),
            )
        )
    return out

"""Child-resource options shared by every component: parent=self, and aliases that keep children
when their component's logical name changes (spec `renamed_from`)."""

from __future__ import annotations

import pulumi


def child_options(
    parent: pulumi.Resource,
    name: str,
    renamed_from: str | None,
    suffix: str,
    **extra: object,
) -> pulumi.ResourceOptions:
    """Options for the child `<name><suffix>`; if the component was renamed, alias `<old><suffix>` so
    Pulumi moves the existing cloud resource instead of replacing it."""
    aliases = (
        [pulumi.Alias(name=f"{renamed_from}{suffix}")] if renamed_from and renamed_from != name else None
    )
    return pulumi.ResourceOptions(parent=parent, aliases=aliases, **extra)  # type: ignore[arg-type]


def component_options(
    opts: pulumi.ResourceOptions | None, name: str, renamed_from: str | None
) -> pulumi.ResourceOptions:
    own = pulumi.ResourceOptions(
        aliases=[pulumi.Alias(name=renamed_from)] if renamed_from and renamed_from != name else None,
    )
    return pulumi.ResourceOptions.merge(opts, own)


def attachment_suffix(policy_type: str, policy_name: str) -> str:
    return f"-{policy_type.lower()}-{policy_name}"

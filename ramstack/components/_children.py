"""Child-resource options shared by every component: parent=self, and aliases that keep children
when their component's logical name changes (spec `renamed_from`) or their own naming scheme did."""

from __future__ import annotations

from collections.abc import Iterable

import pulumi


def aliased_options(
    parent: pulumi.Resource, aliases: Iterable[str | None], **extra: object
) -> pulumi.ResourceOptions:
    """Options for a child of `parent` that was known under `aliases` (None entries are skipped), so
    Pulumi moves the existing cloud resource instead of replacing it."""
    names = list(dict.fromkeys(a for a in aliases if a))
    aliases_: list[pulumi.Input[str | pulumi.Alias]] | None = [pulumi.Alias(name=a) for a in names] or None
    return pulumi.ResourceOptions(parent=parent, aliases=aliases_, **extra)  # type: ignore[arg-type]


def child_options(
    parent: pulumi.Resource,
    name: str,
    renamed_from: str | None,
    suffix: str,
    **extra: object,
) -> pulumi.ResourceOptions:
    """Options for the child `<name><suffix>`; if the component was renamed, alias `<old><suffix>`."""
    old = f"{renamed_from}{suffix}" if renamed_from and renamed_from != name else None
    return aliased_options(parent, [old], **extra)


def component_options(
    opts: pulumi.ResourceOptions | None, name: str, renamed_from: str | None
) -> pulumi.ResourceOptions:
    own = pulumi.ResourceOptions(
        aliases=[pulumi.Alias(name=renamed_from)] if renamed_from and renamed_from != name else None,
    )
    return pulumi.ResourceOptions.merge(opts, own)

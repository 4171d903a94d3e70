"""The auditable permission diff: before/after effective permissions -> per-principal changes.

model     frozen change records and PermissionDiff
compute   diff(before, after)
text, markdown, json_format   one report format per file
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ramstack.lazy import lazy_exports

if TYPE_CHECKING:
    from ramstack.permdiff.compute import diff_permissions
    from ramstack.permdiff.model import PermissionDiff

# Imported when first used: reports that show a diff need its model, not its computation.
__getattr__ = lazy_exports(
    __name__,
    {
        "ramstack.permdiff.compute": ("diff_permissions",),
        "ramstack.permdiff.model": ("PermissionDiff",),
    },
)

__all__ = ["PermissionDiff", "diff_permissions"]

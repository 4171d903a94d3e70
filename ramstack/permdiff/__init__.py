"""The auditable permission diff: before/after effective permissions -> per-principal changes.

model     frozen change records and PermissionDiff
compute   diff(before, after)
text, markdown, json_format   one report format per file
"""

from ramstack.permdiff.compute import diff_permissions
from ramstack.permdiff.model import PermissionDiff

__all__ = ["PermissionDiff", "diff_permissions"]

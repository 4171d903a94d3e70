"""Effective permissions of a validated spec: what each principal can do, who can assume what.

model    frozen Grant / TrustEntry / Assumable / PrincipalPermissions / EffectivePermissions
compute  Spec -> EffectivePermissions (identity grants, trust, assumable roles, reach)
lockfile canonical lock file (write, read back); lockpath: permissions.<stack>.lock.json
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ramstack.lazy import lazy_exports

if TYPE_CHECKING:
    from ramstack.effective.compute import compute_effective
    from ramstack.effective.model import (
        Assumable,
        EffectivePermissions,
        Grant,
        PrincipalPermissions,
        TrustEntry,
    )

# Imported when first used: the model (what lock files and reports hold) without the
# computation and the evaluator behind it.
__getattr__ = lazy_exports(
    __name__,
    {
        "ramstack.effective.compute": ("compute_effective",),
        "ramstack.effective.model": (
            "Assumable",
            "EffectivePermissions",
            "Grant",
            "PrincipalPermissions",
            "TrustEntry",
        ),
    },
)

__all__ = [
    "Assumable",
    "EffectivePermissions",
    "Grant",
    "PrincipalPermissions",
    "TrustEntry",
    "compute_effective",
]

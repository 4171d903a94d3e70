"""Effective permissions of a validated spec: what each principal can do, who can assume what.

model    frozen Grant / TrustEntry / Assumable / PrincipalPermissions / EffectivePermissions
compute  Spec -> EffectivePermissions (identity grants, trust, assumable roles, reach)
lockfile canonical lock file (write, read back); lockpath: permissions.<stack>.lock.json
"""

from ramstack.effective.compute import compute_effective
from ramstack.effective.model import (
    Assumable,
    EffectivePermissions,
    Grant,
    PrincipalPermissions,
    TrustEntry,
)

__all__ = [
    "Assumable",
    "EffectivePermissions",
    "Grant",
    "PrincipalPermissions",
    "TrustEntry",
    "compute_effective",
]

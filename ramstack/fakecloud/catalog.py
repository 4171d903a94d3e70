"""Which system policies exist: a name set or a predicate, injected into the fake.

The default is a small built-in set; the bundled catalog (ramstack/data/system_policies.json) can be
passed in by callers that load it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

DEFAULT_SYSTEM_POLICIES: frozenset[str] = frozenset(
    {
        "AdministratorAccess",
        "AliyunICEFullAccess",
        "AliyunICEReadOnlyAccess",
        "AliyunIMMFullAccess",
        "AliyunIMMReadOnlyAccess",
        "AliyunOSSFullAccess",
        "AliyunOSSReadOnlyAccess",
        "AliyunRAMFullAccess",
        "AliyunSTSAssumeRoleAccess",
        "AliyunVODFullAccess",
        "AliyunVODReadOnlyAccess",
    }
)

SystemPolicies = Collection[str] | Callable[[str], bool]


class SystemPolicyCatalog:
    def __init__(self, known: SystemPolicies | None = None) -> None:
        source = DEFAULT_SYSTEM_POLICIES if known is None else known
        if callable(source):
            self._predicate: Callable[[str], bool] = source
            self._names: frozenset[str] | None = None
        else:
            names = frozenset(source)
            self._names = names
            self._predicate = names.__contains__

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self._predicate(name))

    def names(self) -> list[str] | None:
        """The known names, sorted, or None when the catalog is a predicate that cannot be listed."""
        return sorted(self._names) if self._names is not None else None

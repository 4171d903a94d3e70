"""A package's exported names, imported from their modules when first used (PEP 562).

A package that re-exports its main names (`from ramstack.effective import compute_effective`) would
otherwise import every module behind them as soon as any one of its modules is imported: lint,
which needs only the lock file's grant model, loaded the whole evaluator that way.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any


def lazy_exports(package: str, modules: Mapping[str, tuple[str, ...]]) -> Callable[[str], Any]:
    """The module `__getattr__` of `package`: `modules` maps each submodule to the names it exports."""
    where = {name: module for module, names in modules.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(module), name)

    return __getattr__

"""Least-privilege lint over the validated spec and standalone policy documents.

from ramstack.lint import gate, lint_stack, Severity
blocking = gate(spec, stack_config)   # findings >= ramstack:failOn, after policies/lint.yaml

The names below are loaded on first use (PEP 562): importing one light module of the package
(`ramstack.lint.stackfile`, which `validate` uses) does not load every rule and the evaluator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ramstack.lint.finding import Finding, Severity
    from ramstack.lint.registry import ALL_RULES, RULES
    from ramstack.lint.runner import LintResult, gate, lint_documents, lint_spec, lint_stack

_HOMES = {
    "Finding": "ramstack.lint.finding",
    "Severity": "ramstack.lint.finding",
    "ALL_RULES": "ramstack.lint.registry",
    "RULES": "ramstack.lint.registry",
    "LintResult": "ramstack.lint.runner",
    "gate": "ramstack.lint.runner",
    "lint_documents": "ramstack.lint.runner",
    "lint_spec": "ramstack.lint.runner",
    "lint_stack": "ramstack.lint.runner",
}

__all__ = [
    "ALL_RULES",
    "RULES",
    "Finding",
    "LintResult",
    "Severity",
    "gate",
    "lint_documents",
    "lint_spec",
    "lint_stack",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value

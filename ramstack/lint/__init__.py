"""Least-privilege lint over the validated spec and standalone policy documents.

from ramstack.lint import gate, lint_stack, Severity
blocking = gate(spec, stack_config)   # findings >= ramstack:failOn, after policies/lint.yaml

The names below are loaded on first use (PEP 562): importing one light module of the package
(`ramstack.lint.stackfile`, which `validate` uses) does not load every rule and the evaluator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ramstack.lazy import lazy_exports

if TYPE_CHECKING:
    from ramstack.lint.finding import Finding, Severity
    from ramstack.lint.registry import ALL_RULES, RULES
    from ramstack.lint.runner import LintResult, gate, lint_documents, lint_spec, lint_stack

__getattr__ = lazy_exports(
    __name__,
    {
        "ramstack.lint.finding": ("Finding", "Severity"),
        "ramstack.lint.registry": ("ALL_RULES", "RULES"),
        "ramstack.lint.runner": ("LintResult", "gate", "lint_documents", "lint_spec", "lint_stack"),
    },
)

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

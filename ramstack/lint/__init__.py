"""Least-privilege lint over the validated spec and standalone policy documents.

from ramstack.lint import gate, lint_stack, Severity
blocking = gate(spec, stack_config)   # findings >= ramstack:failOn, after policies/lint.yaml
"""

from __future__ import annotations

from ramstack.lint.finding import Finding, Severity
from ramstack.lint.registry import ALL_RULES, RULES
from ramstack.lint.runner import LintResult, gate, lint_documents, lint_spec, lint_stack

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

"""Where a stack's lint.yaml is, and checking it for `validate`: without the rules, the evaluator or
the located policy trees, which only `lint` itself needs (they are loaded when the file exists)."""

from __future__ import annotations

from pathlib import Path

from ramstack.diagnostics import Diagnostics
from ramstack.source import LMap, load_file
from ramstack.spec.config import StackConfig
from ramstack.spec.model import Spec

LINT_FILES = ("lint.yaml", "lint.yml")


def find_lint_file(policies_dir: Path) -> Path | None:
    for name in LINT_FILES:
        path = policies_dir / name
        if path.is_file():
            return path
    return None


def policies_folder(config: StackConfig, tree: object) -> Path:
    """The folder the spec (`tree`, its parsed file) reads its policy files from: `policies_dir:`,
    default policies/, beside the spec."""
    folder = "policies"
    if isinstance(tree, LMap) and isinstance(tree.get("policies_dir"), str):
        folder = tree["policies_dir"]
    return config.spec_path.parent / folder


def stack_lint_file(spec: Spec, config: StackConfig) -> Path | None:
    """The stack's lint.yaml: in the spec's policies_dir (default policies/), None when absent."""
    tree = load_file(config.spec_path, Diagnostics(), spec.file or str(config.spec_path))
    return find_lint_file(policies_folder(config, tree))


def check_stack_lint_file(spec: Spec, config: StackConfig, diags: Diagnostics) -> None:
    """Report the problems of the stack's lint.yaml into `diags` (as `lint` would read it)."""
    path = stack_lint_file(spec, config)
    if path is None:
        return
    from ramstack.lint.config import load_lint_config
    from ramstack.lint.registry import RULES
    from ramstack.spec.load import display_path

    load_lint_config(path, diags, RULES, display=display_path(path))

"""The spec a verb already validated, handed to the stack program it runs in-process (`ramstack
plan`), so the program does not load and validate the same files a second time (issue 15).

The program takes the handed spec only when the config it reads from the Pulumi runtime asks for
exactly the same inputs (project, account, region, spec file, variables, grammar levels, quotas);
otherwise, and always under `pulumi up`, it loads and validates the spec itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace

from ramstack.spec.config import StackConfig
from ramstack.spec.model import Spec

_HANDED: ContextVar[tuple[StackConfig, Spec] | None] = ContextVar("ramstack_handed_spec", default=None)


def _inputs(config: StackConfig) -> StackConfig:
    """What the spec is built from: fail_on, the file name and the password users only decide
    diagnostics and the lint gate, not the spec."""
    project = config.project_dir.resolve()
    return replace(
        config,
        project_dir=project,
        spec_path=(project / config.spec_path).resolve(),
        fail_on="",
        file=None,
        password_users=None,
    )


@contextmanager
def hand_over(config: StackConfig, spec: Spec) -> Iterator[None]:
    token = _HANDED.set((_inputs(config), spec))
    try:
        yield
    finally:
        _HANDED.reset(token)


def handed_spec(config: StackConfig) -> Spec | None:
    """The handed spec if `config` (the program's own) asks for the same inputs, else None."""
    handed = _HANDED.get()
    if handed is None or config.broken or handed[0] != _inputs(config):
        return None
    return handed[1]

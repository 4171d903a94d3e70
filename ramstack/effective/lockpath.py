"""Where a stack's lock file lives: `permissions.<stack>.lock.json`, next to the spec.

One file per stack, because stacks of one spec differ (account ids in every ARN, stack variables):
a shared file made `lock --check -s prod` fail after locking dev, and `diff` report the other
stack's trust as changed. Lock files written before this (`permissions.lock.json`, one per folder)
are still read for the stack recorded in them, with a LOCK004 warning; `ramstack lock` writes the
new name, after which the old file can be deleted.
"""

from __future__ import annotations

import json
from pathlib import Path

from ramstack.diagnostics import Diagnostics, Location
from ramstack.spec.config import StackConfig

LEGACY_LOCK_FILE = "permissions.lock.json"
LOCK_FILE_PATTERN = "permissions.<stack>.lock.json"


def lock_file_name(stack: str) -> str:
    return f"permissions.{stack}.lock.json"


def default_lock_path(config: StackConfig) -> Path:
    """Where `ramstack lock` writes the stack's lock file."""
    return config.spec_path.parent / lock_file_name(config.stack)


def legacy_lock_path(config: StackConfig) -> Path | None:
    """The pre-per-stack `permissions.lock.json` beside the spec, if it exists and was written for
    this stack (another stack's file would show that stack's ARNs as changes)."""
    path = config.spec_path.parent / LEGACY_LOCK_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):  # not a lock file for this stack
        return None
    return path if isinstance(data, dict) and data.get("stack") == config.stack else None


def lock_path_for_reading(config: StackConfig, diags: Diagnostics) -> Path:
    """The stack's lock file; the legacy name (with a LOCK004 warning) when only that exists."""
    path = default_lock_path(config)
    if path.exists():
        return path
    legacy = legacy_lock_path(config)
    if legacy is None:
        return path
    diags.warning(
        Location(str(legacy)),
        "LOCK004",
        f"{LEGACY_LOCK_FILE} is the old shared lock file name; each stack now has its own "
        f"({path.name}), read here for stack {config.stack!r}",
        f"run `ramstack lock --stack {config.stack}` and delete {legacy.name}",
    )
    return legacy

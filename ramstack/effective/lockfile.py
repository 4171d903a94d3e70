"""The lock file (permissions.<stack>.lock.json, see lockpath): the effective permissions, canonical
and sorted, committed next to the spec.

Reviewers diff it in pull requests; `ramstack diff` compares the current spec against it. It never
holds a secret: only names, patterns and conditions.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ramstack.diagnostics import Diagnostics, Location
from ramstack.effective.model import EffectivePermissions, PrincipalPermissions

FORMAT_VERSION = 1


def to_json(perms: EffectivePermissions, stack: str | None = None) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "generator": "ramstack lock",
        "stack": stack,
        "account_id": perms.account_id,
        "principals": {p.subject: p.to_json() for p in perms.principals},
    }


def dumps(perms: EffectivePermissions, stack: str | None = None) -> str:
    return json.dumps(to_json(perms, stack), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def from_json(data: Any, file: str, diags: Diagnostics) -> EffectivePermissions | None:
    if not isinstance(data, dict) or not isinstance(data.get("principals"), dict):
        diags.error(
            Location(file),
            "LOCK001",
            "not a ramstack permissions lock file (no 'principals' object)",
            "regenerate it with `ramstack lock`",
        )
        return None
    if data.get("format") != FORMAT_VERSION:
        diags.error(
            Location(file),
            "LOCK002",
            f"lock file format {data.get('format')!r} is not {FORMAT_VERSION}",
            "regenerate it with `ramstack lock`",
        )
        return None
    principals = []
    for subject, body in sorted(data["principals"].items()):
        try:
            principals.append(PrincipalPermissions.from_json(subject, body))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            diags.error(
                Location(file),
                "LOCK001",
                f"principal {subject!r} is malformed: {exc}",
                "regenerate it with `ramstack lock`",
            )
    if diags.has_errors:
        return None
    return EffectivePermissions(str(data.get("account_id", "")), tuple(principals))


def read(path: Path, diags: Diagnostics) -> EffectivePermissions | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        diags.error(Location(str(path)), "LOCK003", "lock file not found", "create it with `ramstack lock`")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        diags.error(Location(str(path)), "LOCK003", f"cannot read the lock file: {exc}", "pass a lock file")
        return None
    except json.JSONDecodeError as exc:
        diags.error(
            Location(str(path), exc.lineno, exc.colno),
            "LOCK001",
            f"invalid JSON: {exc.msg}",
            "regenerate it with `ramstack lock`",
        )
        return None
    return from_json(data, str(path), diags)

"""Machine-readable permission diff (stable key order)."""

from __future__ import annotations

import json

from ramstack.permdiff.model import PermissionDiff


def render(diff: PermissionDiff, title: str) -> str:
    return json.dumps({"title": title, **diff.to_json()}, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

"""verify as JSON: {format, stack, summary, checks: [{user, check, role, result, detail}]}."""

from __future__ import annotations

import json

from ramstack.live.verify import Check, summary

VERIFY_FORMAT = 1


def render_json(stack: str, checks: list[Check]) -> str:
    data = {
        "format": VERIFY_FORMAT,
        "stack": stack,
        "summary": dict(summary(checks)),
        "checks": [c.to_json() for c in checks],
    }
    return json.dumps(data, indent=2, sort_keys=True) + "\n"

"""JSON drift report (`ramstack-drift/1`), for machines."""

from __future__ import annotations

import json

from ramstack.account.drift import Drift


def render(drift: Drift) -> str:
    return json.dumps(drift.to_json(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"

"""A permission policy as a YAML file of the spec's own format (policies/<name>.yaml). Built from the
canonical dict (`PolicyDocument.to_dict`, or a generated policy's portable form,
`GeneratedPolicy.to_dict`), so the file says exactly what the JSON renderer would; each statement is
preceded by a comment naming its service, and the file by the header lines given (how it was made,
what a reviewer should check).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import yaml

_KEYS = ("Effect", "Action", "NotAction", "Resource", "NotResource", "Condition")


def render_policy_yaml(data: Mapping[str, Any], header: Iterable[str] = ()) -> str:
    lines = [f"# {line}".rstrip() for line in header]
    lines += ['Version: "1"', "Statement:"]
    for statement in data["Statement"]:
        actions = statement.get("Action") or statement.get("NotAction") or []
        actions = [actions] if isinstance(actions, str) else actions
        services = sorted({str(a).partition(":")[0] for a in actions})
        lines.append(f"  # {', '.join(services)}: {len(actions)} action{'s' if len(actions) != 1 else ''}")
        ordered = {k: statement[k] for k in _KEYS if k in statement}
        body = yaml.safe_dump([ordered], sort_keys=False, default_flow_style=False, allow_unicode=True)
        lines += ["  " + line for line in body.rstrip("\n").splitlines()]
    return "\n".join(lines) + "\n"

"""A generated policy as the spec's own policies are written: `${accountId}` and `${region}` in its
ARNs instead of the literal values of the account the events were recorded in.

`acs:<service>:<region>:<account>:<resource>`: the account field becomes `${accountId}` when it is
the stack's account, the region field `${region}` when it is the stack's region; other accounts and
regions (a cross-account role, a bucket in another region) stay literal, since the stack's variables
would name a different resource. The spec loader substitutes both back (`StackConfig.
policy_variables`), so the file is the same policy in this stack and portable to the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_RESOURCE_KEYS = ("Resource", "NotResource")


def portable_arn(arn: str, account_id: str | None, region: str | None) -> str:
    """`arn` with its account and region fields written as the stack's variables where they are the
    stack's; anything not an `acs:` ARN of five fields, or holding a `${` already, unchanged."""
    parts = arn.split(":", 4)
    if len(parts) != 5 or parts[0] != "acs" or "${" in arn:
        return arn
    if account_id and parts[3] == account_id:
        parts[3] = "${accountId}"
    if region and parts[2] == region:
        parts[2] = "${region}"
    return ":".join(parts)


def portable_dict(data: Mapping[str, Any], account_id: str | None, region: str | None) -> dict[str, Any]:
    """A copy of the canonical document dict (`PolicyDocument.to_dict`) with portable ARNs."""
    statements = []
    for statement in data.get("Statement", []):
        copy = dict(statement)
        for key in _RESOURCE_KEYS:
            value = copy.get(key)
            if isinstance(value, str):
                copy[key] = portable_arn(value, account_id, region)
            elif isinstance(value, list):
                copy[key] = [portable_arn(v, account_id, region) if isinstance(v, str) else v for v in value]
        statements.append(copy)
    return {**data, "Statement": statements}

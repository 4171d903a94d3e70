"""A least-privilege policy from recorded use: exactly the actions a principal called, on the
resources the events named.

One statement per service and set of resources (services in order, actions sorted); a call whose
event names no resource is granted on every resource of its service (region, account) and listed
in the notes, so a reviewer can narrow it by hand. The document goes through the core's validator
and is rendered by the canonical renderer (`PolicyDocument.to_json`).
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ramstack.activity.calls import is_placeholder
from ramstack.activity.log import ActivityLog
from ramstack.policy.document import PolicyDocument, render_json
from ramstack.policy.validate import parse_policy_dict

MAX_STABLE_ADDRESSES = 10


def stable_ranges(addresses: set[str]) -> list[str] | None:
    """The addresses themselves when there are at most MAX_STABLE_ADDRESSES, else their /24 (IPv4)
    or /64 (IPv6) networks when those are few enough; None when neither is (no stable range)."""
    if not addresses:
        return None
    if len(addresses) <= MAX_STABLE_ADDRESSES:
        return sorted(addresses)
    networks = {
        str(ipaddress.ip_network(f"{a}/{24 if ipaddress.ip_address(a).version == 4 else 64}", strict=False))
        for a in addresses
    }
    return sorted(networks) if len(networks) <= MAX_STABLE_ADDRESSES else None


@dataclass(frozen=True)
class GeneratedPolicy:
    """`document` holds the literal ARNs of the events (what the evaluator checks); `to_dict` and
    `to_json` are the file's form, with `${accountId}`/`${region}` where they are the stack's."""

    document: PolicyDocument
    calls: int
    notes: tuple[str, ...]
    account_id: str | None = None
    region: str | None = None

    def to_dict(self) -> dict[str, Any]:
        from ramstack.activity.portable import portable_dict

        return portable_dict(self.document.to_dict(), self.account_id, self.region)

    def to_json(self) -> str:
        return render_json(self.to_dict())


def generate_policy(
    log: ActivityLog, subject: str, *, account_id: str | None = None, region: str | None = None
) -> GeneratedPolicy | None:
    """None when the log holds no successful mapped call of `subject`. `account_id` and `region`
    (the stack's) are written as `${accountId}`/`${region}` in the file's form (`to_dict`)."""
    resources: dict[str, set[str]] = defaultdict(set)
    calls = 0
    addresses: set[str | None] = set()
    for (_, action, resource, context), use in log.of(subject):
        resources[action].add(resource)
        calls += use.count
        addresses.add(next((v for k, v in context if k == "acs:SourceIp"), None))
    if not resources:
        return None
    notes: list[str] = []
    condition: dict[str, object] = {}
    ranges = stable_ranges({a for a in addresses if a}) if None not in addresses else None
    if ranges is not None:
        # every call came from a few known addresses or networks: keep the policy to them
        condition = {"IpAddress": {"acs:SourceIp": ranges}}
        exact = ranges == sorted(a for a in addresses if a)  # the addresses themselves, not networks
        notes.append(
            f"every recorded call came from {len(addresses)} address{'' if len(addresses) == 1 else 'es'}"
            f"{' (' if exact else ' in '}{', '.join(ranges)}{')' if exact else ''}: IpAddress condition added"
        )
    else:
        notes.append("source addresses unknown or too many to pin: no acs:SourceIp condition")
    own = sorted(
        r for r in resources.get("sts:AssumeRole", ()) if log.account_id and f":{log.account_id}:role/" in r
    )
    if own and subject.startswith("user/"):
        notes.append(
            "sts:AssumeRole of this account's roles: the spec grants it through `assume_roles:`, so "
            "that statement can be left out when the policy is attached"
        )
    wide = sorted(a for a, found in resources.items() if any(is_placeholder(r) for r in found))
    if wide:
        notes.append(
            f"the events name no resource for {', '.join(wide)}: granted on every resource of the "
            "service in the recorded region and account; narrow by hand"
        )
        for action in wide:
            # the placeholder covers the named ones too
            resources[action] = {r for r in resources[action] if is_placeholder(r)}
    assumed = sorted(set(resources) & log.assumed_actions)
    if assumed:
        notes.append(
            f"action name taken from the API name (service's action list incomplete): {', '.join(assumed)}"
        )
    # one statement per service and set of resources, services in order
    groups: dict[tuple[str, tuple[str, ...]], list[str]] = defaultdict(list)
    for action, found in resources.items():
        groups[(action.partition(":")[0].lower(), tuple(sorted(found)))].append(action)
    statements: list[dict[str, object]] = [
        {"Effect": "Allow", "Action": sorted(actions), "Resource": list(res)}
        for (_, res), actions in sorted(groups.items(), key=lambda item: (item[0][0], sorted(item[1])))
    ]
    if condition:
        for statement in statements:
            statement["Condition"] = condition
    document = parse_policy_dict({"Version": "1", "Statement": statements}, "permission", source=subject)
    return GeneratedPolicy(document, calls, tuple(notes), account_id, region)

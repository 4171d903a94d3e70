"""LP402: an IP condition on a private range, or on a range so wide it restricts nothing."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.policy.conditions import Family, parse_ip, parse_operator

# Addresses acs:SourceIp (the client's public address) never carries: RFC 1918, loopback, link-local,
# carrier-grade NAT, and their IPv6 counterparts. Documentation ranges are public in form and allowed.
PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in (
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "100.64.0.0/10",
        "fc00::/7",
        "fe80::/10",
        "::1/128",
    )
)
WIDEST_V4_PREFIX = 8  # /0 to /8 is 16 million addresses or more
WIDEST_V6_PREFIX = 32


class IpConditionRange(Rule):
    id = "LP402"
    title = "IP condition with a private or overly wide range"
    default_severity = Severity.MEDIUM
    scope = "document"
    rationale = (
        "acs:SourceIp is the caller's public address: a private range (10/8, 172.16/12, 192.168/16, ...) "
        "never matches it, and a range of /8 or wider (/0 is everyone) restricts almost nothing."
    )
    fix = (
        "Write the public egress addresses (a /32 or a small CIDR); for VPC-internal callers condition on "
        "acs:SourceVpc instead."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in (*context.documents, *context.trusts):
            for index, statement in view.statements():
                for clause in statement.conditions:
                    op = parse_operator(clause.operator)
                    if op is None or op.family is not Family.IP:
                        continue
                    for value in clause.values:
                        problem = self._problem(value, widening=not op.base.negated)
                        if problem:
                            yield self.finding(
                                view.subject,
                                f"{view.subject} statement {index + 1}: {clause.operator} {clause.key} "
                                f"{value} {problem}",
                                view.path(index, "Condition", clause.operator, clause.key, str(value)),
                            )

    @staticmethod
    def _problem(value: object, *, widening: bool) -> str | None:
        network = parse_ip(value)
        if network is None:
            return None
        if any(_inside(network, p) for p in PRIVATE_NETWORKS):
            return "is a private range, which the caller's public address never falls into"
        widest = WIDEST_V4_PREFIX if network.version == 4 else WIDEST_V6_PREFIX
        if widening and network.prefixlen <= widest:
            return f"spans /{network.prefixlen}, so the condition restricts almost nothing"
        return None


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _inside(network: Network, outer: Network) -> bool:
    if isinstance(network, ipaddress.IPv4Network) and isinstance(outer, ipaddress.IPv4Network):
        return network.subnet_of(outer)
    if isinstance(network, ipaddress.IPv6Network) and isinstance(outer, ipaddress.IPv6Network):
        return network.subnet_of(outer)
    return False

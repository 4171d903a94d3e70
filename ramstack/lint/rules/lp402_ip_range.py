"""LP402: an IP condition on a private range, or on a range so wide it restricts nothing.

A private range is fine in a statement that also requires a VPC (a positive condition on
acs:SourceVpc): requests through VPC endpoints carry the private address, and OSS even requires
acs:SourceIp to be paired with acs:SourceVpc in bucket policies (OSS error 0030-00000008).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.policy.conditions import Family, parse_ip, parse_operator
from ramstack.policy.document import Statement

SOURCE_VPC = "acs:sourcevpc"

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
        "acs:SourceIp is the caller's public address, or its private one through a VPC endpoint: a private "
        "range (10/8, 172.16/12, 192.168/16, ...) without an acs:SourceVpc condition never matches the "
        "former and matches any VPC's use of the range; a range of /8 or wider restricts almost nothing."
    )
    fix = (
        "Write the public egress addresses (a /32 or a small CIDR); for callers inside a VPC add a condition "
        "on acs:SourceVpc to the same statement."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in (*context.documents, *context.trusts):
            for index, statement in view.statements():
                in_vpc = _requires_vpc(statement)
                for clause in statement.conditions:
                    op = parse_operator(clause.operator)
                    if op is None or op.family is not Family.IP:
                        continue
                    for value in clause.values:
                        problem = self._problem(value, widening=not op.base.negated, in_vpc=in_vpc)
                        if problem:
                            yield self.finding(
                                view.subject,
                                f"{view.subject} statement {index + 1}: {clause.operator} {clause.key} "
                                f"{value} {problem}",
                                view.path(index, "Condition", clause.operator, clause.key, str(value)),
                            )

    @staticmethod
    def _problem(value: object, *, widening: bool, in_vpc: bool) -> str | None:
        network = parse_ip(value)
        if network is None:
            return None
        if any(_inside(network, p) for p in PRIVATE_NETWORKS):
            if in_vpc:
                return None
            return (
                "is a private range: a caller's public address never falls into it, and through VPC"
                " endpoints it matches that range in every VPC (pair it with acs:SourceVpc)"
            )
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


def _requires_vpc(statement: Statement) -> bool:
    """The statement only matches requests from a VPC: a non-negated condition on acs:SourceVpc."""
    for clause in statement.conditions:
        op = parse_operator(clause.operator)
        if clause.key.lower() == SOURCE_VPC and op is not None and not op.base.negated:
            return True
    return False

"""Compile a policy document once into matchers, so evaluating a request never re-parses a pattern.

Action / NotAction patterns compile case-insensitively (action names are "generally not
case-sensitive", reference §1); Resource / NotResource case-sensitively (ARN case-sensitivity is
UNCONFIRMED, exact is the safe reading); conditions per `ramstack.evaluate.conditions`; Principal
(trust policies) per `PrincipalMatcher`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ramstack.evaluate.conditions import CompiledCondition, compile_condition
from ramstack.evaluate.decision import Match
from ramstack.evaluate.matchers import PatternSet, has_wildcard
from ramstack.evaluate.named import NamedPolicy as NamedPolicy  # re-exported: its home before named.py
from ramstack.evaluate.options import DEFAULT_OPTIONS, EvalOptions
from ramstack.evaluate.request import Caller, Request
from ramstack.policy.arn import RamEntity, parse_ram_entity
from ramstack.policy.document import Statement

# Origins whose statements carry their own file:line; the others point at `anchor` (or nowhere).
_LOCATED: frozenset[str] = frozenset({"file", "custom", "session"})


@dataclass(frozen=True)
class PrincipalMatcher:
    """Whether a trust statement's `Principal` names a caller.

    RAM: `*`, an account root (every RAM user and role of that account), or a user / role ARN
    (name wildcards compared with `*`/`?`); Service: the service principal (case-insensitive);
    Federated: the identity provider ARN. Regions in principal ARNs are ignored.
    """

    everyone: bool
    ram: tuple[RamEntity, ...]
    services: frozenset[str]
    federated: tuple[RamEntity, ...]

    @classmethod
    def of(cls, statement: Statement) -> PrincipalMatcher:
        ram_values = statement.principal_values("RAM")
        return cls(
            everyone="*" in ram_values,
            ram=tuple(e for e in (parse_ram_entity(v) for v in ram_values) if e is not None),
            services=frozenset(v.lower() for v in statement.principal_values("Service")),
            federated=tuple(
                e for e in (parse_ram_entity(v) for v in statement.principal_values("Federated")) if e
            ),
        )

    def matches(self, caller: Caller | None) -> bool:
        if caller is None:
            return False
        if caller.kind == "service":
            return caller.arn.lower() in self.services
        entity = caller.entity
        if entity is None:
            return False
        if caller.kind == "federated":
            return any(_same_entity(p, entity) for p in self.federated)
        if self.everyone:
            return True
        return any(
            p.account == entity.account and (p.kind == "root" or _same_entity(p, entity)) for p in self.ram
        )


def _same_entity(pattern: RamEntity, entity: RamEntity) -> bool:
    if pattern.kind != entity.kind or pattern.account != entity.account:
        return False
    if pattern.name is None or entity.name is None:
        return pattern.name == entity.name
    if has_wildcard(pattern.name):
        return PatternSet.of([pattern.name], ignore_case=False).matches(entity.name)
    return pattern.name == entity.name


@dataclass(frozen=True, eq=False)
class CompiledStatement:
    match: Match  # the report entry, built once
    actions: PatternSet
    not_action: bool
    resources: PatternSet | None  # None: the statement names no resource (trust policies)
    not_resource: bool
    conditions: tuple[CompiledCondition, ...]
    principal: PrincipalMatcher | None
    services: frozenset[str] | None  # lowercased literal service codes of Action; None: any service
    statement: Statement
    is_deny: bool = field(init=False)
    described: str = field(init=False)  # `match.describe()`, the text decisions quote

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_deny", self.match.effect == "Deny")
        object.__setattr__(self, "described", self.match.describe())

    def covers_action(self, action: str) -> bool:
        """Action / NotAction covers `action` (lowercased): depends on the action alone, so
        `PolicySet` memoises it per action."""
        return self.actions.matches(action) != self.not_action

    def covers_target(self, request: Request) -> bool:
        """Resource / NotResource covers the resource, and Principal (if any) names the caller."""
        if self.resources is not None and self.resources.matches(request.resource) == self.not_resource:
            return False
        return self.principal is None or self.principal.matches(request.caller)

    def applies(self, request: Request, action: str) -> bool:
        """Action, resource and principal match (`action` is the request's action lowercased)."""
        return self.covers_action(action) and self.covers_target(request)

    def conditions_met(self, request: Request) -> bool:
        return all(c.met(request) for c in self.conditions)

    def absent_keys(self, request: Request) -> list[str]:
        """Keys this statement's conditions read that the request does not carry (Null excluded)."""
        return [c.clause.key for c in self.conditions if not c.is_null and c.key_absent(request)]


@dataclass(frozen=True, eq=False)
class CompiledPolicy:
    name: str
    statements: tuple[CompiledStatement, ...]
    source: NamedPolicy


def compile_statement(
    policy: NamedPolicy, index: int, statement: Statement, options: EvalOptions = DEFAULT_OPTIONS
) -> CompiledStatement:
    file: str | None = None
    line: int | None = None
    if policy.origin in _LOCATED and statement.location is not None:
        file, line = statement.location.file, statement.location.line
    elif policy.anchor is not None:
        file, line = policy.anchor.file, policy.anchor.line
    match = Match(policy.name, index, statement.effect, file, line)
    services: frozenset[str] | None = None
    if not statement.not_action and all(
        ":" in a and not has_wildcard(a.partition(":")[0]) for a in statement.actions
    ):
        services = frozenset(a.partition(":")[0].lower() for a in statement.actions)
    return CompiledStatement(
        match=match,
        actions=PatternSet.of(statement.actions, ignore_case=True),
        not_action=statement.not_action,
        resources=None
        if statement.resources is None
        else PatternSet.of(statement.resources, ignore_case=False),
        not_resource=statement.not_resource,
        conditions=tuple(compile_condition(c, options) for c in statement.conditions),
        principal=None if statement.principals is None else PrincipalMatcher.of(statement),
        services=services,
        statement=statement,
    )


def compile_policy(policy: NamedPolicy, options: EvalOptions = DEFAULT_OPTIONS) -> CompiledPolicy:
    statements = tuple(
        compile_statement(policy, i, s, options) for i, s in enumerate(policy.document.statements)
    )
    return CompiledPolicy(policy.name, statements, policy)


def compile_policies(
    policies: Iterable[NamedPolicy], options: EvalOptions = DEFAULT_OPTIONS
) -> tuple[CompiledPolicy, ...]:
    return tuple(compile_policy(p, options) for p in policies)

"""Spec -> effective permissions, with every policy compiled once.

Per user: its own and its groups' policies; per group and role: their own. For every user and role,
the roles it can assume (identity side AND trust side, reference §2; a role of another account, named
by ARN, on the identity side alone), and for roles the principals their trust policy names. Condition
keys a trust policy requires (MFA, say) do not hide an assumable role: they are listed as what the
request must carry.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import replace
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from ramstack.effective.crossaccount import outside_role
from ramstack.effective.model import (
    Assumable,
    EffectivePermissions,
    Grant,
    GrantEntryKey,
    PrincipalPermissions,
    TrustEntry,
    grant_entry_order,
)
from ramstack.evaluate.named import NamedPolicy
from ramstack.evaluate.options import DEFAULT_OPTIONS, EvalOptions
from ramstack.evaluate.principals import (
    attached_policy,
    attachments,
    caller_for,
    identity_policies,
    trust_policy,
    unevaluated_names,
)
from ramstack.evaluate.request import ASSUME_ROLE, Request
from ramstack.policy.actions import action_matches
from ramstack.policy.arn import parse_ram_entity
from ramstack.policy.document import PolicyDocument, Statement, render_json
from ramstack.spec.model import Spec

if TYPE_CHECKING:
    from ramstack.evaluate.compile import CompiledPolicy
    from ramstack.evaluate.evaluator import PolicySet


def conditions_json(statement: Statement) -> str:
    if not statement.conditions:
        return ""
    return render_json(statement.to_dict()["Condition"])


def _document_grants(document: PolicyDocument) -> tuple[tuple[int, Grant], ...]:
    """Each statement's grants, by statement index."""
    out: list[tuple[int, Grant]] = []
    for index, statement in enumerate(document.statements):
        conditions = conditions_json(statement)
        # NotAction/NotResource exclude a set together: splitting it into one grant per excluded
        # pattern would read "everything except A" and "everything except B" as separate grants.
        actions = (", ".join(sorted(set(statement.actions))),) if statement.not_action else statement.actions
        resources = statement.resources if statement.resources is not None else ("*",)
        if statement.not_resource:
            resources = (", ".join(sorted(set(resources))),)
        for action in actions:
            for resource in resources:
                grant = Grant(
                    statement.effect,
                    action,
                    resource,
                    conditions,
                    statement.not_action,
                    statement.not_resource,
                )
                out.append((index, grant))
    return tuple(out)


GrantKey = tuple[str, str, str, str, bool, bool]
Entry = tuple[Grant, tuple[str, ...]]
Grants = tuple[Entry, ...]


class _Held:
    """One policy as principals hold it (its name, document and the "via ..." its grants' sources
    carry), built once for all its holders, with the grants of that policy alone: merged by
    `Grant.key` (action case variants are one grant; the first grant of a key stands for it), each
    with its sorted sources, in order. `ranks` and `key_ids` are its entries' places in the order of
    every entry of the computation and their merge keys as numbers, `key_set` those numbers as a set
    (`_Ranking` sets them once every held policy is known)."""

    __slots__ = ("assume", "document", "entries", "key_ids", "key_set", "keys", "name", "order_keys", "ranks")

    def __init__(
        self,
        name: str,
        document: PolicyDocument,
        entries: Grants,
        order_keys: tuple[GrantEntryKey, ...],
        keys: tuple[GrantKey, ...],
        assume: tuple[frozenset[str], bool],
    ) -> None:
        self.name = name
        self.document = document
        self.entries = entries
        self.order_keys = order_keys  # each entry's `grant_entry_order` key
        self.keys = keys  # each entry's merge key (`Grant.key`)
        self.assume = assume  # `DocumentFacts.assume` of the document
        self.ranks: tuple[int, ...] = ()
        self.key_ids: tuple[int, ...] = ()
        self.key_set: frozenset[int] = frozenset()


def _held(name: str, document: PolicyDocument, via: str, facts: DocumentFacts) -> _Held:
    merged: dict[GrantKey, tuple[Grant, set[str]]] = {}
    for index, grant in facts.grants(document):
        source = f"{name}#{index}{via}"
        entry = merged.get(grant.key)
        if entry is None:
            merged[grant.key] = (grant, {source})
        else:
            entry[1].add(source)
    ordered = sorted((grant_entry_order(e), e) for e in ((g, tuple(sorted(s))) for g, s in merged.values()))
    return _Held(
        name,
        document,
        tuple(e for _, e in ordered),
        tuple(k for k, _ in ordered),
        tuple(e[0].key for _, e in ordered),
        facts.assume(document),
    )


class _Ranking:
    """Every entry of a computation's held policies in one order: a principal's grants are then its
    policies' entries sorted by number rather than by comparing tuples of strings."""

    def __init__(self, held: Iterable[_Held]) -> None:
        held = list(held)
        canonical: dict[GrantEntryKey, Entry] = {}
        key_ids: dict[GrantKey, int] = {}
        for h in held:
            for order_key, entry, key in zip(h.order_keys, h.entries, h.keys, strict=True):
                canonical.setdefault(order_key, entry)
                key_ids.setdefault(key, len(key_ids))
        ordered = sorted(canonical)
        rank_of = {order_key: rank for rank, order_key in enumerate(ordered)}
        # equal order keys are equal entries (the key holds every field of the pair): one stands for all
        self.entries: list[Entry] = [canonical[k] for k in ordered]
        for h in held:
            h.ranks = tuple(map(rank_of.__getitem__, h.order_keys))
            h.key_ids = tuple(map(key_ids.__getitem__, h.keys))
            h.key_set = frozenset(h.key_ids)

    def grants(self, held: tuple[_Held, ...]) -> Grants:
        """A principal's grants from the policies it holds: one merge of all their statements' grants,
        by `Grant.key` as within one policy, sorted."""
        if len(held) == 1:
            return held[0].entries
        ids = [h.key_set for h in held]
        if len(frozenset().union(*ids)) == sum(map(len, ids)):
            # No grant comes from two policies (the common case): the policies' own entries are the
            # merged ones, and sorting their places (all distinct) sorts them.
            ranks = sorted(chain.from_iterable([h.ranks for h in held]))
            return tuple(map(self.entries.__getitem__, ranks))
        # Merged by key, the first grant of a key (in the order of the policies, then of their
        # entries) standing for it. Two merged entries never share a grant (their keys differ), so the
        # place of a key's first entry orders them as the merged pairs would be.
        merged: dict[int, tuple[int, Entry, set[str] | None]] = {}
        for h in held:
            for rank, entry, key in zip(h.ranks, h.entries, h.key_ids, strict=True):
                found = merged.get(key)
                if found is None:
                    merged[key] = (rank, entry, None)
                else:
                    sources = found[2] if found[2] is not None else set(found[1][1])
                    sources.update(entry[1])
                    merged[key] = (found[0], found[1], sources)
        out = sorted(merged.values(), key=itemgetter(0))
        return tuple(e if s is None else (e[0], tuple(sorted(s))) for _, e, s in out)


T = TypeVar("T")
_Table = dict[Hashable, tuple[PolicyDocument, Any]]  # a fact per document (kept beside it)


class DocumentFacts:
    """What effective permissions need of each policy document, worked out once per document.

    Principals share documents (a policy attached to thousands of users is one object), so the
    facts are keyed by the document's identity: hashing a whole document would cost more than the
    facts. Each table keeps the document beside its fact, so that no identity is reused while the
    table lives (one computation over one spec)."""

    def __init__(self) -> None:
        self._grants: _Table = {}
        self._assume: _Table = {}
        self._concerns_assume: _Table = {}
        self._plain: _Table = {}
        self._trusted: _Table = {}
        self._conditional: _Table = {}

    @staticmethod
    def _once(
        table: _Table, key: Hashable, document: PolicyDocument, compute: Callable[..., T], *args: Any
    ) -> T:
        """The fact `table` holds for `document` under `key` (its identity, with whatever else the
        fact depends on): `compute(*args)`, on first asking (no closure made per asking: the facts
        are asked for per holder of a document, thousands of times)."""
        found = table.get(key)
        if found is None:
            found = table[key] = (document, compute(*args))
        value: T = found[1]
        return value

    def grants(self, document: PolicyDocument) -> tuple[tuple[int, Grant], ...]:
        return self._once(self._grants, id(document), document, _document_grants, document)

    def assume(self, document: PolicyDocument) -> tuple[frozenset[str], bool]:
        """`assume_resources` of this one document."""
        return self._once(self._assume, id(document), document, _assume_resources, document)

    def concerns_assume(self, document: PolicyDocument) -> bool:
        """Some statement of the document, Allow or Deny, covers sts:AssumeRole (NotAction may):
        the only documents an sts:AssumeRole request's identity-side decision depends on."""
        return self._once(self._concerns_assume, id(document), document, _concerns_assume, document)

    def plain_allow(self, document: PolicyDocument) -> bool:
        """Every statement of the document is an Allow without conditions (a generated assume grant)."""
        return self._once(self._plain, id(document), document, _plain_allow, document)

    def trusted(self, document: PolicyDocument) -> frozenset[str]:
        """The user and role ARNs a trust document of unconditional Allows (a generated trust) lets
        assume the role by naming them literally; empty for any other document. A caller whose ARN is
        one of them is allowed on the trust side: nothing in such a document can deny it."""
        return self._once(self._trusted, id(document), document, _trusted, document)

    def conditional(self, document: PolicyDocument) -> bool:
        """Some statement of the document has a condition."""
        return self._once(self._conditional, id(document), document, _conditional, document)


def _concerns_assume(document: PolicyDocument) -> bool:
    return any(_may_cover_assume(s) for s in document.statements)


def _plain_allow(document: PolicyDocument) -> bool:
    return all(s.effect == "Allow" and not s.conditions for s in document.statements)


def _trusted(document: PolicyDocument) -> frozenset[str]:
    if not _plain_allow(document):
        return frozenset()
    arns: set[str] = set()
    for s in document.statements:
        if s.not_action or s.resources is not None or not _may_cover_assume(s):
            continue
        arns.update(v for v in s.principal_values("RAM") if _literal_entity(v))
    return frozenset(arns)


def _conditional(document: PolicyDocument) -> bool:
    return any(s.conditions for s in document.statements)


def _may_cover_assume(statement: Statement) -> bool:
    """The statement's actions may include sts:AssumeRole (a NotAction always may)."""
    return statement.not_action or any(action_matches(a, ASSUME_ROLE) for a in statement.actions)


def _literal_entity(value: str) -> bool:
    """A RAM user or role ARN without wildcards: the principal it names is itself."""
    entity = parse_ram_entity(value)
    return entity is not None and entity.kind in ("user", "role") and "*" not in value and "?" not in value


def trust_entries(spec: Spec, role_name: str) -> tuple[TrustEntry, ...]:
    out: set[TrustEntry] = set()
    for statement in spec.role_map[role_name].trust_document.statements:
        if statement.effect != "Allow":
            continue
        conditions = conditions_json(statement)
        for principal_type, values in statement.principals or ():
            for value in values:
                out.add(TrustEntry(principal_type, value, conditions))
    return tuple(sorted(out))


def _assume_resources(document: PolicyDocument) -> tuple[frozenset[str], bool]:
    arns: set[str] = set()
    unnamed = False
    for statement in document.statements:
        if statement.effect != "Allow":
            continue
        if not _may_cover_assume(statement):
            continue
        resources = statement.resources or ("*",)
        if statement.not_action or statement.not_resource:
            unnamed = True
            continue
        for resource in resources:
            if "*" in resource or "?" in resource:
                unnamed = True
            else:
                arns.add(resource)
    return frozenset(arns), unnamed


def assume_resources(policies: Iterable[_Held]) -> tuple[frozenset[str], bool]:
    """The role ARNs the Allow statements covering sts:AssumeRole name literally, and whether some
    such statement also reaches roles it does not name (a wildcard, NotResource, NotAction)."""
    arns: frozenset[str] = frozenset()
    unnamed = False
    for policy in policies:
        named, wide = policy.assume
        arns |= named
        unnamed = unnamed or wide
    return arns, unnamed


def compute_effective(spec: Spec, options: EvalOptions = DEFAULT_OPTIONS) -> EffectivePermissions:
    facts = DocumentFacts()
    # Each policy as its holders hold it (the "via" its sources carry), made once for all of them:
    # keyed by the attachment's type and name, which decide its document.
    held_by_ref: dict[tuple[str, str, str], _Held] = {}

    def holding(subject: str) -> tuple[_Held, ...]:
        out = []
        for ref, via in attachments(spec, subject):
            suffix = f" via {via}" if via != subject else ""
            key = (ref.type, ref.name, suffix)
            found = held_by_ref.get(key)
            if found is None:
                named = attached_policy(spec, ref)
                found = held_by_ref[key] = _held(named.name, named.document, suffix, facts)
            out.append(found)
        return tuple(out)

    subjects = [u.subject for u in spec.users] + [g.subject for g in spec.groups]
    subjects += [r.subject for r in spec.roles]
    policies = {subject: holding(subject) for subject in subjects}
    ranking = _Ranking(held_by_ref.values())
    # Principals with the same policies (the members of one group, say) have the same grants.
    by_policies: dict[tuple[_Held, ...], Grants] = {}

    def grants_for(subject: str) -> Grants:
        held = policies[subject]
        found = by_policies.get(held)
        if found is None:
            found = by_policies[held] = ranking.grants(held)
        return found

    # Principals share policies: compile each document once (who holds it does not change a verdict).
    # Keyed by the document's identity: the holders of a policy share its document object, and hashing
    # a whole document costs more than compiling an equal one twice would.
    compiled: dict[tuple[str, int], tuple[PolicyDocument, CompiledPolicy]] = {}

    # The evaluator is loaded only when a decision needs it: generated grants and trusts (most of a
    # large stack) are decided above without it.
    def compile_once(named: NamedPolicy) -> CompiledPolicy:
        from ramstack.evaluate.compile import compile_policy

        key = (named.name, id(named.document))
        found = compiled.get(key)
        if found is None:
            found = compiled[key] = (named.document, compile_policy(replace(named, via=None), options))
        return found[1]

    # Only the principals granted sts:AssumeRole are ever evaluated, and only on sts:AssumeRole: a
    # statement whose action cannot be sts:AssumeRole takes no part in those decisions, so a
    # principal's set holds only its documents that cover it, and principals holding the same such
    # documents share one set (built when first asked for).
    built_sets: dict[tuple[tuple[str, int], ...], PolicySet] = {}

    def identity_set(subject: str) -> PolicySet:
        from ramstack.evaluate.evaluator import PolicySet

        named = [n for n in identity_policies(spec, subject) if facts.concerns_assume(n.document)]
        key = tuple((n.name, id(n.document)) for n in named)
        found = built_sets.get(key)
        if found is None:
            found = built_sets[key] = PolicySet([compile_once(n) for n in named], options)
        return found

    trust_sets: dict[str, PolicySet] = {}

    def trust_set(role_name: str) -> PolicySet:
        from ramstack.evaluate.evaluator import PolicySet

        found = trust_sets.get(role_name)
        if found is None:
            found = trust_sets[role_name] = PolicySet([trust_policy(spec, role_name)], options)
        return found

    role_by_arn = {spec.role_arn(role.name): role for role in spec.roles}

    def conditional(subject: str) -> bool:
        return any(facts.conditional(p.document) for p in policies[subject])

    def assumable(subject: str) -> tuple[Assumable, ...]:
        named, unnamed = assume_resources(policies[subject])
        targets = None if unnamed else named
        if targets is not None and not targets:
            return ()
        caller = caller_for(spec, subject)
        # When every document covering sts:AssumeRole is unconditional Allows, a role ARN one of them
        # names literally is allowed on the identity side: no Deny, no condition can say otherwise,
        # and the identity policies need no compiling (a generated assume grant's holder, mostly).
        plain = all(
            facts.plain_allow(p.document) for p in policies[subject] if facts.concerns_assume(p.document)
        )
        built: list[PolicySet] = []

        def identity() -> PolicySet:
            if not built:
                built.append(identity_set(subject))
            return built[0]

        candidates = (
            role_by_arn if targets is None else {a: role_by_arn[a] for a in targets if a in role_by_arn}
        )
        out = []
        for arn, role in candidates.items():
            if subject == role.subject:
                continue
            # Cheap identity pre-check first; a conditional grant (MFA, source IP) fails it and goes on
            # to the full evaluation, which names the keys the request must carry.
            if (plain and arn in named) or identity().is_allowed(Request(ASSUME_ROLE, arn)):
                # Both sides allow it as it is (evaluate_assume's Allow): no decision to build.
                trust = role.trust_document
                if caller.arn in facts.trusted(trust) or trust_set(role.name).is_allowed(
                    Request(ASSUME_ROLE, arn, caller=caller)
                ):
                    out.append(Assumable(role.subject))
                    continue
            elif not conditional(subject):
                continue
            from ramstack.evaluate.assume import evaluate_assume

            decision = evaluate_assume(caller, arn, trust_set(role.name), identity(), None, options)
            if decision.allowed:
                out.append(Assumable(role.subject))
                continue
            sides = [decision.identity if side == "identity" else decision.trust for side in decision.failed]
            # Denied only for want of request context (not by a Deny or a missing grant): assumable
            # by a request that carries those keys.
            if sides and all(
                d is not None and d.decision == "ImplicitDeny" and d.missing_keys for d in sides
            ):
                keys = sorted({k for d in sides if d is not None for k in d.missing_keys})
                out.append(Assumable(role.subject, tuple(keys)))
        # Roles of other accounts named by ARN: only the identity side is known here (their trust
        # is declared in their own account's stack), so they are listed by ARN and the plan says so.
        # (A wildcard cannot list the roles of another account; the ones named literally still are.)
        for arn in sorted(named):
            if outside_role(arn, spec.account_id) is None:
                continue
            decided = identity().evaluate(Request(ASSUME_ROLE, arn))
            if decided.allowed:
                out.append(Assumable(arn))
            elif decided.decision == "ImplicitDeny" and decided.missing_keys:
                out.append(Assumable(arn, tuple(sorted(decided.missing_keys))))
        return tuple(sorted(out))

    def not_evaluated(subject: str) -> dict[str, object]:
        names = unevaluated_names(policies[subject])
        return {"not_evaluated": names} if names else {}

    principals: list[PrincipalPermissions] = []
    for user in spec.users:
        attributes: dict[str, object] = {
            "access_key": user.access_key,
            "console_login": user.console_login is not None,
        }
        if user.console_login is not None:
            attributes["console_mfa_required"] = user.console_login.mfa_required
        if user.groups:
            attributes["groups"] = sorted(user.groups)
        subject = user.subject
        attributes.update(not_evaluated(subject))
        principals.append(
            PrincipalPermissions(
                subject,
                "user",
                grants_for(subject),
                (),
                assumable(subject),
                tuple(sorted(attributes.items())),
            )
        )
    members_of: dict[str, list[str]] = {}
    for user in spec.users:
        for group_name in user.groups:
            members_of.setdefault(group_name, []).append(user.name)
    for group in spec.groups:
        members = sorted(members_of.get(group.name, ()))
        principals.append(
            PrincipalPermissions(
                group.subject,
                "group",
                grants_for(group.subject),
                (),
                (),
                tuple(sorted({"members": members, **not_evaluated(group.subject)}.items())),
            )
        )
    for role in spec.roles:
        principals.append(
            PrincipalPermissions(
                role.subject,
                "role",
                grants_for(role.subject),
                trust_entries(spec, role.name),
                assumable(role.subject),
                tuple(
                    sorted(
                        {
                            "max_session_duration": role.max_session_duration,
                            **not_evaluated(role.subject),
                        }.items()
                    )
                ),
            )
        )
    return EffectivePermissions(spec.account_id, tuple(sorted(principals, key=lambda p: p.subject)))

"""Access held but not used in the window: per spec principal, the granted actions no recorded call
used, roles never assumed, AccessKeys never used, console users who never signed in.

Grants come from effective permissions (system policies included); a wildcard grant is expanded
through the action catalog, and what the catalog cannot enumerate (a service it does not hold, a
wildcard service code) is said, never guessed. NotAction grants are listed as not checkable.
A user's use counts its own calls; a role's, the calls of its sessions.
"""

from __future__ import annotations

from dataclasses import dataclass

from ramstack.activity.calls import is_placeholder
from ramstack.activity.log import ActivityLog
from ramstack.effective.compute import compute_effective
from ramstack.effective.model import EffectivePermissions, Grant
from ramstack.evaluate import actions_catalog as catalog
from ramstack.evaluate.matchers import PatternSet
from ramstack.spec.model import Spec


@dataclass(frozen=True)
class UnusedGrant:
    action: str  # the grant's pattern
    resource: str
    used: tuple[str, ...]  # recorded actions it covers
    unused: tuple[str, ...]  # catalog actions it covers that nobody called
    complete: bool  # False: the catalog cannot enumerate everything the pattern covers
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "action": self.action,
            "resource": self.resource,
            "used": list(self.used),
            "unused": list(self.unused),
            "complete": self.complete,
            "sources": list(self.sources),
        }


@dataclass(frozen=True)
class PrincipalUsage:
    subject: str
    calls: int
    grants: tuple[UnusedGrant, ...]  # only grants with something unused
    findings: tuple[tuple[str, str], ...]  # (code, message): role never assumed, key never used, ...
    not_checkable: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        return {
            "principal": self.subject,
            "calls": self.calls,
            "unused_grants": [g.to_json() for g in self.grants],
            "findings": [{"code": c, "message": m} for c, m in self.findings],
            "not_checkable": list(self.not_checkable),
        }


@dataclass(frozen=True)
class UnusedReport:
    principals: tuple[PrincipalUsage, ...]
    unknown_principals: tuple[tuple[str, int], ...]

    @property
    def empty(self) -> bool:
        return not any(p.grants or p.findings for p in self.principals)


def _grant_usage(
    pattern: str, resource: str, uses: list[tuple[str, str]], sources: tuple[str, ...]
) -> UnusedGrant:
    """`uses`: the (action, resource) of the principal's recorded calls. A call counts as a use of
    the grant when the grant's action pattern covers its action and its resource pattern covers the
    call's resource (or the event named no resource: then it cannot be ruled out)."""
    matcher = PatternSet.of([pattern], ignore_case=True)
    where = PatternSet.of([resource], ignore_case=False)
    hit = tuple(
        sorted({a for a, r in uses if matcher.matches(a.lower()) and (is_placeholder(r) or where.matches(r))})
    )
    expansion = catalog.expand(pattern)
    hit_lower = {a.lower() for a in hit}
    unused = tuple(sorted(a for a in expansion if a.lower() not in hit_lower))
    complete = expansion.complete
    if not expansion and not hit:
        unused = (pattern,)  # a literal action the catalog does not list, never called
    return UnusedGrant(pattern, resource, hit, unused, complete, sources)


@dataclass(frozen=True)
class GrantUsage:
    """One Allow grant of a spec user or role, and what of it the recorded calls used."""

    subject: str
    grant: Grant
    usage: UnusedGrant

    @property
    def never_used(self) -> bool:
        return not self.usage.used

    @property
    def partly_used(self) -> bool:
        return bool(self.usage.used) and bool(self.usage.unused) and self.usage.complete


def grant_usages(
    spec: Spec, log: ActivityLog, effective: EffectivePermissions | None = None
) -> tuple[GrantUsage, ...]:
    """Every Allow grant (NotAction ones excepted) of the spec's users and roles with its usage
    (`effective`: the spec's effective permissions when the caller has them already). The lint
    rules that ask for it share one result through `LintContext.grant_usages`."""
    uses: dict[str, set[tuple[str, str]]] = {}  # distinct (action, resource): contexts do not matter here
    for subject, action, resource, _context in log.uses:
        uses.setdefault(subject, set()).add((action, resource))
    out: list[GrantUsage] = []
    for principal in (effective or compute_effective(spec)).principals:
        if principal.kind == "group":
            continue
        mine = sorted(uses.get(principal.subject, ()))
        for grant, sources in principal.grants:
            if grant.effect != "Allow" or grant.not_action:
                continue
            usage = _grant_usage(grant.action, grant.resource, mine, sources)
            out.append(GrantUsage(principal.subject, grant, usage))
    return tuple(out)


def unused_access(spec: Spec, log: ActivityLog) -> UnusedReport:
    effective = compute_effective(spec)
    credential_findings = _credential_findings(spec, log)
    by_subject: dict[str, list[UnusedGrant]] = {}
    for found in grant_usages(spec, log, effective):
        if found.usage.unused or not found.usage.complete:
            by_subject.setdefault(found.subject, []).append(found.usage)
    out: list[PrincipalUsage] = []
    for principal in effective.principals:
        if principal.kind == "group":
            continue
        subject = principal.subject
        not_checkable = [
            f"NotAction {grant.action} on {grant.resource}: not enumerable"
            for grant, _ in principal.grants
            if grant.effect == "Allow" and grant.not_action
        ]
        findings = credential_findings.get(subject, [])
        calls = sum(u.count for _, u in log.of(subject))
        grants = tuple(by_subject.get(subject, ()))
        out.append(PrincipalUsage(subject, calls, grants, tuple(findings), tuple(not_checkable)))
    declared = {p.subject for p in effective.principals}
    unknown = tuple(sorted((s, n) for s, n in log.principals.items() if s not in declared))
    return UnusedReport(tuple(out), unknown)


def _credential_findings(spec: Spec, log: ActivityLog) -> dict[str, list[tuple[str, str]]]:
    """(code, message) per subject of the rules ACT101-103 (roles never assumed, AccessKeys never
    used, console users who never signed in): the rules are the one implementation of these checks."""
    from ramstack.lint.context import LintContext
    from ramstack.lint.rules.act101_role_never_assumed import RoleNeverAssumed
    from ramstack.lint.rules.act102_access_key_unused import AccessKeyUnused
    from ramstack.lint.rules.act103_console_never_signed_in import ConsoleNeverSignedIn

    context = LintContext(spec, activity=log)
    out: dict[str, list[tuple[str, str]]] = {}
    for rule in (RoleNeverAssumed(), AccessKeyUnused(), ConsoleNeverSignedIn()):
        for finding in rule.check(context):
            out.setdefault(finding.subject, []).append((finding.rule_id, finding.message))
    return out

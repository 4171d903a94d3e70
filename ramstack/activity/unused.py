"""Access held but not used in the window: per spec principal, the granted actions no recorded call
used, roles never assumed, AccessKeys never used, console users who never signed in.

Grants come from effective permissions (system policies included); a wildcard grant is expanded
through the action catalog, and what the catalog cannot enumerate (a service it does not hold, a
wildcard service code) is said, never guessed. NotAction grants are listed as not checkable.
A user's use counts its own calls; a role's, the calls of its sessions.
"""

from __future__ import annotations

from dataclasses import dataclass

from ramstack.activity.log import ActivityLog
from ramstack.effective.compute import compute_effective
from ramstack.evaluate import actions_catalog as catalog
from ramstack.evaluate.matchers import PatternSet
from ramstack.lint.finding import Finding, Severity
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


def _grant_usage(pattern: str, resource: str, used: set[str], sources: tuple[str, ...]) -> UnusedGrant:
    matcher = PatternSet.of([pattern], ignore_case=True)
    hit = tuple(sorted(a for a in used if matcher.matches(a.lower())))
    expansion = catalog.expand(pattern)
    hit_lower = {a.lower() for a in hit}
    unused = tuple(sorted(a for a in expansion if a.lower() not in hit_lower))
    complete = expansion.complete
    if not expansion and not hit:
        unused = (pattern,)  # a literal action the catalog does not list, never called
    return UnusedGrant(pattern, resource, hit, unused, complete, sources)


def unused_access(spec: Spec, log: ActivityLog) -> UnusedReport:
    effective = compute_effective(spec)
    users = spec.user_map
    out: list[PrincipalUsage] = []
    for principal in effective.principals:
        if principal.kind == "group":
            continue
        subject = principal.subject
        used = log.used_actions(subject)
        grants: list[UnusedGrant] = []
        not_checkable: list[str] = []
        for grant, sources in principal.grants:
            if grant.effect != "Allow":
                continue
            if grant.not_action:
                not_checkable.append(f"NotAction {grant.action} on {grant.resource}: not enumerable")
                continue
            usage = _grant_usage(grant.action, grant.resource, used, sources)
            if usage.unused or not usage.complete:
                grants.append(usage)
        findings: list[tuple[str, str]] = []
        name = subject.partition("/")[2]
        if principal.kind == "role" and name not in log.assumed_roles:
            findings.append(("ACT101", f"role {name} was never assumed in the window"))
        user = users.get(name) if principal.kind == "user" else None
        if user is not None and user.access_key and not log.access_keys.get(subject):
            findings.append(("ACT102", f"user {name}'s AccessKey was never used in the window"))
        if user is not None and user.console_login is not None and subject not in log.signins:
            findings.append(("ACT103", f"user {name} never signed in to the console in the window"))
        calls = sum(u.count for _, u in log.of(subject))
        out.append(PrincipalUsage(subject, calls, tuple(grants), tuple(findings), tuple(not_checkable)))
    declared = {p.subject for p in effective.principals}
    unknown = tuple(sorted((s, n) for s, n in log.principals.items() if s not in declared))
    return UnusedReport(tuple(out), unknown)


# A dormant long-term credential is the riskier leftover; unused grants and roles are clean-up.
SEVERITIES = {
    "ACT101": Severity.LOW,
    "ACT102": Severity.MEDIUM,
    "ACT103": Severity.LOW,
    "ACT110": Severity.LOW,
}


def as_findings(report: UnusedReport, spec: Spec) -> list[Finding]:
    """The report as findings (SARIF, like any rule), each located at its principal in the spec."""
    out: list[Finding] = []
    for usage in report.principals:
        kind, _, name = usage.subject.partition("/")
        entity = spec.user_map.get(name) if kind == "user" else spec.role_map.get(name)
        location = entity.location if entity is not None else None
        for code, message in usage.findings:
            out.append(Finding(code, SEVERITIES[code], message, usage.subject, (code,), location))
        for grant in usage.grants:
            message = (
                f"{usage.subject}: {grant.action} on {grant.resource} granted, "
                f"{len(grant.unused)} of its actions never called in the window"
            )
            path = ("ACT110", grant.action, grant.resource)
            out.append(Finding("ACT110", SEVERITIES["ACT110"], message, usage.subject, path, location))
    return sorted(out, key=Finding.sort_key)

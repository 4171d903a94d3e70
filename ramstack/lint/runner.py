"""Run the rules, resolve locations, apply lint.yaml, sort.

Entry points:
    lint_stack(spec, config)        a whole stack (access spec + custom policies + lint.yaml)
    lint_documents(views, kind)     standalone documents (`ramstack lint --policy`, CrossGuard)
    gate(spec, config)              what `pulumi up` refuses to deploy: findings >= ramstack:failOn
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ramstack.diagnostics import Diagnostics
from ramstack.lint.config import LintConfig, Suppression, load_lint_config
from ramstack.lint.context import DocumentView, LintContext, document_context, spec_context
from ramstack.lint.finding import Finding, Severity, sort_findings
from ramstack.lint.locate import Locator, Source
from ramstack.lint.registry import ALL_RULES, DOCUMENT_RULES, RULES
from ramstack.lint.rule import Rule
from ramstack.lint.stackfile import find_lint_file, policies_folder
from ramstack.policy.variables import substitute
from ramstack.source import load_file
from ramstack.spec.config import StackConfig
from ramstack.spec.model import Spec
from ramstack.ui.progress import tick

if TYPE_CHECKING:
    from ramstack.activity.log import ActivityLog
    from ramstack.lint.baseline import Grant


@dataclass(frozen=True)
class LintResult:
    findings: tuple[Finding, ...]  # active findings, sorted
    suppressed: tuple[tuple[Finding, Suppression], ...] = ()

    def at_or_above(self, threshold: Severity | None) -> list[Finding]:
        """Findings at or above `threshold` (None: the gate is off, nothing fails)."""
        if threshold is None:
            return []
        return [f for f in self.findings if f.severity >= threshold]


def fail_threshold(level: str) -> Severity | None:
    """`ramstack:failOn` / `--fail-on` text -> threshold; "none" -> None."""
    return None if level == "none" else Severity.parse(level)


# -- stacks --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StackSources:
    """The located trees of a stack's files and where its lint.yaml is."""

    locator: Locator
    lint_path: Path | None


def stack_sources(spec: Spec, config: StackConfig) -> StackSources:
    quiet = Diagnostics()
    spec_file = spec.file or str(config.spec_path)
    tree = load_file(config.spec_path, quiet, spec_file)
    files = {policy.name: policy.file for policy in spec.policies if policy.file is not None}
    return StackSources(
        Locator(Source(spec_file, tree), _PolicySources(files, config.policy_variables())),
        find_lint_file(policies_folder(config, tree)),
    )


class _PolicySources(Mapping[str, Source]):
    """Custom policy name -> its located file (with the stack's ${variables} substituted), each read
    when a finding about it is first located: a stack of hundreds of policies has findings in few."""

    def __init__(self, files: Mapping[str, str], variables: dict[str, str]) -> None:
        self._files = files
        self._variables = variables
        self._read: dict[str, Source] = {}

    def __getitem__(self, name: str) -> Source:
        found = self._read.get(name)
        if found is None:
            file = self._files[name]
            quiet = Diagnostics()
            raw = load_file(Path(file), quiet, file)
            found = self._read[name] = Source(file, substitute(raw, self._variables, quiet, file=file))
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)


def load_stack_lint_config(
    spec: Spec, config: StackConfig, diags: Diagnostics, sources: StackSources | None = None
) -> LintConfig:
    """The stack's policies/lint.yaml (empty when absent); errors go to `diags`."""
    sources = sources or stack_sources(spec, config)
    path = sources.lint_path
    return load_lint_config(path, diags, RULES, display=_display(path) if path else None)


def lint_stack(
    spec: Spec,
    config: StackConfig,
    *,
    lint_config: LintConfig | None = None,
    baseline: Iterable[Grant] | None = None,
    rules: Sequence[Rule] = ALL_RULES,
    today: date | None = None,
    activity: ActivityLog | None = None,
    sources: StackSources | None = None,
) -> LintResult:
    """Lint a whole stack. Raises InvalidInput when lint.yaml has errors and none was passed in.
    With `activity` (recorded calls) the activity rules (ACT1nn) run too; `sources` are the stack's
    located files when the caller has already read them (stack_sources)."""
    sources = sources or stack_sources(spec, config)
    if lint_config is None:
        diags = Diagnostics()
        lint_config = load_stack_lint_config(spec, config, diags, sources)
        diags.raise_if_errors()
    locator = replace(sources.locator, lint=_lint_source(lint_config))
    return lint_spec(
        spec, lint_config, locator=locator, baseline=baseline, rules=rules, today=today, activity=activity
    )


def lint_spec(
    spec: Spec,
    lint_config: LintConfig | None = None,
    *,
    locator: Locator | None = None,
    baseline: Iterable[Grant] | None = None,
    rules: Sequence[Rule] = ALL_RULES,
    today: date | None = None,
    access_keys: Mapping[str, int] | None = None,
    report_unused: bool = True,
    activity: ActivityLog | None = None,
) -> LintResult:
    """Lint a spec already in memory (no files read: locations come from `locator` only).

    `access_keys` (user name -> count) replaces what the spec declares, for callers that see real
    keys (the CrossGuard pack); `report_unused=False` skips LP002 when other runs consume part of
    the suppressions. `activity` (recorded calls in a window) feeds the activity rules (ACT1nn);
    without it they yield nothing and their suppressions are not reported unused."""
    lint_config = lint_config or LintConfig()
    context = spec_context(spec, lint_config.options)
    if access_keys is not None:
        context = replace(context, access_keys=dict(access_keys))
    if activity is not None:
        context = replace(context, activity=activity)
    raw = _check(rules, context)
    if baseline is not None and any(r.id == "LP003" for r in rules):
        raw += _new_access(spec, frozenset(baseline))
    ran = {r.id for r in rules if activity is not None or r.scope != "activity"}
    return _finish(raw, lint_config, locator, today, report_unused=report_unused, ran=ran)


def gate(spec: Spec, config: StackConfig) -> list[Finding]:
    """Findings at or above the stack's `ramstack:failOn`, after lint.yaml; [] when failOn is none.

    For the Pulumi program: deploy only when this is empty. Raises InvalidInput (located LINT0nn
    diagnostics) when policies/lint.yaml itself is invalid.
    """
    threshold = fail_threshold(config.fail_on)
    if threshold is None:
        return []
    return lint_stack(spec, config).at_or_above(threshold)


# -- standalone documents -----------------------------------------------------------------------


def lint_documents(
    views: Sequence[DocumentView],
    kind: str = "permission",
    *,
    lint_config: LintConfig | None = None,
    sources: Mapping[str, Source] | None = None,
    rules: Sequence[Rule] = DOCUMENT_RULES,
    today: date | None = None,
) -> LintResult:
    """Lint documents without a spec; `sources` maps a view's root key to its located file."""
    lint_config = lint_config or LintConfig()
    context = document_context(tuple(views), kind, lint_config.options)
    raw = _check([r for r in rules if r.scope in ("document", "trust")], context)
    locator = Locator(policies=dict(sources or {}), lint=_lint_source(lint_config))
    return _finish(raw, lint_config, locator, today, report_unused=False)


# -- the engine ---------------------------------------------------------------------------------


def _check(rules: Iterable[Rule], context: LintContext) -> list[Finding]:
    found: list[Finding] = []
    for rule in rules:
        if rule.scope != "engine":
            found += rule.check(context)
            tick()  # the verb's progress line, if one is open
    return found


def _new_access(spec: Spec, baseline: frozenset[Grant]) -> list[Finding]:
    from ramstack.lint.baseline import effective_grants, new_grants  # computes effective permissions

    rule = RULES["LP003"]
    grants = effective_grants(spec)
    out = []
    for grant in new_grants(grants, baseline):
        principal = grant[0]
        origin = grants[grant]
        out.append(
            rule.finding(
                principal,
                f"{principal} gains {origin.text} (from {origin.policy}), not in the baseline",
                origin.path,
            )
        )
    return out


def _finish(
    raw: list[Finding],
    lint_config: LintConfig,
    locator: Locator | None,
    today: date | None,
    *,
    report_unused: bool,
    ran: set[str] | None = None,
) -> LintResult:
    today = today or date.today()
    by_key = {(s.rule, s.subject): s for s in lint_config.suppressions}
    active: list[Finding] = []
    suppressed: list[tuple[Finding, Suppression]] = []
    matched: set[int] = set()
    for finding in raw:
        hit = by_key.get((finding.rule_id, finding.subject))
        if hit is not None:
            matched.add(hit.index)
        if hit is None or hit.expired(today):
            active.append(finding)
        else:
            suppressed.append((finding, hit))
    for entry in lint_config.suppressions:
        used = entry.index in matched
        if not used and ran is not None and entry.rule not in ran and RULES[entry.rule].scope == "activity":
            continue  # an activity rule's suppression, in a run without events: not judged
        if entry.expired(today) and (used or report_unused):
            active.append(
                RULES["LP001"].finding(
                    entry.subject,
                    f"suppression of {entry.rule} for {entry.subject} expired on {entry.expires}; "
                    f"{'the finding is reported again' if used else 'it matches nothing now'} "
                    f"(reason was: {entry.reason})",
                    entry.path,
                )
            )
        elif not used and report_unused:
            active.append(
                RULES["LP002"].finding(
                    entry.subject,
                    f"suppression of {entry.rule} for {entry.subject} matches no finding",
                    entry.path,
                )
            )

    def settle(finding: Finding) -> Finding:
        severity = lint_config.severities.get(finding.rule_id, finding.severity)
        location = finding.location or (locator.locate(finding.path) if locator else None)
        return replace(finding, severity=severity, location=location)

    return LintResult(
        tuple(sort_findings([settle(f) for f in active])),
        tuple(sorted(((settle(f), s) for f, s in suppressed), key=lambda pair: pair[0].sort_key())),
    )


def _lint_source(lint_config: LintConfig) -> Source | None:
    if lint_config.file is None:
        return None
    quiet = Diagnostics()
    tree: Any = load_file(Path(lint_config.file), quiet, lint_config.file)
    return Source(lint_config.file, tree)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the folder, or a symlink loop
        return str(path)

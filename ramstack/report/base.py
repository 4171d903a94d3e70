"""What every formatter renders: the findings of one lint run plus the metadata of its rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ramstack.lint.config import Suppression
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.registry import RULES
from ramstack.lint.rule import Rule
from ramstack.lint.runner import LintResult

TOOL_NAME = "ramstack"


def installed_version() -> str:
    from importlib import metadata  # ~25 ms of imports: paid only by the formats that show it

    try:
        return metadata.version("ramstack")
    except metadata.PackageNotFoundError:
        return "0.0.0"


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    suppressed: tuple[tuple[Finding, Suppression], ...] = ()
    threshold: Severity | None = Severity.HIGH  # findings at or above fail the run; None: nothing fails
    rules: Mapping[str, Rule] = field(default_factory=lambda: RULES)
    version: str | None = None  # None: the installed ramstack's (`tool_version`)

    @classmethod
    def of(cls, result: LintResult, threshold: Severity | None = Severity.HIGH) -> Report:
        return cls(result.findings, result.suppressed, threshold)

    def tool_version(self) -> str:
        """The version a report names its tool with: `version`, else the installed one."""
        return self.version if self.version is not None else installed_version()

    @property
    def failing(self) -> list[Finding]:
        if self.threshold is None:
            return []
        return [f for f in self.findings if f.severity >= self.threshold]

    def counts(self) -> dict[Severity, int]:
        out = {s: 0 for s in sorted(Severity, reverse=True)}
        for finding in self.findings:
            out[finding.severity] += 1
        return out

    def summary(self) -> str:
        if not self.findings:
            tail = f", {len(self.suppressed)} suppressed" if self.suppressed else ""
            return f"no findings{tail}"
        parts = [f"{n} {s.label}" for s, n in self.counts().items() if n]
        total = len(self.findings)
        text = f"{total} finding{'s' if total != 1 else ''} ({', '.join(parts)})"
        if self.suppressed:
            text += f", {len(self.suppressed)} suppressed"
        if self.threshold is not None:
            text += f"; {len(self.failing)} at or above {self.threshold.label}"
        return text


Formatter = Callable[[Report], str]

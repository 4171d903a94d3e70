"""Lint findings and their severity ladder.

A rule emits a `Finding` with a `path` into the spec or a policy document; the runner resolves the
path to a `Location` (rules never compute line numbers) and applies lint.yaml overrides.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ramstack.diagnostics import Location

PathElement = str | int
FindingPath = tuple[PathElement, ...]


class Severity(IntEnum):
    INFO = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3
    CRITICAL = 4

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Lower-case name, as written in lint.yaml, --fail-on and ramstack:failOn."""
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """`"high"` / `"HIGH"` -> Severity.HIGH; ValueError for anything else."""
        try:
            return cls[text.strip().upper()]
        except KeyError:
            names = ", ".join(s.label for s in cls)
            raise ValueError(f"unknown severity {text!r} (one of {names})") from None


SEVERITY_NAMES: tuple[str, ...] = tuple(s.label for s in Severity)


@dataclass(frozen=True)
class Finding:
    """One lint result. `subject` names what it is about (`role/ci-deployer`, `policy/app-read`)."""

    rule_id: str
    severity: Severity
    message: str
    subject: str
    path: FindingPath = ()
    location: Location | None = None

    def sort_key(self) -> tuple[str, int, int, str, str, str]:
        loc = self.location
        if loc is None:
            return ("", 0, 0, self.rule_id, self.subject, self.message)
        return (loc.file, loc.line, loc.column, self.rule_id, self.subject, self.message)


def sort_findings(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    """Stable report order: (file, line, column, rule id), then subject and message."""
    return sorted(set(findings), key=Finding.sort_key)

"""LP002: a suppression in lint.yaml that matches no finding (reported by the runner)."""

from __future__ import annotations

from ramstack.lint.finding import Severity
from ramstack.lint.rule import Rule


class UnusedSuppression(Rule):
    id = "LP002"
    title = "Suppression matches nothing"
    default_severity = Severity.LOW
    scope = "engine"
    rationale = (
        "A suppression whose finding is gone (fixed, renamed subject) would silently hide the problem if "
        "it ever came back."
    )
    fix = "Delete the suppression from policies/lint.yaml."

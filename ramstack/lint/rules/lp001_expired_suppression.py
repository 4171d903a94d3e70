"""LP001: a suppression in lint.yaml has passed its `expires:` date (reported by the runner)."""

from __future__ import annotations

from ramstack.lint.finding import Severity
from ramstack.lint.rule import Rule


class ExpiredSuppression(Rule):
    id = "LP001"
    title = "Suppression expired"
    default_severity = Severity.LOW
    scope = "engine"
    rationale = (
        "An exception with an expiry date is a promise to revisit it; once the date passes the suppression "
        "stops working, the finding it hid is reported again, and this finding says why."
    )
    fix = "Fix the finding, or renew the suppression with a new expires: date and an updated reason."

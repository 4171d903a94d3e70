"""LP003: a grant that the baseline (`--baseline permissions.<stack>.lock.json`) does not contain."""

from __future__ import annotations

from ramstack.lint.finding import Severity
from ramstack.lint.rule import Rule


class NewAccess(Rule):
    id = "LP003"
    title = "Grant not in the baseline (new access)"
    default_severity = Severity.HIGH
    scope = "engine"
    rationale = (
        "With a baseline, every Allow that is not already in it is new access: a reviewer approves it by "
        "regenerating the lock file in the same change, so no permission grows unnoticed."
    )
    fix = "If the new access is intended, regenerate the lock file (ramstack lock) and commit it."

"""LP503: a user has more AccessKey pairs than the stack allows.

The spec declares at most one key per user (`access_key: true`); imported state and the CrossGuard
pack count real keys (RAM allows two). `options.max_access_keys_per_user` in lint.yaml sets the limit:
1 by default, 0 for a stack that allows no long-lived keys at all.
"""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class AccessKeyCount(Rule):
    id = "LP503"
    title = "More AccessKeys than allowed"
    default_severity = Severity.MEDIUM
    rationale = (
        "Every AccessKey is a long-lived secret; a second key is usually a rotation never finished, and "
        "stacks that run on STS or OIDC need none."
    )
    fix = (
        "Delete the extra keys (rotate: create, switch, delete); to allow keys, raise "
        "options.max_access_keys_per_user in policies/lint.yaml."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        limit = context.options.max_access_keys_per_user
        for user in context.spec.users if context.spec else ():
            count = context.access_keys.get(user.name, 0)
            if count > limit:
                yield self.finding(
                    user.subject,
                    f"{user.subject} has {count} AccessKey{'s' if count > 1 else ''}; "
                    f"the stack allows {limit} per user",
                    ("users", user.name, "access_key"),
                )

"""LP504: a custom policy document that no user, group or role attaches."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule


class UnusedCustomPolicy(Rule):
    id = "LP504"
    title = "Custom policy attached nowhere"
    default_severity = Severity.LOW
    rationale = (
        "An unattached policy is still created in the account; someone may attach it by hand later, "
        "outside review, and it counts against the custom-policy quota."
    )
    fix = "Attach it where it is needed, or delete the file from policies/."

    def check(self, context: LintContext) -> Iterator[Finding]:
        if context.spec is None:
            return
        attached = {ref.name for _, p in context.principals() for ref in p.policies if ref.type == "Custom"}
        for policy in context.spec.policies:
            if policy.generated_for is None and policy.name not in attached:
                yield self.finding(
                    f"policy/{policy.name}",
                    f"policy/{policy.name} is attached to no user, group or role",
                    ("policies", policy.name),
                )

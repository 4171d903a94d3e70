"""LP209: permissions-management actions (policies, ACLs) allowed on every resource of a service.

The access level comes from the bundled action catalog (ramstack catalog ACTION): a write that
changes who may do what, such as oss:PutBucketPolicy, oss:PutBucketAcl or kms:PutKeyPolicy. RAM's
identity administration (ram:, sts:) is LP204's, a whole service (`oss:*`) LP202's, `*` LP201's.
"""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.evaluate.actions_catalog import access_level, expand
from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import allow_statements
from ramstack.lint.rules.lp201_action_star import FULL_WILDCARDS
from ramstack.policy.actions import parse_action

_IDENTITY_SERVICES = ("ram", "sts")  # LP204 decides which of their grants escalate


def _every_resource(resource: str) -> bool:
    """`*`, or an ARN whose resource part is `*` (acs:oss:*:*:*)."""
    return resource == "*" or (resource.startswith("acs:") and resource.rsplit(":", 1)[-1] == "*")


class PermissionsManagementEverywhere(Rule):
    id = "LP209"
    title = "Permissions-management actions on every resource"
    default_severity = Severity.MEDIUM
    scope = "document"
    rationale = (
        "Actions whose access level is permissions-management (oss:PutBucketPolicy, oss:PutBucketAcl, "
        "kms:PutKeyPolicy...) decide who else may use a resource; on every resource of the account they "
        "let the holder open any bucket or key to anyone, including resources created later. The level "
        "is the bundled action catalog's (ramstack catalog ACTION); RAM's own actions are LP204's."
    )
    fix = (
        "Name the resources the workload administers (acs:oss:*:*:my-bucket), or drop the action and "
        "keep the read or write actions it needs."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in allow_statements(view):
                if statement.not_action:
                    continue
                if not (statement.not_resource or any(map(_every_resource, statement.resources or ("*",)))):
                    continue
                for pattern in statement.actions:
                    parsed = parse_action(pattern)
                    if pattern in FULL_WILDCARDS or parsed is None or parsed.operation == "*":
                        continue
                    if parsed.service.lower() in _IDENTITY_SERVICES:
                        continue
                    hits = [a for a in expand(pattern) if access_level(a) == "permissions-management"]
                    if not hits:
                        continue
                    shown = ", ".join(hits[:5]) + (f" and {len(hits) - 5} more" if len(hits) > 5 else "")
                    via = "" if hits == [pattern] else f" via {pattern!r}"
                    yield self.finding(
                        view.subject,
                        f"{view.subject} statement {index + 1} allows {shown}{via} on every resource",
                        view.path(index, "Action", pattern),
                    )

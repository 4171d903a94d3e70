"""LP301: Resource "*" for a service whose resources can be named.

The table lists services whose RAM authorization documents resource ARNs, with the operations that
only work on "*" (account-level listing and creation). Services left out on purpose:
    ice  IMS documents its resource as acs:ice:*:<uid>:* (no narrower form), so "*" loses little
    vod  resource-level authorization for VOD is UNCONFIRMED in the reference
Extend the table when a service's ARN form is confirmed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import allow_statements
from ramstack.policy.actions import parse_action


@dataclass(frozen=True)
class Narrowable:
    arn: str  # the documented ARN form, shown in the message
    star_only: tuple[str, ...]  # operations that need Resource "*"


NARROWABLE: dict[str, Narrowable] = {
    "oss": Narrowable("acs:oss:*:<account>:<bucket>[/<object>]", ("ListBuckets", "GetService", "PutBucket")),
    "imm": Narrowable("acs:imm:<region>:<account>:project/<name>", ("ListProjects", "CreateProject")),
}


class ResourceStar(Rule):
    id = "LP301"
    title = 'Resource "*" where the service supports narrower ARNs'
    default_severity = Severity.MEDIUM
    scope = "document"
    rationale = (
        'Resource "*" applies the actions to every bucket or project of the account, present and future; '
        "OSS and IMM accept ARNs that name the bucket, object prefix or project."
    )
    fix = (
        "Name the resources, e.g. acs:oss:*:*:my-bucket/uploads/* or "
        "acs:imm:${region}:${accountId}:project/my-project."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.documents:
            for index, statement in allow_statements(view):
                if statement.not_action or statement.not_resource or "*" not in (statement.resources or ()):
                    continue
                services = sorted({s for a in statement.actions if (s := self._narrowable(a))})
                if services:
                    forms = "; ".join(f"{s}: {NARROWABLE[s].arn}" for s in services)
                    yield self.finding(
                        view.subject,
                        f"{view.subject} statement {index + 1} applies {', '.join(services)} actions to "
                        f'Resource "*" ({forms})',
                        view.path(index, "Resource", "*"),
                    )

    @staticmethod
    def _narrowable(text: str) -> str | None:
        """The table service of an action that could be scoped; wildcard operations always count."""
        action = parse_action(text)
        if action is None:
            return None
        service = action.service.lower()
        entry = NARROWABLE.get(service)
        if entry is None:
            return None
        exact = "*" not in action.operation and "?" not in action.operation
        if exact and action.operation.lower() in {op.lower() for op in entry.star_only}:
            return None
        return service

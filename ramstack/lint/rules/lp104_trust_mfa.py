"""LP104: RAM user principals may assume a role without MFA although MFA is asked for."""

from __future__ import annotations

from collections.abc import Iterator

from ramstack.lint.context import DocumentView, LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule
from ramstack.lint.rules._facts import mentions_mfa, requires_mfa
from ramstack.policy.arn import RamEntity


class TrustWithoutMfa(Rule):
    id = "LP104"
    title = "RAM users may assume the role without MFA"
    default_severity = Severity.MEDIUM
    scope = "trust"
    rationale = (
        "MFA is asked for when lint.yaml sets options.require_mfa, when another statement of the same trust "
        "policy already conditions on acs:MFAPresent, or when a trusted user signs in to the console (a "
        "person). A statement without the condition lets a stolen password or AccessKey assume the role."
    )
    fix = 'Set trust.require_mfa: true (adds Bool acs:MFAPresent "true" to the RAM principals\' statement).'

    def check(self, context: LintContext) -> Iterator[Finding]:
        for view in context.trusts:
            asked = self._asked(context, view)
            for index, statement in view.statements():
                if statement.effect != "Allow" or requires_mfa(statement):
                    continue
                for value in statement.principal_values("RAM"):
                    entity = context.ram_entity(value)
                    if entity is None or entity.kind not in ("user", "root"):
                        continue
                    reason = asked or self._person(context, entity)
                    if reason:
                        yield self.finding(
                            view.subject,
                            f"{view.subject} lets {value} assume it without acs:MFAPresent ({reason})",
                            view.path(index, "Principal", "RAM", value),
                        )

    @staticmethod
    def _asked(context: LintContext, view: DocumentView) -> str | None:
        if context.options.require_mfa:
            return "lint.yaml options.require_mfa is set"
        if any(mentions_mfa(s) for s in view.document.statements):
            return "another statement of this trust policy requires MFA"
        return None

    @staticmethod
    def _person(context: LintContext, entity: RamEntity) -> str | None:
        spec = context.spec
        if spec is None or entity.kind != "user" or entity.name is None:
            return None
        if spec.account_id and entity.account != spec.account_id:
            return None
        found = spec.user_map.get(entity.name)
        if found is not None and found.console_login is not None:
            return f"user {entity.name} signs in to the console"
        return None

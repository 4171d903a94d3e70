"""The explicit rule registry: add a rule here, by hand, in id order. Duplicate ids fail at import.

Ids (house convention): LP0nn engine findings (suppressions, baseline), LP1nn trust, LP2nn actions,
LP3nn resources, LP4nn conditions, LP5nn identity hygiene; ACT1nn recorded activity (ActionTrail
events: `lint --events`, `unused`). Ids never encode severity.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from types import MappingProxyType

from ramstack.lint.rule import SCOPES, Rule
from ramstack.lint.rules.act101_role_never_assumed import RoleNeverAssumed
from ramstack.lint.rules.act102_access_key_unused import AccessKeyUnused
from ramstack.lint.rules.act103_console_never_signed_in import ConsoleNeverSignedIn
from ramstack.lint.rules.act110_grant_partly_used import GrantPartlyUsed
from ramstack.lint.rules.act111_grant_never_used import GrantNeverUsed
from ramstack.lint.rules.lp001_expired_suppression import ExpiredSuppression
from ramstack.lint.rules.lp002_unused_suppression import UnusedSuppression
from ramstack.lint.rules.lp003_new_access import NewAccess
from ramstack.lint.rules.lp101_trust_account_root import TrustAccountRoot
from ramstack.lint.rules.lp102_trust_anyone import TrustAnyone
from ramstack.lint.rules.lp103_oidc_unconditioned import OidcUnconditioned
from ramstack.lint.rules.lp104_trust_mfa import TrustWithoutMfa
from ramstack.lint.rules.lp201_action_star import ActionStar
from ramstack.lint.rules.lp202_service_star import ServiceStar
from ramstack.lint.rules.lp203_allow_not_action import AllowNotAction
from ramstack.lint.rules.lp204_escalation import EscalationActions
from ramstack.lint.rules.lp205_assume_any_role import AssumeAnyRole
from ramstack.lint.rules.lp206_administrator_access import AdministratorAccess
from ramstack.lint.rules.lp207_full_access import FullAccess
from ramstack.lint.rules.lp208_unknown_action import UnknownAction
from ramstack.lint.rules.lp209_permissions_management_everywhere import PermissionsManagementEverywhere
from ramstack.lint.rules.lp301_resource_star import ResourceStar
from ramstack.lint.rules.lp302_arn_account_wildcard import ArnAccountWildcard
from ramstack.lint.rules.lp303_allow_not_resource import AllowNotResource
from ramstack.lint.rules.lp304_resource_never_matches import ResourceNeverMatches
from ramstack.lint.rules.lp401_unknown_condition_key import UnknownConditionKey
from ramstack.lint.rules.lp402_ip_range import IpConditionRange
from ramstack.lint.rules.lp501_console_without_mfa import ConsoleWithoutMfa
from ramstack.lint.rules.lp502_console_and_access_key import ConsoleAndAccessKey
from ramstack.lint.rules.lp503_access_key_count import AccessKeyCount
from ramstack.lint.rules.lp504_unused_custom_policy import UnusedCustomPolicy
from ramstack.lint.rules.lp505_shadowed_statement import ShadowedStatement
from ramstack.lint.rules.lp506_policy_size import PolicySize
from ramstack.lint.rules.lp507_long_session import LongSession

RULE_ID = re.compile(r"LP[0-5][0-9]{2}|ACT1[0-9]{2}")


class DuplicateRuleError(ValueError):
    def __init__(self, rule_id: str) -> None:
        super().__init__(f"rule id {rule_id} is registered twice")
        self.rule_id = rule_id


ALL_RULES: tuple[Rule, ...] = (
    RoleNeverAssumed(),
    AccessKeyUnused(),
    ConsoleNeverSignedIn(),
    GrantPartlyUsed(),
    GrantNeverUsed(),
    ExpiredSuppression(),
    UnusedSuppression(),
    NewAccess(),
    TrustAccountRoot(),
    TrustAnyone(),
    OidcUnconditioned(),
    TrustWithoutMfa(),
    ActionStar(),
    ServiceStar(),
    AllowNotAction(),
    EscalationActions(),
    AssumeAnyRole(),
    AdministratorAccess(),
    FullAccess(),
    UnknownAction(),
    PermissionsManagementEverywhere(),
    ResourceStar(),
    ArnAccountWildcard(),
    AllowNotResource(),
    ResourceNeverMatches(),
    UnknownConditionKey(),
    IpConditionRange(),
    ConsoleWithoutMfa(),
    ConsoleAndAccessKey(),
    AccessKeyCount(),
    UnusedCustomPolicy(),
    ShadowedStatement(),
    PolicySize(),
    LongSession(),
)


def index_rules(rules: Iterable[Rule]) -> Mapping[str, Rule]:
    """id -> rule; refuses duplicate or malformed ids and unknown scopes."""
    out: dict[str, Rule] = {}
    for rule in rules:
        if not RULE_ID.fullmatch(rule.id):
            raise ValueError(f"rule id {rule.id!r} is not LPnnn (categories 0-5) or ACT1nn")
        if rule.scope not in SCOPES:
            raise ValueError(f"rule {rule.id} has unknown scope {rule.scope!r}")
        if rule.id in out:
            raise DuplicateRuleError(rule.id)
        out[rule.id] = rule
    return MappingProxyType(out)


RULES: Mapping[str, Rule] = index_rules(ALL_RULES)

# Rules whose input is a policy document alone: what `lint --policy` and the CrossGuard resource
# policy run.
DOCUMENT_RULES: tuple[Rule, ...] = tuple(r for r in ALL_RULES if r.scope in ("document", "trust"))
# Rules that need the principals of a spec (or of a Pulumi stack).
SPEC_RULES: tuple[Rule, ...] = tuple(r for r in ALL_RULES if r.scope == "spec")
# Rules that need recorded activity as well as the spec (`ramstack unused`, `lint --events`).
ACTIVITY_RULES: tuple[Rule, ...] = tuple(r for r in ALL_RULES if r.scope == "activity")

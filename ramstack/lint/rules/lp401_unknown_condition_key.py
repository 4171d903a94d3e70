"""LP401: a condition key outside the documented list.

Known keys (reference §1): the global `acs:` keys below, `acs:ResourceTag/<k>` and `acs:RequestTag/<k>`,
the federation keys `oidc:iss`, `oidc:aud`, `oidc:sub` and `saml:recipient`. Service keys
(`<ram-code>:<key>`, e.g. `oss:Prefix`, `ecs:tag/<k>`, `ram:ServiceName`) are documented per service
and cannot be checked offline, so any key under a service prefix passes; what is flagged is an `acs:`,
`oidc:` or `saml:` key outside the lists (typos such as acs:SourceIP) and a key with no prefix.
lint.yaml `options.condition_keys` and `options.condition_key_prefixes` extend the lists.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from ramstack.lint.context import LintContext
from ramstack.lint.finding import Finding, Severity
from ramstack.lint.rule import Rule

ACS_KEYS: tuple[str, ...] = (
    "acs:CurrentTime",
    "acs:SecureTransport",
    "acs:SourceIp",
    "acs:MFAPresent",
    "acs:SourceVpc",
    "acs:PrincipalARN",
    "acs:Service",
    "acs:UserAgent",  # in Alibaba's OSS RAM policy examples
)
GLOBAL_NAMESPACES = ("acs", "oidc", "saml", "aws")  # aws: keys pasted from AWS policies mean nothing here
_SERVICE_KEY = re.compile(r"[a-z0-9][a-z0-9-]*:.+", re.DOTALL)
ACS_PREFIXES: tuple[str, ...] = ("acs:ResourceTag/", "acs:RequestTag/")
FEDERATION_KEYS: tuple[str, ...] = ("oidc:iss", "oidc:aud", "oidc:sub", "saml:recipient")


class UnknownConditionKey(Rule):
    id = "LP401"
    title = "Unknown condition key"
    default_severity = Severity.MEDIUM
    scope = "document"
    rationale = (
        "RAM does not reject unknown keys: a condition on a key the request never carries never matches, "
        "so an Allow silently grants nothing and a Deny silently protects nothing."
    )
    fix = (
        "Use a documented key (acs:SourceIp, acs:SecureTransport, acs:MFAPresent, acs:CurrentTime, "
        "acs:SourceVpc, ...); if the key is real, add it to options.condition_keys in policies/lint.yaml."
    )

    def check(self, context: LintContext) -> Iterator[Finding]:
        known = {k.lower(): k for k in (*ACS_KEYS, *FEDERATION_KEYS, *context.options.condition_keys)}
        prefixes = tuple(p.lower() for p in (*ACS_PREFIXES, *context.options.condition_key_prefixes))
        for view in (*context.documents, *context.trusts):
            for index, statement in view.statements():
                for clause in statement.conditions:
                    key = clause.key
                    if key in known.values() or key.lower().startswith(prefixes):
                        continue
                    namespace = key.partition(":")[0].lower()
                    if _SERVICE_KEY.fullmatch(key) and namespace not in GLOBAL_NAMESPACES:
                        continue  # a service key: documented per service, not checkable offline
                    hint = known.get(key.lower())
                    if hint is None:
                        close = difflib.get_close_matches(key, list(known.values()), n=1, cutoff=0.75)
                        hint = close[0] if close else None
                    also = f"; did you mean {hint}?" if hint else ""
                    yield self.finding(
                        view.subject,
                        f"{view.subject} statement {index + 1} conditions on unknown key {key!r}{also}",
                        view.path(index, "Condition", clause.operator, key),
                    )

"""RAM naming rules, worded as the RAM API words them (API 2015-05-01, reference §4).

Shared by the spec loader (so a bad name fails before anything is registered) and the fake cloud
(so tests see the API's own error codes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class NameRule:
    field: str  # the API parameter, e.g. "UserName"
    min_len: int
    max_len: int
    pattern: re.Pattern[str] | None
    allowed: str  # the API's words for the character set

    def problem(self, value: str) -> tuple[str, str] | None:
        """(error-code suffix, message) when `value` breaks the rule, else None."""
        if not self.min_len <= len(value) <= self.max_len:
            return (
                "Length",
                f"The parameter {self.field} must be {self.min_len} to {self.max_len} characters long"
                f" (got {len(value)})",
            )
        if self.pattern is not None and not self.pattern.fullmatch(value):
            return (
                "InvalidChars",
                f"The parameter {self.field} can contain only {self.allowed} (got {value!r})",
            )
        return None

    def error_code(self, suffix: str) -> str:
        return f"InvalidParameter.{self.field}.{suffix}"


USER_NAME = NameRule(
    "UserName",
    1,
    64,
    re.compile(r"[A-Za-z0-9._-]+"),
    "letters, digits, periods (.), hyphens (-) and underscores (_)",
)
DISPLAY_NAME = NameRule("DisplayName", 1, 128, None, "any characters")
COMMENTS = NameRule("Comments", 1, 128, None, "any characters")
GROUP_NAME = NameRule(
    "GroupName",
    1,
    64,
    re.compile(r"[A-Za-z0-9._-]+"),
    "letters, digits, periods (.), hyphens (-) and underscores (_)",
)
ROLE_NAME = NameRule(
    "RoleName", 1, 64, re.compile(r"[A-Za-z0-9.-]+"), "letters, digits, periods (.) and hyphens (-)"
)
ROLE_DESCRIPTION = NameRule("Description", 1, 1024, None, "any characters")
POLICY_NAME = NameRule("PolicyName", 1, 128, re.compile(r"[A-Za-z0-9-]+"), "letters, digits and hyphens (-)")
POLICY_DESCRIPTION = NameRule("Description", 1, 1024, None, "any characters")
OIDC_PROVIDER_NAME = NameRule(
    "OIDCProviderName",
    1,
    128,
    re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"),
    "letters, digits, periods (.), hyphens (-) and underscores (_), and cannot start or end with a special"
    " character",
)
ROLE_SESSION_NAME = NameRule(
    "RoleSessionName",
    2,
    64,
    re.compile(r"[A-Za-z0-9.@_-]+"),
    "letters, digits, periods (.), at signs (@), hyphens (-) and underscores (_)",
)

MAX_SESSION_DURATION = (3600, 43200)
ACCOUNT_ID = re.compile(r"[0-9]{1,20}")

# Quotas (reference §4, current values; all adjustable by Alibaba on request, so callers may override).
LIMITS = {
    "users_per_account": 5000,
    "groups_per_user": 10,
    "access_keys_per_user": 2,
    "system_policies_per_principal": 20,
    "custom_policies_per_principal": 10,
    "tags_per_user": 20,
    "groups_per_account": 300,
    "roles_per_account": 1000,
    "custom_policies_per_account": 1500,
    "policy_document_bytes": 6144,
    "versions_per_policy": 5,
    "oidc_providers_per_account": 100,
    "client_ids_per_oidc_provider": 50,
    "fingerprints_per_oidc_provider": 5,
    "session_policy_bytes": 2048,
}

# The quotas Alibaba sets per account (GetAccountSummary returns each account's own *Quota values; the
# Limits page marks them adjustable): `ramstack:quotas` overrides them, the values above are the
# documented defaults. The other LIMITS are fixed by the API.
QUOTAS = (
    "users_per_account",
    "groups_per_account",
    "roles_per_account",
    "custom_policies_per_account",
    "groups_per_user",
    "custom_policies_per_principal",
    "system_policies_per_principal",
    "oidc_providers_per_account",
)

# --- STS / IMS field rules (reference §4, §5); used by the fake cloud and available to the spec loader ---

# DurationSeconds lower bound; the upper bound is the role's MaxSessionDuration
ASSUME_ROLE_DURATION_MIN = 900
EXTERNAL_ID = NameRule(
    "ExternalId",
    2,
    1224,
    re.compile(r"[\w+=,.@:/-]*"),
    "letters, digits and the characters + = , . @ : / - _",
)
OIDC_CLIENT_ID = NameRule(
    "ClientIds", 1, 128, re.compile(r"[^.\-_:/].*", re.DOTALL), "characters that do not start with . - _ : /"
)
OIDC_DESCRIPTION = NameRule("Description", 1, 256, None, "any characters")  # IMS: 1-256, UNCONFIRMED
# Contact fields of CreateUser/UpdateUser: loose shapes; the API's exact rules are UNCONFIRMED beyond
# "<country code>-<number>" (reference §4). The fake and the spec loader share them.
MOBILE_PHONE = re.compile(r"[0-9]{1,4}-[0-9]{4,20}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
OIDC_FINGERPRINT = NameRule("Fingerprints", 1, 128, re.compile(r"[A-Za-z0-9]+"), "letters and digits")
OIDC_ISSUANCE_LIMIT_TIME = (1, 168)  # hours
OIDC_ISSUER_URL_MAX = 255


def issuer_url_problem(url: str) -> str | None:
    """Why `url` is not an acceptable OIDC issuer URL (https; no query, user info or fragment), or None."""
    if not 1 <= len(url) <= OIDC_ISSUER_URL_MAX:
        return f"The issuer URL must be 1 to {OIDC_ISSUER_URL_MAX} characters long (got {len(url)})"
    if not url.startswith("https://") or len(url) == len("https://"):
        return f"The issuer URL must start with https:// and name a host (got {url!r})"
    for char, what in (("?", "a query"), ("#", "a fragment"), ("@", "user information")):
        if char in url:
            return f"The issuer URL cannot contain {what} ({char!r}) (got {url!r})"
    return None

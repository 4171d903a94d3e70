"""STS AssumeRoleWithOIDC: an external IdP's ID token, checked against the IMS OIDC provider (issuer,
client ids, issuance limit) and the role's trust policy (`oidc:iss`, `oidc:aud`, `oidc:sub`).

Codes from Alibaba's STS error-code page (help.aliyun.com/zh/ram/developer-reference/
api-sts-2015-04-01-errorcodes), all HTTP 401: `AuthenticationFail.NoPermission` ("No such OIDC
Provider registered." / "There is no permission"), `AuthenticationFail.OIDCToken.Invalid`,
`.AudienceNotMatch`, `.Expired`, `.InvalidSignature` (errors.py maps them to 401). The
issuer-mismatch and issuance-limit codes are UNCONFIRMED.
The signature is verified with the keys registered for the token's issuer (oidc_keys.py), before any
claim is trusted. Not checked: the provider's certificate fingerprints.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from ramstack.fakecloud.assume_decision import decide_federated
from ramstack.fakecloud.clock import iso8601
from ramstack.fakecloud.errors import CloudError
from ramstack.fakecloud.oidc_keys import VERIFIED_ALGORITHMS, verify_signature
from ramstack.fakecloud.oidc_token import OidcClaims, invalid_token, read_token
from ramstack.fakecloud.service import api
from ramstack.fakecloud.state import OIDCProvider
from ramstack.fakecloud.sts_sessions import DEFAULT_DURATION_SECONDS, SessionIssuer
from ramstack.fakecloud.views import compact

_PROVIDER_ARN = re.compile(r"acs:ram::(?P<account>[0-9]+):oidc-provider/(?P<name>[^/]+)")
# IMS's IssuanceLimitTime when the provider sets none: 12 hours (UNCONFIRMED; the console default).
DEFAULT_ISSUANCE_LIMIT_HOURS = 12
MAX_TOKEN_LENGTH = 20000  # OIDCToken: 4 to 20,000 characters (API metadata)


def _epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


class OidcOperations(SessionIssuer):
    def _oidc_provider(self, arn: str | None) -> OIDCProvider:
        match = _PROVIDER_ARN.fullmatch(arn or "")
        provider = None
        if match is not None and match["account"] == self._ctx.account_id:
            provider = self._ctx.state.oidc_providers.get(match["name"])
        if provider is None:
            raise CloudError("AuthenticationFail.NoPermission", "No such OIDC Provider registered.")
        return provider

    def _check_signature(self, claims: OidcClaims) -> None:
        keys = self._ctx.oidc_keys.get(claims.issuer, [])
        if claims.algorithm not in VERIFIED_ALGORITHMS:
            message = f"The fake verifies RS256, RS384 and RS512 signatures only, not {claims.algorithm}."
        elif not keys:
            message = f"No signing keys are known for the issuer {claims.issuer!r}."
        elif not verify_signature(
            claims.algorithm, claims.signing_input, claims.signature, claims.key_id, keys
        ):
            message = "The signature of the OIDCToken does not verify with the issuer's keys."
        else:
            return
        raise CloudError("AuthenticationFail.OIDCToken.InvalidSignature", message)

    @api("AssumeRoleWithOIDC")
    def assume_role_with_oidc(
        self,
        *,
        role_session_name: str,
        oidc_provider_arn: str | None = None,
        role_arn: str | None = None,
        oidc_token: str | None = None,
        policy: str | None = None,
        duration_seconds: int = DEFAULT_DURATION_SECONDS,
    ) -> dict[str, Any]:
        """Unsigned (no caller): the token is the credential, the trust policy the only decision."""
        now = self._ctx.now()
        if oidc_token is not None and not 4 <= len(oidc_token) <= MAX_TOKEN_LENGTH:
            raise invalid_token(f"The OIDCToken must be 4 to {MAX_TOKEN_LENGTH} characters long.")
        claims = read_token(oidc_token)
        provider = self._oidc_provider(oidc_provider_arn)
        if claims.issuer != provider.issuer_url:
            raise invalid_token(f"Invalid issuer: {claims.issuer!r}.")  # UNCONFIRMED code
        self._check_signature(claims)  # nothing else the token says is trusted before this
        if not set(claims.audiences) & set(provider.client_ids):
            raise CloudError("AuthenticationFail.OIDCToken.AudienceNotMatch", "Invalid audience.")
        if _epoch(claims.expires_at) <= now:
            raise CloudError("AuthenticationFail.OIDCToken.Expired", "This JsonWebToken is expired.")
        limit = timedelta(hours=provider.issuance_limit_time or DEFAULT_ISSUANCE_LIMIT_HOURS)
        if claims.issued_at is not None and now - _epoch(claims.issued_at) > limit:
            # IMS: a token whose iat lies further back than IssuanceLimitTime is refused; code UNCONFIRMED.
            raise CloudError(
                "AuthenticationFail.OIDCToken.Expired",
                f"The token was issued more than {limit} ago (the provider's IssuanceLimitTime).",
            )
        self._check_session_name(role_session_name)
        self._check_policy(policy)
        role = self._role(role_arn or "")
        self._check_duration(role, duration_seconds)
        context = {
            "acs:CurrentTime": iso8601(now),
            "acs:SecureTransport": "true",
            "oidc:iss": claims.issuer,
            "oidc:aud": list(claims.audiences),
            "oidc:sub": claims.subject,
        }
        if not decide_federated(provider.arn, role, context).allowed:
            raise CloudError("AuthenticationFail.NoPermission", "There is no permission")
        issued = self._issue(role, role_session_name, duration_seconds, policy)
        return compact(
            **issued,
            OIDCTokenInfo=compact(
                Subject=claims.subject,
                Issuer=claims.issuer,
                ClientIds=",".join(claims.audiences),
                ExpirationTime=iso8601(_epoch(claims.expires_at)),
                IssuanceTime=None if claims.issued_at is None else iso8601(_epoch(claims.issued_at)),
                VerificationInfo="Success",
            ),
        )

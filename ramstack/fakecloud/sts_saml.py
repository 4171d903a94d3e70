"""STS AssumeRoleWithSAML: a Base64 SAML response from an external IdP, checked against the IMS SAML
provider (Issuer = metadata EntityID), the assertion rules of role-based SSO (saml_assertion.py) and
the role's trust policy (`saml:recipient`).

Codes from the 2021 AssumeRoleWithSAML reference (AlibabaCloudDocs/ram): `MissingParameter.*` (400),
`EntityNotExist.SAMLProvider` / `EntityNotExist.RoleArn` (404),
`AuthenticationFail.SAMLAssertion.Invalid` / `.Expired` (401). A trust refusal's code is UNCONFIRMED
(`AuthenticationFail.NoPermission`, as AssumeRoleWithOIDC answers). Signatures are not verified.
"""

from __future__ import annotations

import re
from typing import Any

from ramstack.fakecloud.assume_decision import decide_federated
from ramstack.fakecloud.clock import iso8601
from ramstack.fakecloud.errors import CloudError, not_exist
from ramstack.fakecloud.saml_assertion import RECIPIENTS, invalid_assertion, read_assertion
from ramstack.fakecloud.service import api
from ramstack.fakecloud.state import SAMLProvider
from ramstack.fakecloud.sts_sessions import DEFAULT_DURATION_SECONDS, SessionIssuer
from ramstack.fakecloud.views import compact

_PROVIDER_ARN = re.compile(r"acs:ram::(?P<account>[0-9]+):saml-provider/(?P<name>[^/]+)")


def _missing(parameter: str) -> CloudError:
    return CloudError(f"MissingParameter.{parameter}", f"Parameter {parameter} is required.")


class SamlOperations(SessionIssuer):
    def _saml_provider(self, arn: str) -> SAMLProvider:
        match = _PROVIDER_ARN.fullmatch(arn)
        provider = None
        if match is not None and match["account"] == self._ctx.account_id:
            provider = self._ctx.state.saml_providers.get(match["name"])
        if provider is None:
            raise not_exist("SAMLProvider", "Can not find SAML provider.")
        return provider

    @api("AssumeRoleWithSAML")
    def assume_role_with_saml(
        self,
        *,
        saml_provider_arn: str | None = None,
        role_arn: str | None = None,
        saml_assertion: str | None = None,
        policy: str | None = None,
        duration_seconds: int = DEFAULT_DURATION_SECONDS,
    ) -> dict[str, Any]:
        """Unsigned (no caller): the assertion is the credential, the trust policy the only decision.
        The session name comes from the assertion's RoleSessionName attribute."""
        for parameter, value in (
            ("SAMLAssertion", saml_assertion),
            ("SAMLProviderArn", saml_provider_arn),
            ("RoleArn", role_arn),
        ):
            if not value:
                raise _missing(parameter)
        assert saml_assertion is not None and saml_provider_arn is not None and role_arn is not None
        provider = self._saml_provider(saml_provider_arn)
        role = self._role(role_arn, missing_code="RoleArn")
        assertion = read_assertion(saml_assertion)
        now = self._ctx.now()
        if assertion.issuer != provider.entity_id:
            raise invalid_assertion("The SAML Assertion's Issuer does not match the provider's EntityID.")
        if assertion.recipient not in RECIPIENTS:
            raise invalid_assertion(f"The SAML Assertion's Recipient must be one of {', '.join(RECIPIENTS)}.")
        if (role_arn, saml_provider_arn) not in assertion.roles:
            raise invalid_assertion(
                "The SAML Assertion's Role attribute does not name this role and provider."
            )
        if assertion.not_on_or_after <= now:
            raise CloudError(
                "AuthenticationFail.SAMLAssertion.Expired", "The SAML Assertion is expired.", 401
            )
        self._check_session_name(assertion.role_session_name)
        self._check_policy(policy)
        self._check_duration(role, duration_seconds)
        context = {
            "acs:CurrentTime": iso8601(now),
            "acs:SecureTransport": "true",
            "saml:recipient": assertion.recipient,
        }
        if not decide_federated(provider.arn, role, context).allowed:
            raise CloudError("AuthenticationFail.NoPermission", "There is no permission", 401)
        issued = self._issue(role, assertion.role_session_name, duration_seconds, policy)
        return compact(
            **issued,
            SAMLAssertionInfo=compact(
                SubjectType=assertion.subject_type,
                Subject=assertion.subject,
                Recipient=assertion.recipient,
                Issuer=assertion.issuer,
            ),
        )

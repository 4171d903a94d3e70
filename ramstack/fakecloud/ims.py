"""The IMS service (API 2019-08-15) of the fake: OIDC identity providers (SAML ones: ims_saml.py).

Error codes for IMS are not in the reference; where one is used here it is marked UNCONFIRMED.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from ramstack import names
from ramstack.fakecloud.arns import oidc_provider_arn
from ramstack.fakecloud.errors import already_exists, invalid, limit_exceeded
from ramstack.fakecloud.ims_saml import SamlProviderOperations
from ramstack.fakecloud.lookups import require_oidc_provider
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import OIDCProvider
from ramstack.fakecloud.validation import check_name, check_optional
from ramstack.fakecloud.views import oidc_provider_view


def _split(values: str | Sequence[str] | None) -> list[str]:
    """The API takes comma-separated strings; Python callers may pass a sequence."""
    if values is None:
        return []
    items = re.split(r"\s*,\s*", values.strip()) if isinstance(values, str) else [v.strip() for v in values]
    return list(dict.fromkeys(v for v in items if v))


class ImsApi(SamlProviderOperations, Service):
    service: ClassVar[str] = "ims"

    def _client_ids(self, values: str | Sequence[str] | None) -> list[str]:
        client_ids = _split(values)
        high = self._ctx.limit("client_ids_per_oidc_provider")
        if len(client_ids) > high:
            raise invalid(
                "ClientIds", f"At most {high} client IDs are allowed (got {len(client_ids)})"
            )  # UNCONFIRMED
        for client_id in client_ids:
            check_name(names.OIDC_CLIENT_ID, client_id)
        return client_ids

    def _issuance_limit_time(self, value: int | None) -> None:
        low, high = names.OIDC_ISSUANCE_LIMIT_TIME
        if value is not None and not low <= value <= high:
            raise invalid(
                "IssuanceLimitTime", f"IssuanceLimitTime must be {low} to {high} hours, got {value}"
            )

    @api("CreateOIDCProvider")
    def create_oidc_provider(
        self,
        *,
        oidc_provider_name: str,
        issuer_url: str,
        client_ids: str | Sequence[str] | None = None,
        fingerprints: str | Sequence[str] | None = None,
        issuance_limit_time: int | None = None,
        description: str | None = None,
    ) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        check_name(names.OIDC_PROVIDER_NAME, oidc_provider_name)
        problem = names.issuer_url_problem(issuer_url)
        if problem is not None:
            raise invalid("IssuerUrl", problem)  # UNCONFIRMED code
        ids = self._client_ids(client_ids)
        prints = _split(fingerprints)
        if len(prints) > ctx.limit("fingerprints_per_oidc_provider"):
            raise invalid(
                "Fingerprints",
                f"At most {ctx.limit('fingerprints_per_oidc_provider')} fingerprints are allowed",
            )
        for fingerprint in prints:
            check_name(names.OIDC_FINGERPRINT, fingerprint)
        self._issuance_limit_time(issuance_limit_time)
        check_optional(names.OIDC_DESCRIPTION, description)
        if oidc_provider_name in state.oidc_providers:
            raise already_exists("OIDCProvider", f"The OIDC provider already exists: {oidc_provider_name}")
        if any(p.issuer_url == issuer_url for p in state.oidc_providers.values()):
            # Seen in user reports, not in Alibaba's reference: UNCONFIRMED.
            raise already_exists(
                "OIDCProvider.Url", f"An OIDC provider with this issuer URL exists: {issuer_url}"
            )
        if len(state.oidc_providers) >= ctx.limit("oidc_providers_per_account"):
            raise limit_exceeded(
                "OIDCProvider", "The account already has the maximum of OIDC providers"
            )  # UNCONFIRMED
        now = ctx.now()
        provider = OIDCProvider(
            oidc_provider_name,
            oidc_provider_arn(ctx.account_id, oidc_provider_name),
            issuer_url,
            now,
            now,
            ids,
            prints,
            issuance_limit_time,
            description,
        )
        state.oidc_providers[oidc_provider_name] = provider
        return {"OIDCProvider": oidc_provider_view(provider, ctx.account_id)}

    @api("GetOIDCProvider")
    def get_oidc_provider(self, *, oidc_provider_name: str) -> dict[str, Any]:
        provider = require_oidc_provider(self._ctx.state, oidc_provider_name)
        return {"OIDCProvider": oidc_provider_view(provider, self._ctx.account_id)}

    @api("UpdateOIDCProvider")
    def update_oidc_provider(
        self,
        *,
        oidc_provider_name: str,
        client_ids: str | Sequence[str] | None = None,
        issuance_limit_time: int | None = None,
        new_description: str | None = None,
    ) -> dict[str, Any]:
        provider = require_oidc_provider(self._ctx.state, oidc_provider_name)
        if client_ids is not None:
            provider.client_ids = self._client_ids(client_ids)
        self._issuance_limit_time(issuance_limit_time)
        check_optional(names.OIDC_DESCRIPTION, new_description, "NewDescription")
        if issuance_limit_time is not None:
            provider.issuance_limit_time = issuance_limit_time
        if new_description is not None:
            provider.description = new_description
        provider.update_date = self._ctx.now()
        return {"OIDCProvider": oidc_provider_view(provider, self._ctx.account_id)}

    @api("DeleteOIDCProvider")
    def delete_oidc_provider(self, *, oidc_provider_name: str) -> dict[str, Any]:
        require_oidc_provider(self._ctx.state, oidc_provider_name)
        del self._ctx.state.oidc_providers[oidc_provider_name]
        return {}

    @api("ListOIDCProviders")
    def list_oidc_providers(self) -> dict[str, Any]:
        providers = sorted(self._ctx.state.oidc_providers.values(), key=lambda p: p.name)
        views = [oidc_provider_view(p, self._ctx.account_id) for p in providers]
        return {"IsTruncated": False, "OIDCProviders": {"OIDCProvider": views}}

"""IMS SAML identity providers (API 2019-08-15): CreateSAMLProvider, GetSAMLProvider,
DeleteSAMLProvider, ListSAMLProviders — what AssumeRoleWithSAML checks assertions against.

`EntityNotExist.SAMLProvider` is in RAM's error list (reference §6); the other codes are UNCONFIRMED.
The metadata's signing certificates are not read: the fake never verifies assertion signatures.
"""

from __future__ import annotations

import re
from typing import Any

from ramstack import names
from ramstack.fakecloud.arns import saml_provider_arn
from ramstack.fakecloud.errors import already_exists, invalid
from ramstack.fakecloud.lookups import require_saml_provider
from ramstack.fakecloud.saml_assertion import metadata_entity_id
from ramstack.fakecloud.service import Service, api
from ramstack.fakecloud.state import SAMLProvider
from ramstack.fakecloud.validation import check_name, check_optional
from ramstack.fakecloud.views import saml_provider_view

# IMS CreateSAMLProvider: 1-128 of letters, digits, `. - _`, not starting or ending with a special one.
SAML_PROVIDER_NAME = names.NameRule(
    "SAMLProviderName",
    1,
    128,
    re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?"),
    "letters, digits, periods (.), hyphens (-) and underscores (_), and cannot start or end with a special"
    " character",
)
SAML_DESCRIPTION = names.NameRule("Description", 1, 256, None, "any characters")  # UNCONFIRMED bound
MAX_METADATA_LENGTH = 100000  # UNCONFIRMED bound


class SamlProviderOperations(Service):
    @api("CreateSAMLProvider")
    def create_saml_provider(
        self,
        *,
        saml_provider_name: str,
        encoded_saml_metadata_document: str,
        description: str | None = None,
    ) -> dict[str, Any]:
        ctx, state = self._ctx, self._ctx.state
        check_name(SAML_PROVIDER_NAME, saml_provider_name)
        check_optional(SAML_DESCRIPTION, description)
        entity_id = None
        if len(encoded_saml_metadata_document) <= MAX_METADATA_LENGTH:
            entity_id = metadata_entity_id(encoded_saml_metadata_document)
        if entity_id is None:
            raise invalid(
                "EncodedSAMLMetadataDocument",  # UNCONFIRMED code
                "EncodedSAMLMetadataDocument must be Base64 SAML 2.0 IdP metadata with an EntityDescriptor"
                " entityID",
            )
        if saml_provider_name in state.saml_providers:
            raise already_exists("SAMLProvider", f"The SAML provider already exists: {saml_provider_name}")
        now = ctx.now()
        provider = SAMLProvider(
            saml_provider_name,
            saml_provider_arn(ctx.account_id, saml_provider_name),
            entity_id,
            encoded_saml_metadata_document,
            now,
            now,
            description,
        )
        state.saml_providers[saml_provider_name] = provider
        return {"SAMLProvider": saml_provider_view(provider)}

    @api("GetSAMLProvider")
    def get_saml_provider(self, *, saml_provider_name: str) -> dict[str, Any]:
        provider = require_saml_provider(self._ctx.state, saml_provider_name)
        return {
            "SAMLProvider": {
                **saml_provider_view(provider),
                "EncodedSAMLMetadataDocument": provider.metadata,
            }
        }

    @api("DeleteSAMLProvider")
    def delete_saml_provider(self, *, saml_provider_name: str) -> dict[str, Any]:
        require_saml_provider(self._ctx.state, saml_provider_name)
        del self._ctx.state.saml_providers[saml_provider_name]
        return {}

    @api("ListSAMLProviders")
    def list_saml_providers(self) -> dict[str, Any]:
        providers = sorted(self._ctx.state.saml_providers.values(), key=lambda p: p.name)
        return {
            "IsTruncated": False,
            "SAMLProviders": {"SAMLProvider": [saml_provider_view(p) for p in providers]},
        }

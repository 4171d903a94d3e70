"""An OIDC identity provider (IMS), e.g. GitHub Actions' token issuer."""

from __future__ import annotations

import pulumi
import pulumi_alicloud as alicloud

from ramstack.components._children import child_options, component_options
from ramstack.spec.model import OidcProvider

TOKEN = "ramstack:ims:OidcProvider"


class RamOidcProvider(pulumi.ComponentResource):
    provider: alicloud.ims.OidcProvider
    arn: pulumi.Output[str]

    def __init__(self, name: str, provider: OidcProvider, opts: pulumi.ResourceOptions | None = None) -> None:
        # A rename is a replacement (the name forces one); the issuer URL is unique per account, so the
        # old provider must go first: delete_before_replace, and the alias makes it one replacement.
        old = provider.renamed_from
        super().__init__(TOKEN, name, None, component_options(opts, name, old))
        self.provider = alicloud.ims.OidcProvider(
            name,
            oidc_provider_name=provider.name,
            issuer_url=provider.issuer_url,
            client_ids=list(provider.client_ids),
            fingerprints=list(provider.fingerprints) or None,
            issuance_limit_time=provider.issuance_limit_time,
            description=provider.description,
            opts=child_options(self, name, old, "", delete_before_replace=True),
        )
        self.arn = self.provider.arn
        self.register_outputs({"arn": self.arn})

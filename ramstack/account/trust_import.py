"""A live trust document as the spec's `trust:`, when the spec can say exactly the same.

The mapping is accepted only if the trust policy the core generates from it renders, canonically,
as the live document; anything else (Deny statements, other conditions, principals grouped
differently, a SAML provider) is kept as the raw document instead of being approximated.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ramstack.account.as_spec import canonical_document
from ramstack.spec.model import OidcProvider, OidcTrust, Trust
from ramstack.spec.trust import trust_policy_dict


def _listed(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def trust_from_document(
    document: Any,
    account_id: str,
    users: set[str],
    roles: set[str],
    providers: Mapping[str, OidcProvider],
) -> Trust | None:
    """The `Trust` whose generated document equals `document`, or None when there is none."""
    if not isinstance(document, dict) or not isinstance(document.get("Statement"), list):
        return None
    own = f"acs:ram::{account_id}:"
    found: dict[str, list[str]] = {"users": [], "roles": [], "accounts": [], "arns": [], "services": []}
    oidc: list[OidcTrust] = []
    mfa: set[bool] = set()
    for statement in document["Statement"]:
        if not isinstance(statement, dict) or set(statement) - {"Effect", "Action", "Principal", "Condition"}:
            return None
        principal = statement.get("Principal")
        if statement.get("Effect") != "Allow" or not isinstance(principal, dict) or len(principal) != 1:
            return None
        if _listed(statement.get("Action")) != ["sts:AssumeRole"]:
            return None
        ((kind, raw),) = principal.items()
        values = _listed(raw)
        if values is None:
            return None
        condition = statement.get("Condition")
        if kind == "RAM":
            mfa.add(condition is not None)
            for arn in values:
                entity = arn.removeprefix(own)
                if entity.startswith("user/") and entity[5:] in users and arn.startswith(own):
                    found["users"].append(entity[5:])
                elif entity.startswith("role/") and entity[5:] in roles and arn.startswith(own):
                    found["roles"].append(entity[5:])
                elif arn.startswith("acs:ram::") and arn.endswith(":root"):
                    account = arn[len("acs:ram::") : -len(":root")]
                    found["accounts"].append("self" if account == account_id else account)
                else:
                    found["arns"].append(arn)
        elif kind == "Service" and condition is None:
            found["services"] += values
        elif kind == "Federated" and isinstance(condition, dict) and len(values) == 1:
            federated = _oidc(values[0], own, condition)
            if federated is None:
                return None
            oidc.append(federated)
        else:
            return None
    if len(mfa) > 1:
        return None  # some RAM principals need MFA, others not: one spec flag cannot say that
    trust = Trust(
        users=tuple(found["users"]),
        roles=tuple(found["roles"]),
        accounts=tuple(found["accounts"]),
        arns=tuple(found["arns"]),
        services=tuple(found["services"]),
        oidc=tuple(oidc),
        require_mfa=mfa == {True},
    )
    generated = trust_policy_dict(trust, None, account_id, providers)
    if canonical_document(generated, "trust") != canonical_document(document, "trust"):
        return None
    return trust


def _oidc(arn: str, own: str, condition: dict[str, Any]) -> OidcTrust | None:
    prefix = f"{own}oidc-provider/"
    if not arn.startswith(prefix):
        return None
    audiences: list[str] = []
    subjects: list[str] = []
    for block in condition.values():
        if not isinstance(block, dict):
            return None
        audiences += _listed(block.get("oidc:aud")) or []
        subjects += _listed(block.get("oidc:sub")) or []
    if not audiences or not subjects:
        return None
    # The issuer, operators and layout are checked by regenerating the document and comparing.
    return OidcTrust(arn[len(prefix) :], tuple(audiences), tuple(subjects))

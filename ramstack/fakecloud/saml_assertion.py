"""SAML 2.0 responses as the fake's AssumeRoleWithSAML reads them, IdP metadata as its IMS reads it,
and makers for both (for tests).

What role-based SSO requires of an assertion (Alibaba's "SAML assertions for role-based SSO",
AlibabaCloudDocs/ram): an `Issuer` equal to the IdP metadata's `EntityID`; a `Signature`; a
`Subject` with one `NameID` and one `SubjectConfirmationData` carrying `NotOnOrAfter` and
`Recipient` (`https://signin.aliyun.com/saml-role/sso`); an `Audience` of
`urn:alibaba:cloudcomputing`; one or more `.../SAML-Role/Attributes/Role` values
`<role ARN>,<provider ARN>`; exactly one `.../RoleSessionName` (2-32 of letters, digits, `-_.@=,+`).
The fake checks all of these except the signature's value (it only requires the element).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree

from ramstack.fakecloud.clock import iso8601
from ramstack.fakecloud.errors import CloudError

ROLE_ATTRIBUTE = "https://www.aliyun.com/SAML-Role/Attributes/Role"
SESSION_NAME_ATTRIBUTE = "https://www.aliyun.com/SAML-Role/Attributes/RoleSessionName"
AUDIENCE = "urn:alibaba:cloudcomputing"
# China-site wording in the assertion doc; the international site's in the trusted-IdP role guide.
RECIPIENTS = ("https://signin.aliyun.com/saml-role/sso", "https://signin.alibabacloud.com/saml-role/sso")
SESSION_NAME = re.compile(r"[A-Za-z0-9_.@=,+-]{2,32}")
NAME_ID_PREFIX = "urn:oasis:names:tc:SAML:2.0:nameid-format:"
MAX_ASSERTION_LENGTH = 100000  # SAMLAssertion: 4 to 100,000 characters (API metadata)

INVALID = "AuthenticationFail.SAMLAssertion.Invalid"
_SAML = "urn:oasis:names:tc:SAML:2.0:assertion"
_SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
_MD = "urn:oasis:names:tc:SAML:2.0:metadata"
_DS = "http://www.w3.org/2000/09/xmldsig#"


def invalid_assertion(message: str = "The SAML Assertion is invalid.") -> CloudError:
    return CloudError(INVALID, message, 401)


@dataclass(frozen=True)
class SamlAssertion:
    issuer: str
    subject: str
    subject_type: str
    recipient: str
    not_on_or_after: datetime
    roles: tuple[tuple[str, str], ...]  # (role ARN, provider ARN)
    role_session_name: str


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _all(root: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [e for e in root.iter() if _local(e.tag) == name]


def _parse_xml(encoded: str) -> ElementTree.Element:
    try:
        text = base64.b64decode(encoded, validate=True)
        if b"<!DOCTYPE" in text or b"<!ENTITY" in text:
            raise ValueError("DTDs are not accepted")  # no entity expansion from untrusted input
        return ElementTree.fromstring(text)
    except (binascii.Error, ValueError, ElementTree.ParseError):
        raise invalid_assertion() from None


def _time(value: str | None) -> datetime:
    if not value:
        raise invalid_assertion()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_assertion() from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def read_assertion(encoded: str) -> SamlAssertion:
    """The parts of a Base64 SAML response STS reads, or `AuthenticationFail.SAMLAssertion.Invalid`."""
    if not 4 <= len(encoded) <= MAX_ASSERTION_LENGTH:
        raise invalid_assertion(f"The SAMLAssertion must be 4 to {MAX_ASSERTION_LENGTH} characters long.")
    root = _parse_xml(encoded)
    assertions = _all(root, "Assertion")
    if len(assertions) != 1:
        raise invalid_assertion()
    assertion = assertions[0]
    issuers = [e for e in assertion if _local(e.tag) == "Issuer"]
    name_ids = _all(assertion, "NameID")
    confirmations = _all(assertion, "SubjectConfirmationData")
    if len(issuers) != 1 or len(name_ids) != 1 or len(confirmations) != 1 or not _all(assertion, "Signature"):
        raise invalid_assertion()
    if AUDIENCE not in [(e.text or "").strip() for e in _all(assertion, "Audience")]:
        raise invalid_assertion(f"The SAML Assertion's Audience must include {AUDIENCE}.")
    attributes: dict[str, list[str]] = {}
    for attribute in _all(assertion, "Attribute"):
        values = [(v.text or "").strip() for v in attribute if _local(v.tag) == "AttributeValue"]
        attributes.setdefault(attribute.get("Name", ""), []).extend(values)
    roles = []
    for value in attributes.get(ROLE_ATTRIBUTE, []):
        role, _, provider = (part.strip() for part in value.partition(","))
        roles.append((role, provider))
    session_names = attributes.get(SESSION_NAME_ATTRIBUTE, [])
    if not roles or len(session_names) != 1 or not SESSION_NAME.fullmatch(session_names[0]):
        raise invalid_assertion()
    name_id = name_ids[0]
    return SamlAssertion(
        (issuers[0].text or "").strip(),
        (name_id.text or "").strip(),
        name_id.get("Format", "").removeprefix(NAME_ID_PREFIX),
        confirmations[0].get("Recipient", ""),
        _time(confirmations[0].get("NotOnOrAfter")),
        tuple(roles),
        session_names[0],
    )


def metadata_entity_id(encoded: str) -> str | None:
    """The `entityID` of a Base64 IdP metadata document (`EntityDescriptor`), or None if unreadable."""
    try:
        root = _parse_xml(encoded)
    except CloudError:
        return None
    entity_id = root.get("entityID") if _local(root.tag) == "EntityDescriptor" else None
    return entity_id or None


def make_metadata(entity_id: str) -> str:
    """A Base64 IdP metadata document for CreateSAMLProvider (no real certificate)."""
    xml = (
        f'<md:EntityDescriptor xmlns:md="{_MD}" entityID="{_escape(entity_id)}">'
        '<md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>'
        "</md:EntityDescriptor>"
    )
    return base64.b64encode(xml.encode()).decode()


def make_response(
    *,
    issuer: str,
    roles: Sequence[tuple[str, str]],
    role_session_name: str,
    not_on_or_after: datetime,
    subject: str = "alice@example.com",
    recipient: str = RECIPIENTS[0],
    audience: str = AUDIENCE,
    signed: bool = True,
) -> str:
    """A Base64 SAML response as an IdP would post it; the signature is a placeholder."""
    role_values = "".join(
        f"<saml:AttributeValue>{_escape(role)},{_escape(provider)}</saml:AttributeValue>"
        for role, provider in roles
    )
    signature = f'<ds:Signature xmlns:ds="{_DS}"><ds:SignatureValue>fake</ds:SignatureValue></ds:Signature>'
    xml = (
        f'<samlp:Response xmlns:samlp="{_SAMLP}" xmlns:saml="{_SAML}">'
        f"<saml:Issuer>{_escape(issuer)}</saml:Issuer>"
        f"<saml:Assertion><saml:Issuer>{_escape(issuer)}</saml:Issuer>{signature if signed else ''}"
        f'<saml:Subject><saml:NameID Format="{NAME_ID_PREFIX}persistent">{_escape(subject)}</saml:NameID>'
        '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
        f'<saml:SubjectConfirmationData NotOnOrAfter="{iso8601(not_on_or_after)}"'
        f' Recipient="{_escape(recipient)}"/></saml:SubjectConfirmation></saml:Subject>'
        "<saml:Conditions><saml:AudienceRestriction>"
        f"<saml:Audience>{_escape(audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
        f'<saml:AttributeStatement><saml:Attribute Name="{ROLE_ATTRIBUTE}">{role_values}</saml:Attribute>'
        f'<saml:Attribute Name="{SESSION_NAME_ATTRIBUTE}">'
        f"<saml:AttributeValue>{_escape(role_session_name)}</saml:AttributeValue></saml:Attribute>"
        "</saml:AttributeStatement></saml:Assertion></samlp:Response>"
    )
    return base64.b64encode(xml.encode()).decode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

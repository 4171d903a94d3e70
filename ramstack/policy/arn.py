"""Alibaba Cloud Resource Names: `acs:<service>:<region>:<account>:<relative-id>` (reference §1).

`region` may be empty (RAM's own resources: `acs:ram::<uid>:role/x`), `*`, a region id
(`cn-hangzhou`) or an endpoint-style id seen in real templates (`oss-cn-hangzhou`); `account` is the
numeric account id, `*`, or `system` (system policies: `acs:ram:*:system:policy/<name>`).
The relative id is service-defined and path-like; it may begin with `/` (MNS: `/queues/q1`) and
may contain `:`, so only the first four colons split the ARN. Wildcards may appear anywhere.

Checks return findings instead of raising so the validator can attach its own codes and locations.
An "error" finding means the text is not an ARN of that shape, so as a policy Resource it can never
match a request (RAM stores such strings: docs/fidelity.md); as a request resource it is bad input.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    severity: Severity
    message: str
    fix: str


@dataclass(frozen=True)
class Arn:
    service: str
    region: str
    account: str
    resource: str

    def __str__(self) -> str:
        return f"acs:{self.service}:{self.region}:{self.account}:{self.resource}"


def parse_arn(text: str) -> Arn | None:
    """Split an `acs:` ARN into its parts; None when it does not have the five parts."""
    parts = text.split(":", 4)
    if len(parts) != 5 or parts[0] != "acs":
        return None
    return Arn(parts[1], parts[2], parts[3], parts[4])


_SERVICE = re.compile(r"[A-Za-z0-9*?-]+")
_REGION = re.compile(r"[A-Za-z0-9*?-]*")
_ACCOUNT = re.compile(r"[0-9*?]+|system")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SHAPE = "'*' or 'acs:<service>:<region>:<account-id>:<relative-id>'"


# A resource every check below accepts, decided by one match (nearly every resource is one): five
# parts, valid service, region and account, a non-empty relative id without control characters, and
# no trailing space (the leading "acs" already rules out a leading one).
_WELL_FORMED = re.compile(r"acs:[A-Za-z0-9*?-]+:[A-Za-z0-9*?-]*:(?:[0-9*?]+|system):[^\x00-\x1f\x7f]+")


def check_resource(text: str) -> list[Finding]:
    """Findings for one Resource value; an empty list means it is well formed."""
    if text == "*" or (_WELL_FORMED.fullmatch(text) and not text[-1].isspace()):
        return []
    return resource_findings(text)


def resource_findings(text: str) -> list[Finding]:
    """`check_resource` without its shortcut for the well-formed: every check, one by one."""
    if text == "*":
        return []
    if text == "":
        return [Finding("error", "resource is an empty string", f"write {_SHAPE}")]
    if text != text.strip():
        return [
            Finding(
                "error", f"resource {text!r} has leading or trailing spaces", f'remove them: "{text.strip()}"'
            )
        ]
    if text.startswith("arn:"):
        return [
            Finding(
                "error",
                f"resource {text!r} is an AWS-style ARN",
                "Alibaba Cloud ARNs start with 'acs:', e.g. acs:oss:*:*:mybucket/*",
            )
        ]
    head = text.split(":", 1)[0]
    if head.lower() == "acs" and head != "acs":
        return [
            Finding("error", f"resource {text!r} must start with lower-case 'acs:'", f'write "acs{text[3:]}"')
        ]
    arn = parse_arn(text)
    if arn is None:
        if head == "acs":
            count = len(text.split(":"))
            return [
                Finding(
                    "error",
                    f"resource {text!r} has {count} of the 5 colon-separated parts of {_SHAPE}",
                    "write every part; '*' stands for any region or account, e.g. acs:oss:*:*:mybucket",
                )
            ]
        return [
            Finding("error", f"resource {text!r} must be {_SHAPE}", "e.g. acs:ecs:*:*:instance/i-001, or *")
        ]
    return _check_parts(text, arn)


def never_matches(text: str) -> Finding | None:
    """Why the policy Resource `text` can never match a request's resource ARN, or None."""
    return unmatchable(check_resource(text))


def unmatchable(findings: Iterable[Finding]) -> Finding | None:
    """Of a resource's `check_resource` findings, the one that means it can never match, or None."""
    return next((f for f in findings if f.severity == "error"), None)


def _check_parts(text: str, arn: Arn) -> list[Finding]:
    out: list[Finding] = []
    if not _SERVICE.fullmatch(arn.service):
        out.append(
            Finding(
                "error",
                f"service code {arn.service!r} in resource {text!r} may contain only letters, digits,"
                " '-' and wildcards",
                "use the service's RAM code, e.g. oss, ecs, log, ram",
            )
        )
    if not _REGION.fullmatch(arn.region):
        out.append(
            Finding(
                "error",
                f"region {arn.region!r} in resource {text!r} may contain only letters, digits, '-'"
                " and wildcards",
                "write a region id such as cn-hangzhou, '*' for every region, or nothing for global services",
            )
        )
    if arn.account == "":
        out.append(
            Finding(
                "warning",
                f"resource {text!r} has an empty account id",
                "write the account id or '*'; only the region may be left empty (acs:ram::<uid>:role/x)",
            )
        )
    elif not _ACCOUNT.fullmatch(arn.account):
        out.append(
            Finding(
                "error",
                f"account {arn.account!r} in resource {text!r} must be a numeric account id, '*' or 'system'",
                "write the Alibaba Cloud account id (digits) or '*'",
            )
        )
    if arn.resource == "":
        out.append(
            Finding(
                "error",
                f"resource {text!r} has an empty relative id",
                "name the resource after the last ':', or write '*' for every resource of the service",
            )
        )
    elif _CONTROL.search(arn.resource):
        out.append(
            Finding("error", f"resource {text!r} contains a control character", "remove tabs and line breaks")
        )
    return out


# ---------------------------------------------------------------------------------------------
# RAM principals and RAM's own entity ARNs

RamKind = Literal["root", "user", "role", "oidc-provider", "saml-provider"]
RAM_KINDS: tuple[RamKind, ...] = ("root", "user", "role", "oidc-provider", "saml-provider")


@dataclass(frozen=True)
class RamEntity:
    """A RAM entity ARN: `acs:ram::<account>:root` or `acs:ram::<account>:<kind>/<name>`."""

    account: str
    kind: RamKind
    name: str | None = None  # None for root
    region: str = ""

    def __str__(self) -> str:
        tail = "root" if self.kind == "root" else f"{self.kind}/{self.name}"
        return f"acs:ram:{self.region}:{self.account}:{tail}"


def parse_ram_entity(text: str) -> RamEntity | None:
    """Parse a RAM entity ARN (any region and account text); None when it is not one."""
    arn = parse_arn(text)
    if arn is None or arn.service != "ram":
        return None
    if arn.resource == "root":
        return RamEntity(arn.account, "root", None, arn.region)
    kind, sep, name = arn.resource.partition("/")
    for known in RAM_KINDS[1:]:
        if sep and kind == known:
            return RamEntity(arn.account, known, name, arn.region)
    return None


def root_arn(account: str) -> str:
    return str(RamEntity(account, "root"))


def user_arn(account: str, name: str) -> str:
    return str(RamEntity(account, "user", name))


def role_arn(account: str, name: str) -> str:
    return str(RamEntity(account, "role", name))


def oidc_provider_arn(account: str, name: str) -> str:
    return str(RamEntity(account, "oidc-provider", name))


def saml_provider_arn(account: str, name: str) -> str:
    return str(RamEntity(account, "saml-provider", name))


SYSTEM_POLICY_OWNER = "system"


def policy_arn(account: str, policy_type: str, name: str, region: str = "") -> str:
    """A RAM policy's ARN. System policies belong to no account: `acs:ram:*:system:policy/<name>`,
    custom ones to theirs: `acs:ram:*:<account>:policy/<name>` (AttachPolicyToUser's "RAM
    authorization" table lists both; DOCUMENTED). `policy_type` is case-sensitive, as the API's."""
    owner = SYSTEM_POLICY_OWNER if policy_type == "System" else account
    return f"acs:ram:{region}:{owner}:policy/{name}"


_UID = re.compile(r"[0-9]+")
_ENTITY_NAME = re.compile(r"[A-Za-z0-9._@-]+")
_WILDCARD_NAME = re.compile(r"[A-Za-z0-9._@*?-]+")
_SERVICE_PRINCIPAL = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.aliyuncs\.com")
_ACCOUNT_SERVICE_PRINCIPAL = re.compile(r"[0-9]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.aliyuncs\.com")


def _check_entity(text: str, allowed: tuple[RamKind, ...], example: str) -> list[Finding]:
    kinds = ", ".join("root" if k == "root" else f"{k}/<name>" for k in allowed)
    shape = f"acs:ram::<account-id>:{{{kinds}}}"
    entity = parse_ram_entity(text)
    if entity is None or entity.kind not in allowed:
        return [Finding("error", f"{text!r} is not a principal of the form {shape}", f"e.g. {example}")]
    out: list[Finding] = []
    if entity.region == "*":
        out.append(
            Finding(
                "warning",
                f"principal {text!r} has region '*'; RAM documents principals with an empty region",
                f'write "{RamEntity(entity.account, entity.kind, entity.name)}"',
            )
        )
    elif entity.region:
        out.append(
            Finding(
                "error",
                f"principal {text!r} has region {entity.region!r}",
                "RAM principals have an empty region",
            )
        )
    if not _UID.fullmatch(entity.account):
        out.append(
            Finding(
                "error",
                f"account {entity.account!r} in principal {text!r} must be a numeric account id",
                f"write the trusted account's id, e.g. {example}",
            )
        )
    if entity.name is not None and not _ENTITY_NAME.fullmatch(entity.name):
        if _WILDCARD_NAME.fullmatch(entity.name):
            out.append(
                Finding(
                    "warning",
                    f"wildcard in principal name {entity.name!r}: not documented for RAM trust policies",
                    "name each trusted principal exactly",
                )
            )
        else:
            out.append(
                Finding(
                    "error",
                    f"principal name {entity.name!r} may contain only letters, digits, '.', '@', '-' and '_'",
                    "write the RAM user, role or provider name exactly",
                )
            )
    return out


# A RAM principal `_check_entity` accepts without a finding (empty region, numeric account, a plain
# name), decided by one match: generated trust policies are made of these.
_PLAIN_RAM_PRINCIPAL = re.compile(r"acs:ram::[0-9]+:(?:root|(?:user|role)/[A-Za-z0-9._@-]+)")


def check_ram_principal(text: str) -> list[Finding]:
    """A `Principal.RAM` value: an account root, a RAM user or a RAM role."""
    if _PLAIN_RAM_PRINCIPAL.fullmatch(text):
        return []
    return ram_principal_findings(text)


def ram_principal_findings(text: str) -> list[Finding]:
    """`check_ram_principal` without its shortcut for plain principals: every check, one by one."""
    if text == "*":
        return [
            Finding(
                "warning",
                'Principal RAM "*" (everyone) is not documented for RAM trust policies',
                "name the trusted account: acs:ram::<account-id>:root",
            )
        ]
    if _UID.fullmatch(text):
        return [
            Finding("error", f"RAM principal {text!r} is a bare account id", f'write "acs:ram::{text}:root"')
        ]
    return _check_entity(text, ("root", "user", "role"), "acs:ram::1234567890123456:root")


def check_federated_principal(text: str) -> list[Finding]:
    """A `Principal.Federated` value: a SAML or OIDC identity provider."""
    return _check_entity(
        text, ("saml-provider", "oidc-provider"), "acs:ram::1234567890123456:oidc-provider/my-idp"
    )


def check_service_principal(text: str) -> list[Finding]:
    """A `Principal.Service` value: `<service>.aliyuncs.com` (or `<uid>@<service>.aliyuncs.com`)."""
    if _SERVICE_PRINCIPAL.fullmatch(text):
        return []
    if _ACCOUNT_SERVICE_PRINCIPAL.fullmatch(text):
        return [
            Finding(
                "warning",
                f"service principal {text!r} with an account prefix is not documented by RAM",
                "keep it only if the service's own documentation asks for it",
            )
        ]
    if _SERVICE_PRINCIPAL.fullmatch(text.lower().strip()):
        return [
            Finding(
                "error", f"service principal {text!r} must be lower case", f'write "{text.lower().strip()}"'
            )
        ]
    if re.fullmatch(r"[a-z0-9-]+", text):
        return [
            Finding("error", f"service principal {text!r} must be a domain", f'write "{text}.aliyuncs.com"')
        ]
    return [
        Finding(
            "error",
            f"service principal {text!r} must be '<service>.aliyuncs.com'",
            'e.g. "ecs.aliyuncs.com", "fc.aliyuncs.com"',
        )
    ]

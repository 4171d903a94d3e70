"""The policy grammar validator: accepted features, and every POL code at its exact location."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ramstack.diagnostics import Diagnostics, InvalidInput, Level, Location
from ramstack.policy.document import ConditionClause, PolicyDocument, PolicyKind, Statement
from ramstack.policy.load import load_policy_file
from ramstack.policy.validate import CODES, MAX_POLICY_BYTES, parse_policy_dict, validate_policy
from ramstack.source import parse_text

from ._helpers import check, codes, located

# Lines 1-5; a case's extra lines start at line 6 (Condition at 6, operator at 7, key at 8).
PERM = 'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: "*"\n    Resource: "*"\n'
# Lines 1-4; Principal starts at line 5.
TRUST = 'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: sts:AssumeRole\n'
OIDC = "acs:ram::1234567890123456:oidc-provider/github"


# ---------------------------------------------------------------------------------------------
# accepted documents


def test_minimal_permission_policy_model() -> None:
    doc, diags = check(
        """
        Version: "1"
        Statement:
          - Effect: Allow
            Action: [oss:PutObject, oss:GetObject]
            Resource: acs:oss:*:*:my-bucket/*
        """
    )
    assert list(diags) == []
    assert doc == PolicyDocument(
        (Statement("Allow", ("oss:GetObject", "oss:PutObject"), resources=("acs:oss:*:*:my-bucket/*",)),)
    )
    assert doc is not None
    assert doc.kind == "permission"
    assert doc.source == "policy.yaml"
    assert doc.statements[0].location == Location("policy.yaml", 3, 5)


def test_trust_policy_model() -> None:
    doc, diags = check(
        TRUST
        + f"""\
    Principal:
      Service: ecs.aliyuncs.com
      RAM: [acs:ram::1234567890123456:root, acs:ram::1234567890123456:role/ci]
      Federated: {OIDC}
    Condition:
      StringEquals:
        oidc:iss: https://token.actions.githubusercontent.com
        oidc:aud: sts.aliyuncs.com
      StringLike:
        oidc:sub: "repo:acme/app:*"
""",
        "trust",
    )
    assert [d.format() for d in diags] == []
    assert doc is not None
    (statement,) = doc.statements
    assert statement.resources is None
    assert statement.principals == (
        ("Federated", (OIDC,)),
        ("RAM", ("acs:ram::1234567890123456:role/ci", "acs:ram::1234567890123456:root")),
        ("Service", ("ecs.aliyuncs.com",)),
    )
    assert statement.principal_values("Service") == ("ecs.aliyuncs.com",)
    assert statement.conditions == (
        ConditionClause("StringEquals", "oidc:aud", ("sts.aliyuncs.com",)),
        ConditionClause("StringEquals", "oidc:iss", ("https://token.actions.githubusercontent.com",)),
        ConditionClause("StringLike", "oidc:sub", ("repo:acme/app:*",)),
    )


GOOD = [
    (
        "deny-and-allow",
        "permission",
        'Version: "1"\nStatement:\n  - {Effect: Deny, Action: "bss:*", Resource: "*"}\n'
        '  - {Effect: Allow, Action: "*", Resource: "*"}\n',
        set(),
    ),
    (
        "not-action",
        "permission",
        'Version: "1"\nStatement:\n  - Effect: Allow\n    NotAction: [ram:*, ims:*]\n    Resource: "*"\n',
        set(),
    ),
    (
        "action-wildcards",
        "permission",
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action:\n'
        '      - "*:Describe*"\n      - yundun-*:*\n      - vpc:*VSwitch*\n      - ecs:Describe?nstances\n'
        '      - amqp-open:*\n      - "*"\n    Resource: "*"\n',
        set(),
    ),
    (
        "resource-forms",
        "permission",
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: "*"\n    Resource:\n'
        "      - acs:ram::1234567890123456:role/app\n      - acs:ram:*:system:policy/AliyunOSSFullAccess\n"
        "      - acs:oss:oss-cn-hangzhou:1234567890123456:my-bucket/*\n      - acs:mns:*:*:/queues/q1\n"
        "      - acs:vpc:cn-hangzhou:*:*/*\n      - acs:oss:*:*:bucket/a:b/c.txt\n"
        "      - acs:fc:*:*:services/svc.*/functions/*\n      - acs:kms:cn-hangzhou:123456:alias\n",
        set(),
    ),
    (
        "string-operators",
        "permission",
        PERM + "    Condition:\n      StringEqualsIgnoreCase: {kms:tag/Project: Demo}\n"
        '      StringNotLike: {oss:Prefix: ["", "private/*"]}\n'
        "      StringNotEqualsIgnoreCase: {ecs:CommandRunAs: root}\n"
        "      StringNotEquals: {acs:SourceVpc: vpc-1}\n",
        set(),
    ),
    (
        "numeric",
        "permission",
        PERM + '    Condition:\n      NumericLessThanEquals: {oss:max-keys: [100, "50", 2.5]}\n'
        "      NumericGreaterThan: {x:n: -1}\n",
        set(),
    ),
    (
        "dates",
        "permission",
        PERM + '    Condition:\n      DateLessThan: {acs:CurrentTime: "2019-08-12T17:00:00+08:00"}\n'
        "      DateGreaterThanEquals:\n"
        '        acs:CurrentTime: ["2012-11-11T23:59:59Z", "2012-11-11", "2012-11-11T23:59:59.123Z"]\n',
        set(),
    ),
    (
        "bools",
        "permission",
        PERM + '    Condition:\n      Bool: {acs:SecureTransport: true, acs:MFAPresent: ["false"]}\n',
        set(),
    ),
    (
        "ips",
        "permission",
        PERM + '    Condition:\n      IpAddress: {acs:SourceIp: [10.0.0.0/8, 121.0.27.1, "2001:db8::/32"]}\n'
        "      NotIpAddress: {acs:SourceIp: 192.168.0.0/16}\n",
        set(),
    ),
    ("non-ascii", "permission", PERM + "    Condition:\n      StringEquals: {ecs:tag/部门: 财务部}\n", set()),
    (
        "trust-saml",
        "trust",
        TRUST + "    Principal:\n      Federated: acs:ram::1234567890123456:saml-provider/Azure-AD\n"
        "    Condition:\n      StringEquals:\n        saml:recipient: https://signin.alibabacloud.com/saml-role/sso\n",
        set(),
    ),
    (
        "trust-sub-service",
        "trust",
        TRUST + "    Principal:\n      Service: [crossbackup.hbr.aliyuncs.com]\n",
        set(),
    ),
    (
        "json-statement-first",
        "permission",
        '{"Statement": [{"Resource": "*", "Action": "*", "Effect": "Allow"}], "Version": "1"}\n',
        set(),
    ),
    # warnings only: the unconfirmed forms real policies use
    ("version-number", "permission", PERM.replace('"1"', "1"), {"POL107"}),
    (
        "not-resource",
        "permission",
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: "*"\n    NotResource: acs:ram:*:*:*\n',
        {"POL101"},
    ),
    ("sid", "permission", PERM + "    Sid: AllowAll\n", {"POL102"}),
    (
        "qualifier",
        "permission",
        PERM + "    Condition:\n      ForAllValues:StringEquals: {ram:TrustedPrincipalTypes: Service}\n",
        {"POL103"},
    ),
    ("empty-condition", "permission", PERM + "    Condition: {}\n", set()),
    ("empty-operator", "permission", PERM + "    Condition:\n      StringEquals: {}\n", {"POL104"}),
    (
        "unprefixed-key",
        "permission",
        PERM + '    Condition:\n      StringNotLike: {Action: ["ahas:*Delete*"]}\n',
        {"POL105"},
    ),
    (
        "if-exists",
        "permission",
        PERM + "    Condition:\n      StringLikeIfExists: {acs:SourceVpc: vpc-*}\n",
        {"POL106"},
    ),
    ("null", "permission", PERM + '    Condition:\n      "Null": {acs:SourceVpc: "true"}\n', {"POL106"}),
    ("ram-star", "trust", TRUST + '    Principal:\n      RAM: "*"\n', {"POL108"}),
    (
        "service-with-uid",
        "trust",
        TRUST + "    Principal:\n      Service: [1234567890123456@log.aliyuncs.com]\n",
        {"POL108"},
    ),
    (
        "principal-region-star",
        "trust",
        TRUST + "    Principal:\n      RAM: acs:ram:*:1234567890123456:root\n",
        {"POL108"},
    ),
    (
        "principal-wildcard-name",
        "trust",
        TRUST + "    Principal:\n      RAM: acs:ram::1234567890123456:role/ci-*\n",
        {"POL108"},
    ),
    (
        "assume-with-oidc",
        "trust",
        TRUST.replace("sts:AssumeRole", "sts:AssumeRoleWithOIDC")
        + f"    Principal:\n      Federated: {OIDC}\n",
        {"POL109"},
    ),
    (
        "assume-wildcard",
        "trust",
        TRUST.replace("sts:AssumeRole", '"sts:Assume*"') + f"    Principal:\n      Federated: {OIDC}\n",
        {"POL109"},
    ),
    (
        "trust-resource",
        "trust",
        TRUST + '    Resource: "*"\n    Principal:\n      Service: ecs.aliyuncs.com\n',
        {"POL110"},
    ),
    (
        # the Terraform provider's acceptance test applies exactly this to a live role
        "trust-set-source-identity",
        "trust",
        '{"Statement": [{"Action": ["sts:AssumeRole","sts:SetSourceIdentity"],"Effect": "Allow",'
        '"Principal": {"Service": ["apigateway.aliyuncs.com","ecs.aliyuncs.com"]}}],"Version": "1"}',
        set(),
    ),
    (
        "empty-account",
        "permission",
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: "*"\n    Resource: acs:log:*::project/p\n',
        {"POL111"},
    ),
    (
        "duplicate-action",
        "permission",
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: [oss:GetObject, oss:GetObject]\n'
        '    Resource: "*"\n',
        {"POL112"},
    ),
]


@pytest.mark.parametrize(("kind", "text", "warnings"), [c[1:] for c in GOOD], ids=[c[0] for c in GOOD])
def test_accepted_documents(kind: PolicyKind, text: str, warnings: set[str]) -> None:
    file = "policy.json" if text.startswith("{") else "policy.yaml"
    doc, diags = check(text, kind, file=file)
    assert [d.format() for d in diags.errors] == []
    assert doc is not None
    assert codes(diags) == warnings
    assert all(d.level is Level.WARNING for d in diags)


# ---------------------------------------------------------------------------------------------
# every code, at its location

BAD = [
    # (id, kind, yaml, (code, line, column))
    ("root-list", "permission", "- Effect: Allow\n", ("POL001", 1, 1)),
    ("root-scalar", "permission", "just text\n", ("POL001", 1, 1)),
    ("version-missing", "permission", PERM.replace('Version: "1"\n', ""), ("POL002", 1, 1)),
    ("version-aws", "permission", PERM.replace('"1"', '"2012-10-17"'), ("POL002", 1, 10)),
    ("version-float", "permission", PERM.replace('"1"', "1.0"), ("POL002", 1, 10)),
    ("statement-missing", "permission", 'Version: "1"\n', ("POL003", 1, 1)),
    (
        "statement-object",
        "permission",
        'Version: "1"\nStatement:\n  Effect: Allow\n  Action: "*"\n  Resource: "*"\n',
        ("POL003", 3, 3),
    ),
    ("statement-string", "permission", 'Version: "1"\nStatement: everything\n', ("POL003", 2, 12)),
    ("statement-empty", "permission", 'Version: "1"\nStatement: []\n', ("POL003", 2, 12)),
    ("statement-scalar", "permission", 'Version: "1"\nStatement:\n  - oss:GetObject\n', ("POL004", 3, 5)),
    ("element-case", "permission", PERM.replace("Effect", "effect"), ("POL005", 3, 5)),
    (
        "element-top-level",
        "permission",
        PERM.replace("Statement:", "Id: my-policy\nStatement:"),
        ("POL005", 2, 1),
    ),
    ("element-not-principal", "trust", TRUST + "    NotPrincipal: {RAM: x}\n", ("POL005", 5, 5)),
    ("effect-case", "permission", PERM.replace("Allow", "allow"), ("POL006", 3, 13)),
    ("effect-other", "permission", PERM.replace("Allow", "Permit"), ("POL006", 3, 13)),
    (
        "effect-missing",
        "permission",
        PERM.replace("  - Effect: Allow\n    Action", "  - Action"),
        ("POL006", 3, 5),
    ),
    ("action-and-not", "permission", PERM + "    NotAction: ram:*\n", ("POL007", 6, 5)),
    ("action-missing", "permission", PERM.replace('    Action: "*"\n', ""), ("POL007", 3, 5)),
    ("action-empty", "permission", PERM.replace('Action: "*"', "Action: []"), ("POL007", 4, 13)),
    (
        "action-no-service",
        "permission",
        PERM.replace('Action: "*"', "Action:\n      - oss:GetObject\n      - GetObject"),
        ("POL008", 6, 9),
    ),
    ("action-bad-op", "permission", PERM.replace('Action: "*"', "Action: oss:Get-Object"), ("POL008", 4, 13)),
    (
        "action-two-colons",
        "permission",
        PERM.replace('Action: "*"', "Action: oss:Get:Object"),
        ("POL008", 4, 13),
    ),
    ("action-empty-op", "permission", PERM.replace('Action: "*"', 'Action: "oss:"'), ("POL008", 4, 13)),
    ("resource-missing", "permission", PERM.replace('    Resource: "*"\n', ""), ("POL009", 3, 5)),
    ("resource-and-not", "permission", PERM + "    NotResource: acs:ram:*:*:*\n", ("POL009", 6, 5)),
    ("resource-empty", "permission", PERM.replace('Resource: "*"', "Resource: []"), ("POL009", 5, 15)),
    (
        "principal-in-permission",
        "permission",
        PERM + "    Principal:\n      RAM: acs:ram::1234567890123456:root\n",
        ("POL011", 6, 5),
    ),
    ("principal-missing", "trust", TRUST, ("POL012", 3, 5)),
    ("principal-star", "trust", TRUST + '    Principal: "*"\n', ("POL012", 5, 16)),
    (
        "principal-type-case",
        "trust",
        TRUST + "    Principal:\n      Ram: acs:ram::1234567890123456:root\n",
        ("POL012", 6, 7),
    ),
    ("principal-empty-list", "trust", TRUST + "    Principal:\n      Service: []\n", ("POL012", 6, 16)),
    (
        "service-upper",
        "trust",
        TRUST + "    Principal:\n      Service: ECS.aliyuncs.com\n",
        ("POL012", 6, 16),
    ),
    (
        "service-bare",
        "trust",
        TRUST + "    Principal:\n      Service: [ecs.aliyuncs.com, fc]\n",
        ("POL012", 6, 35),
    ),
    ("ram-bare-uid", "trust", TRUST + '    Principal:\n      RAM: "1234567890123456"\n', ("POL012", 6, 12)),
    (
        "ram-group",
        "trust",
        TRUST + "    Principal:\n      RAM: acs:ram::1234567890123456:group/dev\n",
        ("POL012", 6, 12),
    ),
    (
        "ram-region",
        "trust",
        TRUST + "    Principal:\n      RAM: acs:ram:cn-hangzhou:1234567890123456:root\n",
        ("POL012", 6, 12),
    ),
    (
        "federated-role",
        "trust",
        TRUST + "    Principal:\n      Federated: acs:ram::1234567890123456:role/x\n",
        ("POL012", 6, 18),
    ),
    ("condition-list", "permission", PERM + "    Condition:\n      - Bool\n", ("POL013", 7, 7)),
    (
        "operator-scalar",
        "permission",
        PERM + "    Condition:\n      Bool: acs:SecureTransport\n",
        ("POL013", 7, 13),
    ),
    (
        "values-empty",
        "permission",
        PERM + "    Condition:\n      StringEquals:\n        acs:SourceVpc: []\n",
        ("POL013", 8, 24),
    ),
    (
        "key-empty",
        "permission",
        PERM + '    Condition:\n      StringEquals:\n        "": vpc-1\n',
        ("POL013", 8, 9),
    ),
    (
        "operator-typo",
        "permission",
        PERM + "    Condition:\n      StringEqual: {acs:SourceVpc: vpc-1}\n",
        ("POL014", 7, 7),
    ),
    (
        "operator-case",
        "permission",
        PERM + "    Condition:\n      ipaddress: {acs:SourceIp: 10.0.0.0/8}\n",
        ("POL014", 7, 7),
    ),
    (
        "qualifier-case",
        "permission",
        PERM + "    Condition:\n      ForAnyvalue:StringLike: {a:b: c}\n",
        ("POL014", 7, 7),
    ),
    (
        "null-if-exists",
        "permission",
        PERM + '    Condition:\n      NullIfExists: {a:b: "true"}\n',
        ("POL014", 7, 7),
    ),
    (
        "ip-bad",
        "permission",
        PERM + "    Condition:\n      IpAddress:\n        acs:SourceIp:\n          - 10.0.0.0/8\n"
        "          - 10.0.0.256\n",
        ("POL015", 10, 13),
    ),
    (
        "ip-prefix",
        "permission",
        PERM + "    Condition:\n      IpAddress:\n        acs:SourceIp: 10.0.0.0/40\n",
        ("POL015", 8, 23),
    ),
    (
        "ip-integer-text",
        "permission",
        PERM + '    Condition:\n      IpAddress:\n        acs:SourceIp: "10"\n',
        ("POL015", 8, 23),
    ),
    (
        "date-bad",
        "permission",
        PERM + '    Condition:\n      DateLessThan:\n        acs:CurrentTime: "2019-13-01T00:00:00Z"\n',
        ("POL015", 8, 26),
    ),
    (
        "date-space",
        "permission",
        PERM + '    Condition:\n      DateLessThan:\n        acs:CurrentTime: "2019-08-12 17:00:00"\n',
        ("POL015", 8, 26),
    ),
    (
        "numeric-bad",
        "permission",
        PERM + "    Condition:\n      NumericLessThan:\n        oss:max-keys: ten\n",
        ("POL015", 8, 23),
    ),
    (
        "bool-title",
        "permission",
        PERM + '    Condition:\n      Bool:\n        acs:SecureTransport: "True"\n',
        ("POL015", 8, 30),
    ),
    (
        "bool-yes",
        "permission",
        PERM + '    Condition:\n      Bool:\n        acs:SecureTransport: "yes"\n',
        ("POL015", 8, 30),
    ),
    (
        "action-number",
        "permission",
        PERM.replace('Action: "*"', "Action: [oss:GetObject, 42]"),
        ("POL016", 4, 29),
    ),
    (
        "action-nested",
        "permission",
        PERM.replace('Action: "*"', "Action: [[oss:GetObject]]"),
        ("POL016", 4, 14),
    ),
    (
        "action-mapping",
        "permission",
        PERM.replace('Action: "*"', "Action: {oss: GetObject}"),
        ("POL016", 4, 13),
    ),
    ("resource-null", "permission", PERM.replace('Resource: "*"', "Resource: null"), ("POL016", 5, 15)),
    ("effect-bool", "permission", PERM.replace("Allow", "true"), ("POL016", 3, 13)),
    (
        "string-op-bool",
        "permission",
        PERM + "    Condition:\n      StringEquals:\n        acs:SourceVpc: true\n",
        ("POL016", 8, 24),
    ),
    (
        "string-op-number",
        "permission",
        PERM + "    Condition:\n      StringEquals:\n        ecs:tag/cost: 4711\n",
        ("POL016", 8, 23),
    ),
    (
        "values-nested",
        "permission",
        PERM + "    Condition:\n      StringEquals:\n        acs:SourceVpc: [[vpc-1]]\n",
        ("POL016", 8, 25),
    ),
    (
        "value-null",
        "permission",
        PERM + "    Condition:\n      StringEquals:\n        acs:SourceVpc: null\n",
        ("POL016", 8, 24),
    ),
    (
        "numeric-bool",
        "permission",
        PERM + "    Condition:\n      NumericEquals:\n        a:n: true\n",
        ("POL016", 8, 14),
    ),
    (
        "date-number",
        "permission",
        PERM + "    Condition:\n      DateLessThan:\n        acs:CurrentTime: 1565600000\n",
        ("POL016", 8, 26),
    ),
    (
        "value-infinite",
        "permission",
        PERM + "    Condition:\n      NumericEquals:\n        a:n: 1e999\n",
        ("POL016", 8, 14),
    ),
    ("sid-number", "permission", PERM + "    Sid: 7\n", ("POL016", 6, 10)),
    (
        "trust-action",
        "trust",
        TRUST.replace("sts:AssumeRole", "[sts:AssumeRole, oss:GetObject]")
        + "    Principal: {Service: ecs.aliyuncs.com}\n",
        ("POL018", 4, 30),
    ),
    (
        "trust-not-action",
        "trust",
        TRUST.replace("Action", "NotAction") + "    Principal: {Service: ecs.aliyuncs.com}\n",
        ("POL018", 4, 5),
    ),
    (
        "trust-star-action",
        "trust",
        TRUST.replace("sts:AssumeRole", "ram:*") + "    Principal: {Service: ecs.aliyuncs.com}\n",
        ("POL018", 4, 13),
    ),
]


# Resources that are not ARNs of the documented shape: RAM stores them (acs::ram::* was applied to a
# live account by the Terraform provider's acceptance tests), so they warn (POL113) and lint (LP304).
NEVER_MATCHING = [
    ("resource-four-parts", PERM.replace('Resource: "*"', "Resource: acs:oss:*:*")),
    ("resource-upper", PERM.replace('Resource: "*"', 'Resource: "ACS:oss:*:*:b"')),
    ("resource-aws", PERM.replace('Resource: "*"', 'Resource: "arn:aws:s3:::b"')),
    ("resource-account", PERM.replace('Resource: "*"', "Resource: acs:ram::prod:role/x")),
    ("resource-no-id", PERM.replace('Resource: "*"', 'Resource: "acs:oss:*:*:"')),
    ("resource-region", PERM.replace('Resource: "*"', 'Resource: "acs:oss:cn_hz:*:b"')),
    ("resource-bare", PERM.replace('Resource: "*"', "Resource: my-bucket")),
    (
        "terraform-pass-role",
        '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": ["ram:PassRole"],'
        ' "Resource": ["acs::ram::*"], "Condition": {}}]}',
    ),
]


@pytest.mark.parametrize("text", [c[1] for c in NEVER_MATCHING], ids=[c[0] for c in NEVER_MATCHING])
def test_never_matching_resources_are_accepted_with_a_warning(text: str) -> None:
    file = "policy.json" if text.startswith("{") else "policy.yaml"
    doc, diags = check(text, file=file)
    assert doc is not None, [d.format() for d in diags]
    assert "POL113" in codes(diags)
    assert all(d.level is Level.WARNING for d in diags)
    assert "can never match" in next(d.message for d in diags if d.code == "POL113")


@pytest.mark.parametrize(("kind", "text", "expected"), [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_error_code_and_location(kind: PolicyKind, text: str, expected: tuple[str, int, int]) -> None:
    doc, diags = check(text, kind)
    assert doc is None
    assert expected in located(diags), [d.format() for d in diags]
    hit = next(d for d in diags if (d.code, d.location.line, d.location.column) == expected)
    assert hit.level is Level.ERROR
    assert hit.location.file == "policy.yaml"
    assert hit.message and hit.fix


WARNINGS = [
    ("POL101", PERM.replace("Resource", "NotResource"), "permission", (5, 5)),
    ("POL102", PERM + "    Sid: S1\n", "permission", (6, 5)),
    ("POL103", PERM + "    Condition:\n      ForAnyValue:StringLike: {a:b: c}\n", "permission", (7, 7)),
    ("POL104", PERM + "    Condition:\n      StringEquals: {}\n", "permission", (7, 7)),
    ("POL105", PERM + "    Condition:\n      StringEquals:\n        Action: x\n", "permission", (8, 9)),
    ("POL106", PERM + "    Condition:\n      BoolIfExists: {acs:MFAPresent: true}\n", "permission", (7, 7)),
    ("POL107", PERM.replace('"1"', "1"), "permission", (1, 10)),
    (
        "POL108",
        TRUST + "    Principal:\n      Service: [ecs.aliyuncs.com, 123@log.aliyuncs.com]\n",
        "trust",
        (6, 35),
    ),
    (
        "POL109",
        TRUST.replace("sts:AssumeRole", "sts:AssumeRoleWithSAML") + "    Principal:\n"
        "      Federated: acs:ram::1234567890123456:saml-provider/idp\n",
        "trust",
        (4, 13),
    ),
    ("POL110", TRUST + '    Resource: "*"\n    Principal: {Service: ecs.aliyuncs.com}\n', "trust", (5, 5)),
    ("POL111", PERM.replace('Resource: "*"', 'Resource: "acs:oss:*::b"'), "permission", (5, 15)),
    ("POL112", PERM.replace('Resource: "*"', 'Resource: ["*", "*"]'), "permission", (5, 21)),
    ("POL113", PERM.replace('Resource: "*"', "Resource: acs:oss:*:*"), "permission", (5, 15)),
]


@pytest.mark.parametrize(("code", "text", "kind", "where"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_warning_code_and_location(code: str, text: str, kind: PolicyKind, where: tuple[int, int]) -> None:
    doc, diags = check(text, kind)
    assert doc is not None, [d.format() for d in diags]
    assert located(diags) == {(code, *where)}
    assert diags.items[0].level is Level.WARNING


@pytest.mark.parametrize(("code", "text", "kind", "where"), WARNINGS, ids=[w[0] for w in WARNINGS])
def test_warning_levels_are_configurable(
    code: str, text: str, kind: PolicyKind, where: tuple[int, int]
) -> None:
    doc, diags = check(text, kind, levels={code: "error"})
    assert doc is None
    assert [d.level for d in diags] == [Level.ERROR]
    doc, diags = check(text, kind, levels={code: "ignore"})
    assert doc is not None
    assert list(diags) == []


def test_every_code_is_documented_and_exercised() -> None:
    exercised = {c[3][0] for c in BAD} | {w[0] for w in WARNINGS} | {"POL017", "POL019", "VAR001", "VAR002"}
    assert exercised == set(CODES)
    import ramstack.policy.validate as module

    assert module.__doc__ is not None
    for code, meaning in CODES.items():
        assert code in module.__doc__, code
        assert meaning


# ---------------------------------------------------------------------------------------------
# behaviour


def test_typo_of_required_element_is_reported_once() -> None:
    _, diags = check(PERM.replace("Effect", "effect").replace("Resource", "resources"))
    assert located(diags) == {("POL005", 3, 5), ("POL005", 5, 5)}
    assert "did you mean 'Effect'" in (diags.items[0].fix or "")
    assert "did you mean 'Resource'" in (diags.items[1].fix or "")


def test_all_problems_reported_at_once() -> None:
    _, diags = check(
        """
        Version: "2"
        Statement:
          - Effect: allow
            Action: GetObject
            Resource: acs:oss
          - Effect: Deny
            Action: "*"
            Resource: "*"
            Condition:
              IpAddress: {acs:SourceIp: 10.0.0.999}
        """
    )
    assert located(diags) == {
        ("POL002", 1, 10),
        ("POL006", 3, 13),
        ("POL008", 4, 13),
        ("POL113", 5, 15),
        ("POL015", 10, 33),
    }


def test_json_locations() -> None:
    text = """
        {
          "Version": "1",
          "Statement": [
            {"Effect": "allow", "Action": "*", "Resource": "*"}
          ]
        }
        """
    doc, diags = check(text, file="p.json")
    assert doc is None
    assert located(diags) == {("POL006", 4, 16)}


def test_plain_dicts_fall_back_to_file_location() -> None:
    diags = Diagnostics()
    doc = validate_policy(
        {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "x", "Resource": "*"}]},
        "permission",
        diags,
        file="inline",
    )
    assert doc is None
    assert located(diags) == {("POL008", 1, 1)}
    assert diags.items[0].location.file == "inline"


def test_plain_python_containers_are_accepted() -> None:
    data = {
        "Version": "1",
        "Statement": (
            {
                "Effect": "Allow",
                "Action": ("oss:GetObject",),
                "Resource": "*",
                "Condition": {"Bool": {"a:b": True}},
            },
        ),
    }
    doc = validate_policy(data, "permission", Diagnostics(), file="x")
    assert doc is not None
    assert doc.statements[0].conditions == (ConditionClause("Bool", "a:b", (True,)),)
    assert doc.statements[0].location == Location("x")


def test_non_string_keys_in_plain_dicts() -> None:
    diags = Diagnostics()
    data = {
        "Version": "1",
        3: "x",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*", None: 1}],
    }
    assert validate_policy(data, "permission", diags, file="x") is None
    assert [d.code for d in diags] == ["POL005", "POL005"]


def test_unpaired_surrogate_is_an_error_not_a_crash() -> None:
    diags = Diagnostics()
    data = {
        "Version": "1",
        "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "acs:oss:*:*:\ud83d"}],
    }
    assert validate_policy(data, "permission", diags, file="x") is None
    assert [d.code for d in diags] == ["POL016"]


def test_earlier_errors_in_the_collector_do_not_block_a_valid_document() -> None:
    diags = Diagnostics()
    diags.error(Location("other.yaml"), "SPEC001", "unrelated")
    doc = validate_policy(
        json.loads('{"Version":"1","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}'),
        "permission",
        diags,
        file="x",
    )
    assert doc is not None


def test_size_limit() -> None:
    def document(count: int) -> dict[str, object]:
        actions = [f"ecs:Operation{i:05d}" for i in range(count)]
        return {"Version": "1", "Statement": [{"Action": actions, "Effect": "Allow", "Resource": ["*"]}]}

    # find the largest document that fits, then check one more action tips it over
    fits = max(
        n for n in range(200, 400) if len(json.dumps(document(n), separators=(",", ":"))) <= MAX_POLICY_BYTES
    )
    assert parse_policy_dict(document(fits), "permission").size() <= MAX_POLICY_BYTES
    diags = Diagnostics()
    text = json.dumps(document(fits + 1), indent=2)
    assert validate_policy(parse_text(text, "big.json", diags), "permission", diags, file="big.json") is None
    (diag,) = diags.items
    assert (diag.code, diag.location) == ("POL017", Location("big.json", 1, 1))
    assert f"{len(json.dumps(document(fits + 1), separators=(',', ':')))} bytes" in diag.message
    # trust policies have no documented limit
    big_trust = {
        "Version": "1",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "sts:AssumeRole",
                "Principal": {"RAM": [f"acs:ram::{i:016d}:root" for i in range(300)]},
            }
        ],
    }
    assert parse_policy_dict(big_trust, "trust").size() > MAX_POLICY_BYTES


def test_size_counts_utf8_bytes() -> None:
    value = "财" * 2030  # 6090 bytes in UTF-8, 2030 characters
    data = {
        "Version": "1",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "*",
                "Resource": "*",
                "Condition": {"StringEquals": {"ecs:tag/x": value}},
            }
        ],
    }
    rendered = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    assert len(rendered) < MAX_POLICY_BYTES < len(rendered.encode("utf-8"))
    with pytest.raises(InvalidInput) as exc:
        parse_policy_dict(data, "permission")
    assert exc.value.codes == ["POL017"]


def test_parse_policy_dict() -> None:
    doc = parse_policy_dict(
        {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]},
        "permission",
        source="catalog",
    )
    assert doc.source == "catalog"
    with pytest.raises(InvalidInput) as exc:
        parse_policy_dict({"Version": "1", "Statement": []}, "permission")
    assert exc.value.codes == ["POL003"]
    assert "<inline>:1:1" in str(exc.value)


def test_trust_with_permission_only_element_and_vice_versa() -> None:
    _, diags = check(PERM, "trust")
    # no Principal (error); Action "*" covers sts:AssumeRole but is not the documented form; Resource
    assert codes(diags) == {"POL012", "POL109", "POL110"}
    _, diags = check(TRUST + "    Principal: {Service: ecs.aliyuncs.com}\n", "permission")
    assert codes(diags) == {"POL009", "POL011"}


def test_load_policy_file_extension(tmp_path: Path) -> None:
    path = tmp_path / "policy.txt"
    path.write_text(PERM, encoding="utf-8")
    diags = Diagnostics()
    assert load_policy_file(path, "permission", diags, display="policies/policy.txt") is None
    assert located(diags) == {("POL019", 1, 1)}
    assert diags.items[0].location.file == "policies/policy.txt"


def test_load_policy_file_levels_apply_to_that_file_only(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(PERM + "    Sid: S1\n", encoding="utf-8")
    diags = Diagnostics(levels={"POL102": "ignore"})
    assert load_policy_file(path, "permission", diags) is not None
    assert list(diags) == []
    assert load_policy_file(path, "permission", diags, levels={"POL102": "error"}) is None
    assert [(d.code, d.level) for d in diags] == [("POL102", Level.ERROR)]
    assert diags.levels == {"POL102": "ignore"}


def test_load_policy_file_missing(tmp_path: Path) -> None:
    diags = Diagnostics()
    assert load_policy_file(tmp_path / "nope.json", "trust", diags) is None
    assert codes(diags) == {"IO001"}


def test_a_clean_document_makes_locations_for_its_statements_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where each element's value is is looked up only when something is reported there: a document
    without findings makes the Locations its model keeps (the statements') and its root's."""
    from ramstack import jsonsource

    made: list[object] = []
    at = jsonsource._Lines.at

    def counted(self: jsonsource._Lines, raw: object) -> Location:
        made.append(raw)
        return at(self, raw)

    text = json.dumps(
        {
            "Version": "1",
            "Statement": [
                {"Effect": "Allow", "Action": ["oss:GetObject", "oss:PutObject"], "Resource": "*"},
                {"Effect": "Deny", "Action": "oss:DeleteObject", "Resource": ["acs:oss:*:*:b/*"]},
            ],
        },
        indent=1,
    )
    tree = parse_text(text, "p.json", Diagnostics())
    monkeypatch.setattr(jsonsource._Lines, "at", counted)
    diags = Diagnostics()
    doc = validate_policy(tree, "permission", diags, file="p.json")
    assert doc is not None and not diags.items
    assert [s.location for s in doc.statements] == [Location("p.json", 4, 3), Location("p.json", 12, 3)]
    assert len(made) == 3  # the root and the two statements
    # a finding still points at its value
    tree = parse_text(text.replace('"Deny"', '"deny"'), "p.json", Diagnostics())
    validate_policy(tree, "permission", diags, file="p.json")
    [error] = diags.errors
    assert (error.code, error.location) == ("POL006", Location("p.json", 13, 14))

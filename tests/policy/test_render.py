"""Canonical rendering, and property tests: random valid documents round-trip exactly, random junk
never crashes the validator (it only produces diagnostics)."""

from __future__ import annotations

import ipaddress
import json
import random
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from ramstack.diagnostics import Diagnostics
from ramstack.policy.document import PolicyDocument, PolicyKind
from ramstack.policy.validate import parse_policy_dict, validate_policy
from ramstack.source import parse_text

from ._helpers import check

# ---------------------------------------------------------------------------------------------
# canonical form


def test_canonical_json_exact() -> None:
    doc, diags = check(
        """
        Statement:
          - Resource: acs:oss:*:*:b/*
            Condition:
              StringEquals: {oss:Prefix: [b, a, b]}
              Bool: {acs:SecureTransport: "true"}
            Action: [oss:PutObject, oss:GetObject, oss:GetObject]
            Effect: Allow
          - Effect: Deny
            Action: oss:DeleteObject
            Resource: "*"
        Version: "1"
        """
    )
    assert doc is not None
    assert doc.to_json() == (
        '{"Statement":[{"Action":["oss:GetObject","oss:PutObject"],'
        '"Condition":{"Bool":{"acs:SecureTransport":["true"]},"StringEquals":{"oss:Prefix":["a","b"]}},'
        '"Effect":"Allow","Resource":["acs:oss:*:*:b/*"]},'
        '{"Action":["oss:DeleteObject"],"Effect":"Deny","Resource":["*"]}],"Version":"1"}'
    )
    assert {d.code for d in diags} == {"POL112"}


def test_statement_order_is_kept() -> None:
    first = {"Effect": "Deny", "Action": "b:B", "Resource": "*"}
    second = {"Effect": "Allow", "Action": "a:A", "Resource": "*"}
    doc = parse_policy_dict({"Version": "1", "Statement": [first, second]}, "permission")
    assert [s["Effect"] for s in json.loads(doc.to_json())["Statement"]] == ["Deny", "Allow"]
    other = parse_policy_dict({"Version": "1", "Statement": [second, first]}, "permission")
    assert other != doc


def test_equivalent_spellings_render_identically() -> None:
    a = parse_policy_dict(
        {"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:GetObject", "Resource": "*"}]},
        "permission",
    )
    b = parse_policy_dict(
        {
            "Statement": [{"Resource": ["*", "*"], "Action": ["oss:GetObject"], "Effect": "Allow"}],
            "Version": "1",
        },
        "permission",
    )
    assert a == b
    assert a.to_json() == b.to_json()


def test_non_ascii_is_kept_and_counted_in_bytes() -> None:
    doc, _ = check(
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: "*"\n    Resource: "*"\n'
        "    Condition:\n      StringEquals: {ecs:tag/部门: 财务部}\n"
    )
    assert doc is not None
    text = doc.to_json()
    assert '"ecs:tag/部门":["财务部"]' in text
    assert "\\u" not in text
    assert doc.size() == len(text.encode("utf-8")) == len(text) + 5 * 2  # 5 CJK characters, 3 bytes each


def test_trust_rendering() -> None:
    doc, _ = check(
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: sts:AssumeRole\n    Principal:\n'
        "      Service: ecs.aliyuncs.com\n      RAM: acs:ram::1234567890123456:root\n",
        "trust",
    )
    assert doc is not None
    assert doc.to_json() == (
        '{"Statement":[{"Action":["sts:AssumeRole"],"Effect":"Allow","Principal":'
        '{"RAM":["acs:ram::1234567890123456:root"],"Service":["ecs.aliyuncs.com"]}}],"Version":"1"}'
    )


def test_optional_elements_render() -> None:
    doc, _ = check(
        """
        Version: 1
        Statement:
          - Sid: S1
            Effect: Allow
            NotAction: ram:*
            NotResource: acs:ram:*:*:*
            Condition:
              Bool: {acs:MFAPresent: [true, "true"]}
              NumericEquals: {a:n: [2, 1.5, "3"]}
        """
    )
    assert doc is not None
    assert json.loads(doc.to_json()) == {
        "Version": "1",
        "Statement": [
            {
                "Sid": "S1",
                "Effect": "Allow",
                "NotAction": ["ram:*"],
                "NotResource": ["acs:ram:*:*:*"],
                "Condition": {
                    "Bool": {"acs:MFAPresent": [True, "true"]},
                    "NumericEquals": {"a:n": [1.5, 2, "3"]},
                },
            }
        ],
    }


def _round_trip(doc: PolicyDocument) -> None:
    diags = Diagnostics()
    again = validate_policy(json.loads(doc.to_json()), doc.kind, diags, file="<rendered>")
    assert not diags.has_errors, [d.format() for d in diags]
    assert again == doc
    assert again is not None and again.to_json() == doc.to_json()


# ---------------------------------------------------------------------------------------------
# strategies

_TEXT = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cn", "Zs", "Zl", "Zp"))
# Pools of realistic parts keep each document to a few dozen draws, so thousands run in seconds.
SERVICES = ["oss", "ecs", "ram", "sts", "log", "kms", "vpc", "amqp-open", "yundun-*", "*", "cs", "fc", "c?s"]
OPERATIONS = [
    "*",
    "GetObject",
    "Describe*",
    "*VSwitch*",
    "List*",
    "PutObject",
    "Describe?nstances",
    "Get*Acl",
]
REGIONS = ["", "*", "cn-hangzhou", "oss-cn-hangzhou", "cn-*"]
ACCOUNTS = ["*", "system", "1234567890123456", "9876543210987654", "123456", "12*"]
RELATIVE = ["*", "*/*", "my-bucket/*", "/queues/q1", "role/app", "instance/i-001", "a:b/c.txt", "部门/*"]
UIDS = ["1234567890123456", "9876543210987654", "1000000000000001"]
NAMES = ["app", "ci-deployer", "Azure-AD", "github", "a.b_c@d", "x"]
SERVICE_PRINCIPALS = ["ecs", "fc", "crossbackup.hbr", "log", "amqp-open"]
CONDITION_KEYS = [
    "acs:SourceIp",
    "acs:CurrentTime",
    "acs:SecureTransport",
    "oss:Prefix",
    "ecs:tag/部门",
    "oidc:sub",
]
SHORT_TEXT = ["", "*", "repo:acme/app:*", "财务部", "vpc-1", "a?b"]
service = st.sampled_from(SERVICES)
action = st.one_of(st.just("*"), st.builds(lambda s, o: f"{s}:{o}", service, st.sampled_from(OPERATIONS)))
account = st.sampled_from(ACCOUNTS)
region = st.sampled_from(REGIONS)
relative = st.one_of(st.sampled_from(RELATIVE), st.text(alphabet=_TEXT, min_size=1, max_size=6))
resource = st.one_of(
    st.just("*"), st.builds(lambda s, r, a, rel: f"acs:{s}:{r}:{a}:{rel}", service, region, account, relative)
)
uid = st.sampled_from(UIDS)
name = st.sampled_from(NAMES)
condition_key = st.sampled_from(CONDITION_KEYS)
short_text = st.one_of(st.sampled_from(SHORT_TEXT), st.text(_TEXT, max_size=5))

offset = st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
date_value = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.datetimes(timezones=offset).map(lambda d: d.isoformat()),
    st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat().replace("+00:00", "Z")),
)
ip_value = st.one_of(
    st.ip_addresses().map(str),
    st.builds(lambda ip, n: f"{ip}/{n}", st.ip_addresses(v=4), st.integers(0, 32)),
    st.builds(lambda ip, n: f"{ip}/{n}", st.ip_addresses(v=6), st.integers(0, 128)),
)
number_value = st.one_of(
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-1000, 1000).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
)
FAMILIES: dict[str, st.SearchStrategy[Any]] = {
    "StringEquals": short_text,
    "StringNotLike": short_text,
    "StringEqualsIgnoreCase": short_text,
    "ForAnyValue:StringLike": short_text,
    "NumericLessThanEquals": number_value,
    "DateGreaterThan": date_value,
    "Bool": st.one_of(st.booleans(), st.sampled_from(["true", "false"])),
    "IpAddress": ip_value,
    "NotIpAddress": ip_value,
}


def one_or_many(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(values, st.lists(values, min_size=1, max_size=3))


@st.composite
def condition(draw: st.DrawFn) -> dict[str, Any]:
    ops = draw(st.lists(st.sampled_from(sorted(FAMILIES)), min_size=1, max_size=2, unique=True))
    return {
        op: draw(st.dictionaries(condition_key, one_or_many(FAMILIES[op]), min_size=1, max_size=3))
        for op in ops
    }


@st.composite
def statement(draw: st.DrawFn, kind: PolicyKind) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Deny"]))}
    if kind == "trust":
        out["Action"] = draw(st.sampled_from(["sts:AssumeRole", ["sts:AssumeRole"]]))
        principal_values = {
            "RAM": st.one_of(
                uid.map(lambda u: f"acs:ram::{u}:root"),
                st.builds(
                    lambda u, k, n: f"acs:ram::{u}:{k}/{n}", uid, st.sampled_from(["user", "role"]), name
                ),
            ),
            "Service": st.sampled_from(SERVICE_PRINCIPALS).map(lambda s: f"{s}.aliyuncs.com"),
            "Federated": st.builds(
                lambda u, k, n: f"acs:ram::{u}:{k}/{n}",
                uid,
                st.sampled_from(["oidc-provider", "saml-provider"]),
                name,
            ),
        }
        keys = draw(st.lists(st.sampled_from(sorted(principal_values)), min_size=1, max_size=3, unique=True))
        out["Principal"] = {k: draw(one_or_many(principal_values[k])) for k in keys}
    else:
        out["NotAction" if draw(st.booleans()) else "Action"] = draw(one_or_many(action))
        out["Resource"] = draw(one_or_many(resource))
    if draw(st.booleans()):
        out["Condition"] = draw(condition())
    return out


@st.composite
def valid_document(draw: st.DrawFn) -> tuple[PolicyKind, dict[str, Any]]:
    kind: PolicyKind = draw(st.sampled_from(["permission", "trust"]))
    statements = draw(st.lists(statement(kind), min_size=1, max_size=3))
    return kind, {"Version": "1", "Statement": statements}


VOCABULARY = [
    "Version", "Statement", "Effect", "Action", "NotAction", "Resource", "NotResource", "Principal",
    "Condition", "Sid", "RAM", "Service", "Federated", "StringEquals", "IpAddress", "Bool", "Null",
    "DateLessThan", "NumericEquals", "ForAnyValue:StringLike", "acs:SourceIp", "effect",
]  # fmt: skip
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=8),
    st.sampled_from(["*", "1", "Allow", "Deny", "sts:AssumeRole", "acs:oss:*:*:b", "10.0.0.0/8", "true"]),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=6)), inner, max_size=4),
    ),
    max_leaves=20,
)


@st.composite
def mutated_document(draw: st.DrawFn) -> tuple[PolicyKind, Any]:
    """A valid document with one random subtree replaced by junk (or one key dropped)."""
    kind, doc = draw(valid_document())
    parent: Any = None
    key: Any = None
    node: Any = doc
    while isinstance(node, dict | list) and node and draw(st.integers(0, 3)) > 0:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, draw(st.sampled_from(keys))
        node = node[key]
    if parent is None:
        return kind, draw(junk)
    if isinstance(parent, dict) and draw(st.booleans()):
        del parent[key]
    else:
        parent[key] = draw(junk)
    return kind, doc


def _validate_never_crashes(kind: PolicyKind, tree: Any, file: str = "junk") -> PolicyDocument | None:
    diags = Diagnostics()
    doc = validate_policy(tree, kind, diags, file=file)
    assert (doc is None) == diags.has_errors
    assert all(d.location.file == file for d in diags)
    if doc is not None:
        _round_trip(doc)
    return doc


# ---------------------------------------------------------------------------------------------
# bulk generation: a plain-Python generator seeded by Hypothesis, so each example checks a batch of
# documents (hypothesis draws cost ~0.2 ms each; a generated document costs a few microseconds).
# A failure reports the seed, which reproduces the whole batch.

_CODEPOINTS = [(0x21, 0x7E), (0xA1, 0x17F), (0x4E00, 0x4FFF), (0x1F600, 0x1F64F)]


class Gen:
    def __init__(self, rng: random.Random) -> None:
        self.r = rng

    def pick(self, items: list[Any]) -> Any:
        return items[self.r.randrange(len(items))]

    def some(self, make: Any, most: int = 3) -> Any:
        values = [make() for _ in range(self.r.randint(1, most))]
        return values[0] if len(values) == 1 and self.r.random() < 0.5 else values

    def text(self, most: int = 6, *, spaces: bool = True) -> str:
        chars = []
        for _ in range(self.r.randint(0, most)):
            low, high = self.pick(_CODEPOINTS)
            chars.append(" " if spaces and self.r.random() < 0.1 else chr(self.r.randint(low, high)))
        return "".join(chars)

    def action(self) -> str:
        return "*" if self.r.random() < 0.1 else f"{self.pick(SERVICES)}:{self.pick(OPERATIONS)}"

    def resource(self) -> str:
        if self.r.random() < 0.15:
            return "*"
        rel = self.pick(RELATIVE) if self.r.random() < 0.5 else (self.text(spaces=False) or "x")
        return f"acs:{self.pick(SERVICES)}:{self.pick(REGIONS)}:{self.pick(ACCOUNTS)}:{rel}"

    def value(self, op: str) -> Any:
        family = op.split(":")[-1]
        r = self.r
        if family.startswith("String"):
            return self.pick(SHORT_TEXT) if r.random() < 0.5 else self.text()
        if family.startswith("Numeric"):
            return self.pick(
                [r.randint(-(10**9), 10**9), r.uniform(-1e6, 1e6), str(r.randint(-99, 99)), "2.50"]
            )
        if family.startswith("Date"):
            moment = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(seconds=r.randint(0, 4 * 10**9))
            zone = timezone(timedelta(minutes=r.randint(-14 * 60, 14 * 60)))
            return self.pick([moment.astimezone(zone).isoformat(), moment.date().isoformat()])
        if family == "Bool":
            return self.pick([True, False, "true", "false"])
        if r.random() < 0.5:
            return f"{ipaddress.IPv4Address(r.getrandbits(32))}/{r.randint(0, 32)}"
        return str(ipaddress.IPv6Address(r.getrandbits(128)))

    def condition(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for op in self.r.sample(sorted(FAMILIES), self.r.randint(1, 3)):
            keys = self.r.sample(CONDITION_KEYS, self.r.randint(1, 3))
            out[op] = {key: self.some(lambda op=op: self.value(op)) for key in keys}
        return out

    def statement(self, kind: PolicyKind) -> dict[str, Any]:
        out: dict[str, Any] = {"Effect": self.pick(["Allow", "Deny"])}
        if kind == "trust":
            out["Action"] = self.pick(["sts:AssumeRole", ["sts:AssumeRole"]])
            makers = {
                "RAM": lambda: self.pick(
                    [f"acs:ram::{self.pick(UIDS)}:root", f"acs:ram::{self.pick(UIDS)}:role/x"]
                ),
                "Service": lambda: f"{self.pick(SERVICE_PRINCIPALS)}.aliyuncs.com",
                "Federated": lambda: f"acs:ram::{self.pick(UIDS)}:oidc-provider/{self.pick(NAMES)}",
            }
            keys = self.r.sample(sorted(makers), self.r.randint(1, 3))
            out["Principal"] = {key: self.some(makers[key]) for key in keys}
        else:
            out[self.pick(["Action", "Action", "NotAction"])] = self.some(self.action, 5)
            out["Resource"] = self.some(self.resource, 4)
        if self.r.random() < 0.5:
            out["Condition"] = self.condition()
        return out

    def document(self) -> tuple[PolicyKind, dict[str, Any]]:
        kind: PolicyKind = self.pick(["permission", "trust"])
        return kind, {
            "Version": "1",
            "Statement": [self.statement(kind) for _ in range(self.r.randint(1, 4))],
        }

    def junk(self, depth: int = 0) -> Any:
        roll = self.r.random()
        if depth > 3 or roll < 0.5:
            return self.pick(
                [None, True, False, 0, 1, -7, 2.5, float("nan"), float("inf"), "", "*", "1", "Allow", "x:y",
                 "acs:oss:*:*:b", "10.0.0.0/8", "true", self.text()]
            )  # fmt: skip
        if roll < 0.75:
            return [self.junk(depth + 1) for _ in range(self.r.randint(0, 3))]
        keys = [
            self.pick(VOCABULARY) if self.r.random() < 0.7 else self.text(4)
            for _ in range(self.r.randint(0, 4))
        ]
        return {key: self.junk(depth + 1) for key in keys}

    def mutate(self, data: Any) -> Any:
        """Replace one random subtree of `data` (in place when possible) with junk, or drop a key."""
        parent: Any = None
        key: Any = None
        node = data
        while isinstance(node, dict | list) and node and self.r.random() < 0.75:
            parent, key = node, self.pick(list(node) if isinstance(node, dict) else list(range(len(node))))
            node = node[key]
        if parent is None:
            return self.junk()
        if isinstance(parent, dict) and self.r.random() < 0.3:
            del parent[key]
        else:
            parent[key] = self.junk()
        return data


BATCH = 25
BULK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@BULK
@given(st.integers(0, 2**64))
def test_bulk_valid_documents_round_trip(seed: int) -> None:
    gen = Gen(random.Random(seed))
    for _ in range(BATCH):
        kind, data = gen.document()
        diags = Diagnostics()
        doc = validate_policy(data, kind, diags, file="bulk")
        errors = [d.format() for d in diags.errors]
        if [d.code for d in diags.errors] == ["POL017"]:
            continue
        assert errors == [], data
        assert doc is not None
        _round_trip(doc)


@BULK
@given(st.integers(0, 2**64))
def test_bulk_junk_and_mutations_only_produce_diagnostics(seed: int) -> None:
    gen = Gen(random.Random(seed))
    for _ in range(BATCH):
        _validate_never_crashes(gen.pick(["permission", "trust"]), gen.junk())
        kind, data = gen.document()
        _validate_never_crashes(kind, gen.mutate(data))


# ---------------------------------------------------------------------------------------------
# properties

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(valid_document())
def test_random_valid_documents_round_trip(case: tuple[PolicyKind, dict[str, Any]]) -> None:
    kind, data = case
    diags = Diagnostics()
    doc = validate_policy(data, kind, diags, file="gen")
    errors = [d.code for d in diags.errors]
    assume(errors != ["POL017"])  # a rare generated document exceeds the size limit
    assert errors == [], [d.format() for d in diags]
    assert doc is not None
    assert len(doc.statements) == len(data["Statement"])
    _round_trip(doc)


@FAST
@given(valid_document(), st.sampled_from(["gen.json", "gen.yaml"]))
def test_random_valid_documents_from_text(case: tuple[PolicyKind, dict[str, Any]], file: str) -> None:
    kind, data = case
    diags = Diagnostics()
    tree = parse_text(json.dumps(data, indent=2, ensure_ascii=False), file, diags)
    doc = validate_policy(tree, kind, diags, file=file)
    assume([d.code for d in diags.errors] != ["POL017"])
    assert doc is not None, [d.format() for d in diags]
    assert doc == validate_policy(data, kind, Diagnostics(), file="plain")
    assert all(s.location is not None and s.location.line > 1 for s in doc.statements)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(["permission", "trust"]), junk)
def test_random_junk_only_produces_diagnostics(kind: PolicyKind, tree: Any) -> None:
    _validate_never_crashes(kind, tree)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_document())
def test_mutated_documents_only_produce_diagnostics(case: tuple[PolicyKind, Any]) -> None:
    _validate_never_crashes(*case)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_document(), st.sampled_from(["m.json", "m.yaml"]))
def test_mutated_documents_from_text(case: tuple[PolicyKind, Any], file: str) -> None:
    kind, data = case
    diags = Diagnostics()
    text = json.dumps(data, indent=1, allow_nan=True)
    tree = parse_text(text, file, diags)
    assume(not diags.has_errors)
    doc = validate_policy(tree, kind, diags, file=file)
    assert (doc is None) == diags.has_errors
    assert all(d.location.line >= 1 and d.location.column >= 1 for d in diags)

"""Property: the compiled evaluator agrees with a plain reference implementation of §2.

The reference re-reads the raw policy dicts on every request, matches wildcards with a
dynamic-programming glob (no regex), and compares condition values directly; only the evaluator
under test precompiles, indexes by service, and caches.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ramstack.evaluate import EvalOptions, NamedPolicy, PolicySet, Request
from ramstack.policy.validate import parse_policy_dict

# -- reference implementation ---------------------------------------------------------------------


def glob(pattern: str, text: str) -> bool:
    """`*` any run, `?` one character, everything else literal (dynamic programming)."""
    rows = len(pattern) + 1
    table = [[False] * (len(text) + 1) for _ in range(rows)]
    table[0][0] = True
    for i in range(1, rows):
        p = pattern[i - 1]
        if p == "*":
            table[i][0] = table[i - 1][0]
        for j in range(1, len(text) + 1):
            if p == "*":
                table[i][j] = table[i - 1][j] or table[i][j - 1]
            elif p == "?" or p == text[j - 1]:
                table[i][j] = table[i - 1][j - 1]
    return table[-1][-1]


def listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "NumericNotEquals": "NumericEquals",
    "DateNotEquals": "DateEquals",
    "NotIpAddress": "IpAddress",
}


def as_date(text: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def compare(kind: str, left: Any, right: Any) -> bool:
    return {
        "Equals": left == right,
        "LessThan": left < right,
        "LessThanEquals": left <= right,
        "GreaterThan": left > right,
        "GreaterThanEquals": left >= right,
    }[kind]


def positive(base: str, policy_values: list[Any], value: str) -> bool | None:
    texts = ["true" if v is True else "false" if v is False else str(v) for v in policy_values]
    if base == "StringEquals":
        return value in texts
    if base == "StringEqualsIgnoreCase":
        return value.casefold() in [t.casefold() for t in texts]
    if base == "StringLike":
        return any(glob(t, value) for t in texts)
    if base.startswith("Numeric"):
        try:
            number = float(value)
        except ValueError:
            return None
        return any(compare(base[len("Numeric") :], number, float(t)) for t in texts)
    if base.startswith("Date"):
        moment = as_date(value)
        if moment is None:
            return None
        return any(compare(base[len("Date") :], moment, as_date(t)) for t in texts)
    if base == "Bool":
        if value.lower() not in ("true", "false"):
            return None
        return value.lower() in texts
    if base == "IpAddress":
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return None
        return any(address in ipaddress.ip_network(t, strict=False) for t in texts)
    raise AssertionError(base)


def clause_met(operator: str, key: str, values: list[Any], context: dict[str, list[str]], mode: str) -> bool:
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    found = {k.lower(): v for k, v in context.items()}.get(key.lower())
    if base == "Null":
        return any((v in ("true", True)) == (found is None) for v in values)
    negated = base in NEGATED
    if found is None:
        if if_exists:
            return True
        if mode == "aws":
            return qualifier == "ForAllValues" or (qualifier == "" and negated)
        return False
    base = NEGATED.get(base, base)
    results = [positive(base, values, v) for v in found]
    passes = [r is False for r in results] if negated else [r is True for r in results]
    if qualifier == "ForAllValues" or (qualifier == "" and negated):
        return all(passes)
    return any(passes)


def statement_applies(statement: dict[str, Any], action: str, resource: str) -> bool:
    if "Action" in statement:
        if not any(glob(p.lower(), action.lower()) for p in listed(statement["Action"])):
            return False
    elif any(glob(p.lower(), action.lower()) for p in listed(statement["NotAction"])):
        return False
    if "Resource" in statement:
        return any(glob(p, resource) for p in listed(statement["Resource"]))
    return not any(glob(p, resource) for p in listed(statement["NotResource"]))


def reference(
    policies: list[dict[str, Any]], action: str, resource: str, context: dict[str, list[str]], mode: str
) -> tuple[str, set[tuple[int, int]]]:
    denies: set[tuple[int, int]] = set()
    allows: set[tuple[int, int]] = set()
    for p, policy in enumerate(policies):
        for s, statement in enumerate(policy["Statement"]):
            if not statement_applies(statement, action, resource):
                continue
            conditions = statement.get("Condition", {})
            if all(
                clause_met(op, key, listed(vals), context, mode)
                for op, keys in conditions.items()
                for key, vals in keys.items()
            ):
                (denies if statement["Effect"] == "Deny" else allows).add((p, s))
    if denies:
        return "ExplicitDeny", denies
    if allows:
        return "Allow", allows
    return "ImplicitDeny", set()


# -- strategies -----------------------------------------------------------------------------------

SERVICES = ["oss", "ecs", "Oss"]
ops = st.text("abAB", min_size=1, max_size=3)
op_patterns = st.text("abAB*?", min_size=1, max_size=4)
action_patterns = st.one_of(
    st.just("*"),
    st.builds(lambda s, o: f"{s}:{o}", st.sampled_from([*SERVICES, "*", "o*"]), op_patterns),
)
rel = st.text("aB/", min_size=1, max_size=4)
resource_patterns = st.one_of(
    st.just("*"), st.builds(lambda r: f"acs:oss:*:*:{r}", st.text("abB/*?", min_size=1, max_size=4))
)

DATES = ["2024-01-01T00:00:00Z", "2024-01-01T08:00:00+08:00", "2024-06-01T00:00:00Z", "2023-12-31"]
FAMILIES: dict[str, tuple[list[str], st.SearchStrategy[str], st.SearchStrategy[str]]] = {
    # key: (operators, policy value, request value)
    "s": (
        [
            "StringEquals",
            "StringNotEquals",
            "StringEqualsIgnoreCase",
            "StringNotEqualsIgnoreCase",
            "StringLike",
            "StringNotLike",
        ],
        st.text("aB*?", min_size=1, max_size=3),
        st.text("abAB", min_size=0, max_size=3),
    ),
    "n": (
        [
            "NumericEquals",
            "NumericNotEquals",
            "NumericLessThan",
            "NumericLessThanEquals",
            "NumericGreaterThan",
            "NumericGreaterThanEquals",
        ],
        st.sampled_from(["0", "1", "2.5"]),
        st.sampled_from(["0", "1", "2.5", "3", "x"]),
    ),
    "d": (
        [
            "DateEquals",
            "DateNotEquals",
            "DateLessThan",
            "DateLessThanEquals",
            "DateGreaterThan",
            "DateGreaterThanEquals",
        ],
        st.sampled_from(DATES),
        st.sampled_from([*DATES, "2024-01-01T00:00:00", "soon"]),
    ),
    "b": (["Bool"], st.sampled_from(["true", "false"]), st.sampled_from(["true", "false", "TRUE", "no"])),
    "ip": (
        ["IpAddress", "NotIpAddress"],
        st.sampled_from(["10.0.0.0/8", "10.0.0.1", "192.168.0.0/16", "2001:db8::/32"]),
        st.sampled_from(["10.0.0.1", "10.2.3.4", "192.168.1.1", "1.1.1.1", "2001:db8::5", "bad"]),
    ),
}


@st.composite
def clause(draw: st.DrawFn) -> tuple[str, str, list[str]]:
    key = draw(st.sampled_from(sorted(FAMILIES)))
    operators, values, _ = FAMILIES[key]
    operator = draw(st.sampled_from(operators))
    if draw(st.booleans()):
        operator += "IfExists"
    qualifier = draw(st.sampled_from(["", "", "ForAnyValue:", "ForAllValues:"]))
    return qualifier + operator, key, draw(st.lists(values, min_size=1, max_size=2, unique=True))


@st.composite
def statement(draw: st.DrawFn) -> dict[str, Any]:
    out: dict[str, Any] = {"Effect": draw(st.sampled_from(["Allow", "Allow", "Deny"]))}
    actions = draw(st.lists(action_patterns, min_size=1, max_size=3, unique=True))
    out["NotAction" if draw(st.integers(0, 4)) == 0 else "Action"] = actions
    resources = draw(st.lists(resource_patterns, min_size=1, max_size=2, unique=True))
    out["NotResource" if draw(st.integers(0, 4)) == 0 else "Resource"] = resources
    condition: dict[str, dict[str, list[str]]] = {}
    for operator, key, values in draw(st.lists(clause(), max_size=2)):
        condition.setdefault(operator, {})[key] = values
    if condition:
        out["Condition"] = condition
    return out


policy = st.builds(lambda s: {"Version": "1", "Statement": s}, st.lists(statement(), min_size=1, max_size=4))


@st.composite
def context(draw: st.DrawFn) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for key, (_, _, values) in FAMILIES.items():
        if draw(st.booleans()):
            name = key.upper() if draw(st.integers(0, 5)) == 0 else key  # keys compare case-insensitively
            out[name] = draw(st.lists(values, min_size=1, max_size=2))
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    policies=st.lists(policy, min_size=1, max_size=3),
    requests=st.lists(
        st.tuples(
            st.builds(lambda s, o: f"{s}:{o}", st.sampled_from(SERVICES), ops),
            st.builds(lambda r: f"acs:oss:*:*:{r}", rel),
            context(),
        ),
        min_size=1,
        max_size=4,
    ),
    mode=st.sampled_from(["unmet", "aws"]),
)
def test_compiled_evaluator_agrees_with_reference(
    policies: list[dict[str, Any]], requests: list[tuple[str, str, dict[str, list[str]]]], mode: str
) -> None:
    named = [NamedPolicy(f"p{i}", parse_policy_dict(p, "permission"), "file") for i, p in enumerate(policies)]
    compiled = PolicySet(named, EvalOptions(missing_key=mode))  # type: ignore[arg-type]
    for action, resource, ctx in requests:
        decision = compiled.evaluate(Request.of(action, resource, ctx))
        expected, statements = reference(policies, action, resource, ctx, mode)
        assert decision.decision == expected, (action, resource, ctx)
        assert {(int(m.policy[1:]), m.statement) for m in decision.matched} == statements
        assert compiled.is_allowed(Request.of(action, resource, ctx)) == (expected == "Allow")


def test_reference_glob_sanity() -> None:
    assert glob("a*b?", "axxbc") and glob("*", "") and not glob("a?", "a") and glob("??", "ab")

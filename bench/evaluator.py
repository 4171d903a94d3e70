"""Benchmark: the compiled evaluator against a naive one, on the same requests in one process.

    python bench/evaluator.py [--policies 300 --requests 3000 --principal-policies 20 --seed 7]
                              [--rounds 5]

The naive evaluator (below, for comparison only) walks every statement of every policy for each
request and matches with `fnmatch` per pattern, parses condition values (IPs, dates, numbers) on
every check, and builds nothing in advance. The compiled one is `ramstack.evaluate.PolicySet`:
matchers built once, statements indexed by service code.

Workload (generated, seeded): hundreds of policies of 1-6 statements over ~25 service codes, with
literal actions from the bundled catalog, wildcards (`ice:Get*`, `*:Describe*`, `oss:*Object*`),
resource ARNs with wildcards, NotAction/NotResource, ~10 % Deny, and conditions of every family
(IpAddress CIDRs, StringEquals/Like, Bool, Date, Numeric) on half the statements. Requests name
catalog actions on matching-shaped ARNs with a request context.

Two scenarios: every policy at once (an account-wide question), and one principal holding
--principal-policies of them. Both evaluators must return the same verdict for every request
(checked); the figures are decisions per second and the ratio (target >= 10x). The compiled set
memoises per action which statements an action concerns, so it is timed twice: cold (first pass,
memo empty) and warm. The headline ratio counts compilation: naive time / (compile + cold pass),
target >= 10x. Each scenario runs --rounds times, naive and compiled alternating which goes first,
a fresh `PolicySet` per round; the ratios are paired (both sides of one round), printed as median
(min-max). Times are CPU seconds of this process (time.process_time): the machine is shared.
Not a test.
"""

from __future__ import annotations

import argparse
import fnmatch
import ipaddress
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ramstack.evaluate import NamedPolicy, PolicySet, Request  # noqa: E402
from ramstack.evaluate.actions_catalog import known_actions  # noqa: E402
from ramstack.evaluate.conditions import _address, _date  # noqa: E402
from ramstack.evaluate.matchers import _pattern_set  # noqa: E402
from ramstack.policy.validate import parse_policy_dict  # noqa: E402

CATALOGUED = ["ice", "imm", "vod", "oss", "ram", "sts"]
OTHER = [
    "ecs",
    "rds",
    "slb",
    "vpc",
    "log",
    "kms",
    "cms",
    "fc",
    "cdn",
    "dns",
    "ess",
    "ack",
    "mns",
    "ots",
    "nas",
    "sls",
    "waf",
    "cen",
    "alb",
]
VERBS = ["Describe", "Get", "List", "Create", "Delete", "Modify", "Update", "Start", "Stop", "Search"]
NOUNS = ["Instance", "Instances", "Disk", "Bucket", "Object", "Job", "Project", "Template", "Rule", "Key"]
DATES = ["2024-01-01T00:00:00Z", "2025-06-30T12:00:00+08:00", "2026-01-01T00:00:00Z"]


# -- workload -------------------------------------------------------------------------------------


def actions_of(service: str) -> list[str]:
    known = list(known_actions(service))
    if known:
        return known
    return [f"{service}:{v}{n}" for v in VERBS for n in NOUNS]


def resource_for(rng: random.Random, service: str, account: str) -> str:
    kind = rng.choice(["instance", "project", "bucket", "key", "job"])
    region = rng.choice(["cn-hangzhou", "cn-shanghai"])
    return f"acs:{service}:{region}:{account}:{kind}/{kind}-{rng.randint(0, 40)}"


def random_condition(rng: random.Random) -> dict[str, Any]:
    family = rng.choice(["ip", "ip", "string", "like", "bool", "date", "number"])
    if family == "ip":
        blocks = rng.sample(
            ["10.0.0.0/8", "192.168.0.0/16", "203.0.113.0/24", "198.51.100.7", "172.16.0.0/12"], 2
        )
        return {rng.choice(["IpAddress", "NotIpAddress"]): {"acs:SourceIp": blocks}}
    if family == "string":
        return {"StringEquals": {"acs:SourceVpc": rng.sample(["vpc-a", "vpc-b", "vpc-c"], 2)}}
    if family == "like":
        return {"StringLike": {"acs:ResourceTag/team": [f"{rng.choice(['media', 'data', 'ops'])}-*"]}}
    if family == "bool":
        return {"Bool": {"acs:SecureTransport": "true"}}
    if family == "date":
        return {rng.choice(["DateLessThan", "DateGreaterThan"]): {"acs:CurrentTime": rng.choice(DATES)}}
    return {"NumericLessThanEquals": {"acs:MaxKeys": str(rng.choice([10, 100, 1000]))}}


def random_statement(rng: random.Random, account: str) -> dict[str, Any]:
    service = rng.choice(CATALOGUED + OTHER)
    pool = actions_of(service)
    shape = rng.random()
    if shape < 0.45:
        actions = rng.sample(pool, min(len(pool), rng.randint(1, 6)))
    elif shape < 0.8:
        actions = [f"{service}:{rng.choice(VERBS)}*" for _ in range(rng.randint(1, 3))]
    elif shape < 0.9:
        actions = [f"*:{rng.choice(VERBS)}*"]
    else:
        actions = [f"{service}:*{rng.choice(NOUNS)}*", f"{service}:*"][: rng.randint(1, 2)]
    statement: dict[str, Any] = {"Effect": "Deny" if rng.random() < 0.1 else "Allow"}
    statement["NotAction" if rng.random() < 0.03 else "Action"] = sorted(set(actions))
    roll = rng.random()
    if roll < 0.4:
        resources = ["*"]
    elif roll < 0.7:
        resources = [f"acs:{service}:*:{account}:*"]
    else:
        resources = [resource_for(rng, service, account).rsplit("-", 1)[0] + "-*" for _ in range(2)]
    statement["NotResource" if rng.random() < 0.03 else "Resource"] = sorted(set(resources))
    if rng.random() < 0.5:
        condition: dict[str, Any] = {}
        for _ in range(rng.randint(1, 2)):
            for operator, keys in random_condition(rng).items():
                condition.setdefault(operator, {}).update(keys)
        statement["Condition"] = condition
    return statement


def workload(count: int, requests: int, seed: int) -> tuple[list[dict[str, Any]], list[Request]]:
    rng = random.Random(seed)
    account = "1234567890123456"
    policies = [
        {"Version": "1", "Statement": [random_statement(rng, account) for _ in range(rng.randint(1, 6))]}
        for _ in range(count)
    ]
    out: list[Request] = []
    for _ in range(requests):
        service = rng.choice(CATALOGUED + OTHER)
        context: dict[str, Any] = {
            "acs:SourceIp": rng.choice(["10.1.2.3", "192.168.5.5", "203.0.113.9", "8.8.8.8", "198.51.100.7"]),
            "acs:SecureTransport": rng.choice(["true", "false"]),
            "acs:CurrentTime": rng.choice(["2024-06-01T00:00:00Z", "2025-12-31T23:00:00+08:00"]),
        }
        if rng.random() < 0.5:
            context["acs:SourceVpc"] = rng.choice(["vpc-a", "vpc-d"])
        if rng.random() < 0.5:
            context["acs:ResourceTag/team"] = rng.choice(["media-1", "ops-2", "finance-3"])
        if rng.random() < 0.3:
            context["acs:MaxKeys"] = str(rng.choice([5, 50, 500, 5000]))
        out.append(Request.of(rng.choice(actions_of(service)), resource_for(rng, service, account), context))
    return policies, out


# -- the naive evaluator --------------------------------------------------------------------------


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _naive_value(operator: str, policy_values: list[str], got: str) -> bool:
    if operator in ("IpAddress", "NotIpAddress"):
        try:
            address = ipaddress.ip_address(got)
        except ValueError:
            return False
        hit = any(address in ipaddress.ip_network(v, strict=False) for v in policy_values)
        return hit if operator == "IpAddress" else not hit
    if operator == "StringEquals":
        return got in policy_values
    if operator == "StringLike":
        return any(fnmatch.fnmatchcase(got, v) for v in policy_values)
    if operator == "Bool":
        return got.lower() in policy_values
    if operator.startswith("Date"):
        moment = datetime.fromisoformat(got)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        limits = [datetime.fromisoformat(v) for v in policy_values]
        limits = [d if d.tzinfo else d.replace(tzinfo=UTC) for d in limits]
        return (
            any(moment < d for d in limits) if operator == "DateLessThan" else any(moment > d for d in limits)
        )
    if operator == "NumericLessThanEquals":
        return any(float(got) <= float(v) for v in policy_values)
    raise AssertionError(operator)


def naive_allowed(policies: Sequence[dict[str, Any]], request: Request) -> bool:
    allowed = False
    action = request.action.lower()
    context = {k.lower(): v for k, v in request.context.items()}
    for policy in policies:
        for statement in policy["Statement"]:
            if "Action" in statement:
                if not any(fnmatch.fnmatchcase(action, p.lower()) for p in _listed(statement["Action"])):
                    continue
            elif any(fnmatch.fnmatchcase(action, p.lower()) for p in _listed(statement["NotAction"])):
                continue
            if "Resource" in statement:
                if not any(fnmatch.fnmatchcase(request.resource, p) for p in _listed(statement["Resource"])):
                    continue
            elif any(fnmatch.fnmatchcase(request.resource, p) for p in _listed(statement["NotResource"])):
                continue
            met = True
            for operator, keys in statement.get("Condition", {}).items():
                for key, values in keys.items():
                    got = context.get(key.lower())
                    if got is None or not any(_naive_value(operator, _listed(values), g) for g in got):
                        met = False
            if not met:
                continue
            if statement["Effect"] == "Deny":
                return False
            allowed = True
    return allowed


# -- measurement ----------------------------------------------------------------------------------


def cpu(run: Callable[[], list[bool]]) -> tuple[float, list[bool]]:
    start = time.process_time()
    verdicts = run()
    return time.process_time() - start, verdicts


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}x ({min(values):.1f}-{max(values):.1f})"


def naive_side(
    raw: list[dict[str, Any]],
    _named: list[NamedPolicy],
    requests: list[Request],
    figures: dict[str, float],
    verdicts: dict[str, list[bool]],
) -> None:
    figures["naive"], verdicts["naive"] = cpu(lambda: [naive_allowed(raw, r) for r in requests])


def compiled_side(
    _raw: list[dict[str, Any]],
    named: list[NamedPolicy],
    requests: list[Request],
    figures: dict[str, float],
    verdicts: dict[str, list[bool]],
) -> None:
    for cache in (_pattern_set, _address, _date):  # the module-wide memos start empty every round too
        cache.cache_clear()
    start = time.process_time()
    compiled = PolicySet(named)  # a fresh set: compilation and the cold memo are counted
    figures["compile"] = time.process_time() - start
    figures["cold"], verdicts["cold"] = cpu(lambda: [compiled.evaluate(r).allowed for r in requests])
    figures["warm"], verdicts["warm"] = cpu(lambda: [compiled.evaluate(r).allowed for r in requests])
    figures["fast"], verdicts["fast"] = cpu(lambda: [compiled.is_allowed(r) for r in requests])


def scenario(title: str, raw: list[dict[str, Any]], requests: list[Request], rounds: int) -> float:
    print(
        f"{title}: {len(raw)} policies, {sum(len(p['Statement']) for p in raw)} statements, "
        f"{len(requests)} requests, {rounds} rounds (naive and compiled alternate which goes first)"
    )
    documents = [parse_policy_dict(p, "permission") for p in raw]
    named = [NamedPolicy(f"p{i}", d, "file") for i, d in enumerate(documents)]
    count = len(requests)
    seconds: dict[str, list[float]] = {k: [] for k in ("naive", "compile", "cold", "warm", "fast")}
    ratios: dict[str, list[float]] = {k: [] for k in ("with_compile", "cold", "warm", "fast")}
    for round_ in range(rounds):
        figures: dict[str, float] = {}
        verdicts: dict[str, list[bool]] = {}
        sides = (naive_side, compiled_side) if round_ % 2 == 0 else (compiled_side, naive_side)
        for side in sides:
            side(raw, named, requests, figures, verdicts)
        for name in ("cold", "warm", "fast"):
            if verdicts[name] != verdicts["naive"]:
                wrong = sum(a != b for a, b in zip(verdicts[name], verdicts["naive"], strict=True))
                raise SystemExit(f"{name} verdicts differ from the naive evaluator on {wrong} requests")
        for key in seconds:
            seconds[key].append(figures[key])
        ratios["with_compile"].append(figures["naive"] / (figures["compile"] + figures["cold"]))
        for key in ("cold", "warm", "fast"):
            ratios[key].append(figures["naive"] / figures[key])
    allowed = sum(verdicts["naive"])
    print(f"  {'compile (once per round)':34} {statistics.median(seconds['compile']):12.3f} s")
    for key, label in (
        ("naive", "naive (fnmatch per statement)"),
        ("cold", "compiled evaluate (cold memo)"),
        ("warm", "compiled evaluate (warm memo)"),
        ("fast", "compiled is_allowed (warm memo)"),
    ):
        median = statistics.median(seconds[key])
        print(f"  {label:34} {count / median:12,.0f} decisions/s  (median {median:.3f} s for {count})")
    print(f"  verdicts agree ({allowed} allowed, {count - allowed} denied)")
    print(
        f"  paired ratio vs naive, median (min-max): compile + evaluate cold "
        f"{spread(ratios['with_compile'])} (target >= 10x); evaluate cold {spread(ratios['cold'])}, "
        f"warm {spread(ratios['warm'])}; is_allowed {spread(ratios['fast'])}"
    )
    return statistics.median(ratios["with_compile"])


def main() -> int:
    parser = argparse.ArgumentParser(description="compiled vs naive evaluator throughput")
    parser.add_argument("--policies", type=int, default=300)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--principal-policies", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    raw, requests = workload(args.policies, args.requests, args.seed)
    scenario("account-wide", raw, requests, args.rounds)
    print()
    scenario("one principal", raw[: args.principal_policies], requests, args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

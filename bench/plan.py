"""Benchmark: `ramstack plan`, end to end, against a bare pulumi_alicloud program with the same resources.

    python bench/plan.py [--users 1000 --roles 200 --policies 300 --runs 5] [--sides bare,bare-gc]
    python bench/plan.py --growth 100,300,1000,3000 [--runs 3]
    python bench/plan.py --baseline REF   # also `ramstack plan` from the code of a git ref

Each side is its own process, started fresh (interpreter start, imports, everything), in rotating
order, --runs times:
  plan        `python -m ramstack plan -C PROJECT --stack bench --format json`: spec parsing,
              validation, the project's real stack program under the fake-cloud mocks, effective
              permissions, rendering
  bare        bench/replay.py's plain program: the same custom resources, inputs and dependency edges,
              recorded from ramstack's own run (correct by construction; checked to succeed first),
              under the same mock runtime as plan, with Python's default collector
  bare-gc     the same bare program with plan's collector setting (ramstack.heap.collector_off around
              the run), so that what plan/bare owes to the collector is visible
  bare-stock  the same bare program on the SDK's own mock path (executor threads, no fast path)
  plan@REF    with --baseline REF: `ramstack plan` from `git archive REF`, the code before a change
Printed: wall and CPU seconds (median, min-max), peak RSS, and the paired ratio of plan to each other
side (median, min-max over the runs; target plan/bare <= 1.3). --growth prints, per size, each side's
median CPU time, plan's paired ratio to each, and the exponent of the power law fitted to each side's
CPU time between consecutive sizes (target for plan <= 1.05; 3,000 users < 25 s). Not a test:
figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.core import checkout, environment  # noqa: E402
from bench.inventory import generate  # noqa: E402

BARE_SIDES = ("bare", "bare-gc", "bare-stock")


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mib: float


@dataclass(frozen=True)
class Side:
    name: str
    cmd: list[str]
    env: dict[str, str]  # PYTHONPATH names the code's folder, where the process runs


def measure(side: Side, ok: tuple[int, ...] = (0,)) -> Run:
    """One fresh process: wall time, CPU time (user + sys) and peak RSS of that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        side.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=side.env["PYTHONPATH"], env=side.env
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"{' '.join(side.cmd)} exited {code}:\n{err.decode(errors='replace')[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def bare_side(project: Path, mode: str = "bare") -> Side:
    return Side(
        mode, [sys.executable, str(ROOT / "bench" / "replay.py"), mode, str(project)], environment(ROOT)
    )


def sides(project: Path, names: list[str], baseline: tuple[str, Path] | None) -> list[Side]:
    """plan first, then the bare sides asked for, then plan@REF."""
    plan = [
        sys.executable,
        "-m",
        "ramstack",
        "plan",
        "-C",
        str(project),
        "--stack",
        "bench",
        "--format",
        "json",
    ]
    out = [Side("plan", plan, environment(ROOT))]
    out += [bare_side(project, name) for name in names]
    if baseline is not None:
        out.append(Side(f"plan@{baseline[0]}", plan, environment(baseline[1])))
    return out


def prepare(root: Path, users: int, roles: int, policies: int) -> Path:
    project = generate(root, users, roles, policies)
    # Custom policies plus one assume grant per assuming principal pass RAM's default quota of 1,500
    # at about 3,000 users; an account can be granted more (Quota Center), and the stack says so.
    if policies + users // 4 > 1500:
        stack = project / "Pulumi.bench.yaml"
        stack.write_text(
            stack.read_text() + f"  ramstack:quotas:\n    custom_policies_per_account: {2 * users}\n"
        )
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "replay.py"), "record", str(project)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    measure(bare_side(project))  # the baseline must succeed before it is a baseline
    return project


def paired(each: list[Side], runs: int) -> dict[str, list[Run]]:
    """`runs` fresh processes of each side, the order rotating from one round to the next."""
    measured: dict[str, list[Run]] = {side.name: [] for side in each}
    for i in range(runs):
        shift = i % len(each)
        for side in each[shift:] + each[:shift]:
            measured[side.name].append(measure(side))
    return measured


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def cpu_ratios(plans: list[Run], others: list[Run]) -> list[float]:
    return [p.cpu / o.cpu for p, o in zip(plans, others, strict=True)]


def compare(each: list[Side], runs: int) -> None:
    measured = paired(each, runs)
    width = max(len(side.name) for side in each) + 1
    print(f"{'side':<{width}} {'wall s, median (min-max)':<28} {'cpu s, median (min-max)':<28} peak MiB")
    for name, data in measured.items():
        print(
            f"{name:<{width}} {spread([r.wall for r in data]):<28} {spread([r.cpu for r in data]):<28} "
            f"{max(r.peak_mib for r in data):.0f}"
        )
    plans = measured["plan"]
    for name, data in measured.items():
        if name != "plan":
            wall = [p.wall / o.wall for p, o in zip(plans, data, strict=True)]
            print(
                f"ratio plan/{name} (paired, {runs} runs): wall {spread(wall)}x, "
                f"cpu {spread(cpu_ratios(plans, data))}x"
            )
    print("target: plan/bare <= 1.30x")


def growth(
    sizes: list[int], runs: int, tmp: Path, names: list[str], baseline: tuple[str, Path] | None
) -> None:
    previous: tuple[int, dict[str, float]] | None = None
    for users in sizes:
        roles, policies = max(1, users // 5), max(1, (users * 3) // 10)
        project = prepare(tmp / f"g{users}", users, roles, policies)
        resources = len(json.loads((project / "replay.json").read_text()))
        each = sides(project, names, baseline)
        others = [side.name for side in each[1:]]
        if previous is None:
            print(
                f"{'users':>6} {'resources':>9} {'plan cpu s':>10} {'wall s':>7} {'MiB':>5}  "
                + "  ".join(f"{n + ' cpu s':>16} {'plan/' + n:>16}" for n in others)
                + "  exponent: "
                + " ".join(["plan", *others])
            )
        measured = paired(each, runs)
        cpu = {name: statistics.median(r.cpu for r in data) for name, data in measured.items()}
        exponents = ""
        if previous is not None:
            scale = math.log(users / previous[0])
            exponents = " ".join(
                f"{math.log(cpu[n] / previous[1][n]) / scale:.2f}" for n in ["plan", *others]
            )
        plans = measured["plan"]
        wall, peak = statistics.median(r.wall for r in plans), max(r.peak_mib for r in plans)
        print(
            f"{users:>6} {resources:>9} {cpu['plan']:>10.2f} {wall:>7.2f} {peak:>5.0f}  "
            + "  ".join(
                f"{cpu[n]:>16.2f} {statistics.median(cpu_ratios(plans, measured[n])):>15.2f}x" for n in others
            )
            + f"  {exponents}"
        )
        previous = (users, cpu)
    print(
        "exponent: of the power law fitted to each side's median CPU time between consecutive sizes "
        "(target for plan <= 1.05 from 100 to 3,000 users; 3,000 users < 25 s)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--roles", type=int, default=200)
    parser.add_argument("--policies", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--growth", help="comma-separated user counts (roles = users/5, policies = 3*users/10)"
    )
    parser.add_argument(
        "--sides",
        default="bare,bare-gc",
        help="the bare sides plan is paired with, of: " + ", ".join(BARE_SIDES),
    )
    parser.add_argument(
        "--baseline", metavar="REF", help="also `ramstack plan` from the code of this git ref"
    )
    args = parser.parse_args()
    names = [n for n in args.sides.split(",") if n]
    unknown = [n for n in names if n not in BARE_SIDES]
    if unknown:
        parser.error(f"unknown side {', '.join(unknown)} (of: {', '.join(BARE_SIDES)})")
    with tempfile.TemporaryDirectory(prefix="ramstack-bench-") as tmp:
        baseline = (args.baseline, checkout(args.baseline, Path(tmp) / "baseline")) if args.baseline else None
        if args.growth:
            growth([int(n) for n in args.growth.split(",")], args.runs, Path(tmp), names, baseline)
            return
        project = prepare(Path(tmp) / "project", args.users, args.roles, args.policies)
        print(f"inventory: {args.users} users, {args.roles} roles, {args.policies} custom policies")
        compare(sides(project, names, baseline), args.runs)


if __name__ == "__main__":
    main()

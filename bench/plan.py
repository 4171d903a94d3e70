"""Benchmark: `ramstack plan`, end to end, against a bare pulumi_alicloud program with the same resources.

    python bench/plan.py [--users 1000 --roles 200 --policies 300 --runs 5]
    python bench/plan.py --growth 100,300,1000,3000 [--runs 3]

Each side is its own process, started fresh (interpreter start, imports, everything), in alternating
order, --runs times:
  plan   `python -m ramstack plan -C PROJECT --stack bench --format json`: spec parsing, validation,
         the project's real stack program under the fake-cloud mocks, effective permissions, rendering
  bare   bench/replay.py's plain program: the same custom resources, inputs and dependency edges,
         recorded from ramstack's own run (correct by construction; checked to succeed first)
Printed: wall and CPU seconds (median, min-max), peak RSS, and the paired ratio plan/bare (median,
min-max over the runs; target <= 1.3). --growth prints, per size, plan's and bare's CPU time (both
sides measured the same way), their paired ratio and the exponent of the power law fitted between
consecutive sizes for each (target for plan <= 1.05). Not a test: figures, not pass/fail.
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

from bench.inventory import generate  # noqa: E402


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mib: float


def measure(cmd: list[str], ok: tuple[int, ...] = (0,)) -> Run:
    """One fresh process: wall time, CPU time (user + sys) and peak RSS of that process alone."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}:\n{err.decode(errors='replace')[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def plan_cmd(project: Path) -> list[str]:
    return [
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


def bare_cmd(project: Path) -> list[str]:
    return [sys.executable, str(ROOT / "bench" / "replay.py"), "bare", str(project)]


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
    measure(bare_cmd(project))  # the baseline must succeed before it is a baseline
    return project


def paired(project: Path, runs: int) -> tuple[list[Run], list[Run]]:
    """`runs` fresh processes of each side, alternating which goes first."""
    plans: list[Run] = []
    bares: list[Run] = []
    for i in range(runs):
        order = [("plan", plans), ("bare", bares)] if i % 2 == 0 else [("bare", bares), ("plan", plans)]
        for side, sink in order:
            sink.append(measure(plan_cmd(project) if side == "plan" else bare_cmd(project)))
    return plans, bares


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def compare(project: Path, runs: int) -> None:
    plans, bares = paired(project, runs)
    print(f"{'side':<6} {'wall s, median (min-max)':<28} {'cpu s, median (min-max)':<28} peak MiB")
    for side, data in (("plan", plans), ("bare", bares)):
        print(
            f"{side:<6} {spread([r.wall for r in data]):<28} {spread([r.cpu for r in data]):<28} "
            f"{max(r.peak_mib for r in data):.0f}"
        )
    wall_ratio = [p.wall / b.wall for p, b in zip(plans, bares, strict=True)]
    cpu_ratio = [p.cpu / b.cpu for p, b in zip(plans, bares, strict=True)]
    print(f"ratio plan/bare (paired, {runs} runs): wall {spread(wall_ratio)}x, cpu {spread(cpu_ratio)}x")
    print("target: <= 1.30x")


def growth(sizes: list[int], runs: int, tmp: Path) -> None:
    print(
        f"{'users':>6} {'resources':>9} {'plan cpu s':>11} {'plan wall s':>11} {'plan MiB':>8} "
        f"{'bare cpu s':>10} {'plan/bare':>9} {'exp plan':>8} {'exp bare':>8}"
    )
    previous: tuple[int, float, float] | None = None
    for users in sizes:
        roles, policies = max(1, users // 5), max(1, (users * 3) // 10)
        project = prepare(tmp / f"g{users}", users, roles, policies)
        resources = len(json.loads((project / "replay.json").read_text()))
        plans, bares = paired(project, runs)
        cpu = statistics.median(r.cpu for r in plans)
        bare = statistics.median(r.cpu for r in bares)
        ratio = statistics.median(p.cpu / b.cpu for p, b in zip(plans, bares, strict=True))
        exponents = ("", "")
        if previous is not None:
            scale = math.log(users / previous[0])
            exponents = (
                f"{math.log(cpu / previous[1]) / scale:.2f}",
                f"{math.log(bare / previous[2]) / scale:.2f}",
            )
        print(
            f"{users:>6} {resources:>9} {cpu:>11.2f} {statistics.median(r.wall for r in plans):>11.2f} "
            f"{max(r.peak_mib for r in plans):>8.0f} {bare:>10.2f} {ratio:>8.2f}x "
            f"{exponents[0]:>8} {exponents[1]:>8}"
        )
        previous = (users, cpu, bare)
    print(
        "exp: exponent of the power law fitted to median CPU time between consecutive sizes "
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
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ramstack-bench-") as tmp:
        if args.growth:
            growth([int(n) for n in args.growth.split(",")], args.runs, Path(tmp))
            return
        project = prepare(Path(tmp), args.users, args.roles, args.policies)
        print(f"inventory: {args.users} users, {args.roles} roles, {args.policies} custom policies")
        compare(project, args.runs)


if __name__ == "__main__":
    main()

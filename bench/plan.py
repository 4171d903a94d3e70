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
min-max over the runs; target <= 1.3). --growth prints plan's time per size and the exponent of the
power law fitted between consecutive sizes (target <= 1.05). Not a test: figures, not pass/fail.
"""

from __future__ import annotations

import argparse
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
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "replay.py"), "record", str(project)],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    measure(bare_cmd(project))  # the baseline must succeed before it is a baseline
    return project


def spread(values: list[float], fmt: str = "{:.2f}") -> str:
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def compare(project: Path, runs: int) -> None:
    plans: list[Run] = []
    bares: list[Run] = []
    for i in range(runs):
        order = [("plan", plans), ("bare", bares)] if i % 2 == 0 else [("bare", bares), ("plan", plans)]
        for side, sink in order:
            sink.append(measure(plan_cmd(project) if side == "plan" else bare_cmd(project)))
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
    print(f"{'users':>6} {'plan wall s':>12} {'plan cpu s':>11} {'peak MiB':>9} {'exponent':>9}")
    previous: tuple[int, float] | None = None
    for users in sizes:
        project = generate(tmp / f"g{users}", users, max(1, users // 5), max(1, (users * 3) // 10))
        data = [measure(plan_cmd(project)) for _ in range(runs)]
        cpu = statistics.median(r.cpu for r in data)
        wall = statistics.median(r.wall for r in data)
        exponent = (
            "" if previous is None else f"{math.log(cpu / previous[1]) / math.log(users / previous[0]):.2f}"
        )
        print(f"{users:>6} {wall:>12.2f} {cpu:>11.2f} {max(r.peak_mib for r in data):>9.0f} {exponent:>9}")
        previous = (users, cpu)
    print("exponent: of CPU time between consecutive sizes; target <= 1.05 from 100 to 3,000 users")


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

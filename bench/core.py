"""Benchmark: the core verbs end to end at scale, each run as its own fresh process.

    python bench/core.py [--sizes 1000,5000] [--runs 3]

For each inventory size (roles = users/5, custom policies = 3*users/10 up to 300; 5,000 users is the largest
inventory RAM's default account limits allow), times `ramstack validate`, `lint`, `lock`, `lock --check`
and `diff` (against the lock just written) as separate processes: interpreter start, imports, parsing,
validation, evaluation, rendering. Prints medians (min-max) and peak RSS beside the targets at 5,000
users: validate <= 1 s, lint <= 1.5 s, lock and diff <= 2 s. Not a test: figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.inventory import generate  # noqa: E402
from bench.plan import Run, measure  # noqa: E402

TARGETS = {"validate": 1.0, "lint": 1.5, "lock": 2.0, "lock --check": 2.0, "diff": 2.0}


def verb_cmd(project: Path, verb: str) -> list[str]:
    base = [sys.executable, "-m", "ramstack", *verb.split(), "-C", str(project), "--stack", "bench"]
    return base + (["--fail-on", "critical"] if verb == "lint" else [])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(
        f"{'users':>6} {'verb':<13} {'wall s, median (min-max)':<26} {'cpu s':>6} {'MiB':>5}  target at 5,000"
    )
    with tempfile.TemporaryDirectory(prefix="ramstack-bench-core-") as tmp:
        for users in (int(n) for n in args.sizes.split(",")):
            # custom policies stay within the default account quota (1,500, assume grants included)
            project = generate(Path(tmp) / f"u{users}", users, max(1, users // 5), min(300, users * 3 // 10))
            measure(verb_cmd(project, "lock"))  # diff and lock --check compare against a current lock
            for verb in TARGETS:
                runs: list[Run] = [measure(verb_cmd(project, verb), ok=(0, 1)) for _ in range(args.runs)]
                walls = [r.wall for r in runs]
                print(
                    f"{users:>6} {verb:<13} "
                    f"{statistics.median(walls):>6.2f} ({min(walls):.2f}-{max(walls):.2f}){'':<11} "
                    f"{statistics.median(r.cpu for r in runs):>6.2f} {max(r.peak_mib for r in runs):>5.0f}  "
                    f"<= {TARGETS[verb]:.1f} s"
                )


if __name__ == "__main__":
    main()

"""Benchmark: the parse layer alone, reading the generated inventory's spec and policy files.

    python bench/parse.py [--users 5000] [--runs 5] [--baseline REF]

Each run is a fresh process that reads the texts, then times (CPU, time.process_time) `parse_text`
of access.yaml and of every policy file, the best of three passes; the spec also with the cycle
collector off, as the core verbs run (ramstack.heap.collector_off). With --baseline REF the same runs
use the code of `git archive REF` too, alternating which side goes first, and each row adds the
baseline's median and the median of the paired ratios current/baseline. Not a test: figures.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.core import checkout, environment  # noqa: E402
from bench.inventory import generate  # noqa: E402

# run in the measured process: the parse of the spec and of the policies, best of three passes each
PROBE = """
import gc, json, sys, time
from pathlib import Path
from ramstack.diagnostics import Diagnostics
from ramstack.source import parse_text
project = Path(sys.argv[1])
spec, policies = [project / "access.yaml"], sorted((project / "policies").iterdir())
out = {}
cases = [("spec", spec, True), ("spec, gc off", spec, False), ("policies", policies, True)]
for name, paths, collect in cases:
    texts = [(str(p), p.read_text("utf-8")) for p in paths]
    best = float("inf")
    for _ in range(3):
        if not collect:
            gc.disable()
        start = time.process_time()
        for file, text in texts:
            parse_text(text, file, Diagnostics())
        best = min(best, time.process_time() - start)
        gc.enable()
    out[name] = best
print(json.dumps(out))
"""


def measure(project: Path, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(project)],
        cwd=env["PYTHONPATH"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    figures: dict[str, float] = json.loads(done.stdout)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", metavar="REF", help="also run the code of this git ref, alternating")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ramstack-bench-parse-") as tmp:
        users = args.users
        project = generate(Path(tmp) / f"u{users}", users, max(1, users // 5), min(300, users * 3 // 10))
        current = environment(ROOT)
        base = environment(checkout(args.baseline, Path(tmp) / "baseline")) if args.baseline else None
        mine: list[dict[str, float]] = []
        theirs: list[dict[str, float]] = []
        for index in range(args.runs):
            if base is not None and index % 2:
                theirs.append(measure(project, base))
            mine.append(measure(project, current))
            if base is not None and not index % 2:
                theirs.append(measure(project, base))
        print(f"{users} users: CPU s of parse_text, median (min-max) of {args.runs} processes")
        for name in mine[0]:
            ours = [m[name] for m in mine]
            row = f"  {name:<13} {statistics.median(ours):.3f} ({min(ours):.3f}-{max(ours):.3f})"
            if theirs:
                before = [t[name] for t in theirs]
                ratios = [a / b for a, b in zip(ours, before, strict=True)]
                row += (
                    f"   baseline {args.baseline} {statistics.median(before):.3f}"
                    f"   ratio {statistics.median(ratios):.2f} ({min(ratios):.2f}-{max(ratios):.2f})"
                )
            print(row, flush=True)


if __name__ == "__main__":
    main()

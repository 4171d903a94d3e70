"""Benchmark: what the bundled catalogs cost: file sizes, first-use load, lookups, CLI start-up.

    python bench/catalog.py [--repeat 5]

Each load is timed in a fresh interpreter (the catalogs are cached per process after first use),
best of --repeat; `ramstack --help` and `ramstack check-policy` are timed the same way and must
not load the catalogs at all (checked). Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LOADS = {
    "actions.json (is_known)": "from ramstack.evaluate.actions_catalog import is_known; is_known('ecs:X')",
    "system_policies.json (names)": "from ramstack.spec.catalog import bundled_catalog; bundled_catalog()",
    "activity.json (event map)": "from ramstack.evaluate.actions_catalog import service_for_event; "
    "service_for_event('Ecs')",
}


def best_of(repeat: int, argv: list[str]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, cwd=ROOT, capture_output=True, check=False)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    python = sys.executable
    for path in sorted((ROOT / "ramstack/data").glob("*.json")):
        print(f"  {path.name:28} {path.stat().st_size / 1024:8.0f} KiB")
    for label, code in LOADS.items():
        timed = (
            "import time, ramstack.spec.catalog, ramstack.evaluate.actions_catalog\n"
            f"start = time.perf_counter()\n{code}\nprint(time.perf_counter() - start)"
        )
        runs = [
            subprocess.run([python, "-c", timed], cwd=ROOT, capture_output=True, text=True)
            for _ in range(args.repeat)
        ]
        took = min(float(r.stdout) for r in runs)
        print(f"  {label:28} {took * 1000:8.1f} ms first use (fresh process, best of {args.repeat})")
    probe = (
        "import sys; from ramstack.cli import main\n"
        "try: main(sys.argv[1:])\nexcept SystemExit: pass\n"
        "from ramstack.evaluate import actions_catalog as a; from ramstack.spec import catalog as c\n"
        "assert not a._raw.cache_info().currsize and not c._raw.cache_info().currsize, 'catalog loaded'\n"
    )
    for verb in (
        ["--help"],
        ["check-policy", "policies/ims-read-only.yaml", "--var", "appSourceIp=203.0.113.10"],
    ):
        check = subprocess.run([python, "-c", probe, *verb], cwd=ROOT, capture_output=True, text=True)
        loaded = "catalog loaded" in check.stderr
        took = best_of(args.repeat, [python, "-m", "ramstack", *verb])
        print(f"  ramstack {verb[0]:19} {took * 1000:8.1f} ms (catalogs loaded: {'YES' if loaded else 'no'})")
    from ramstack.evaluate.actions_catalog import is_known
    from ramstack.spec.catalog import decide

    is_known("ecs:X")
    start = time.perf_counter()
    for _ in range(10_000):
        is_known("ecs:DescribeInstances")
    print(f"  is_known                     {10_000 / (time.perf_counter() - start):10,.0f} lookups/s")
    start = time.perf_counter()
    for _ in range(100):
        decide("AliyunECSReadOnlyAcess")
    print(f"  decide (a miss, typo search) {100 / (time.perf_counter() - start):10,.0f} names/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

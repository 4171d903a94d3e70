"""Benchmark: time and peak memory of `ramstack validate` on the largest specs and the worst inputs.

    python bench/hardening.py [--users 5000 10000]

Each case runs `ramstack validate` in a fresh process (its own peak resident memory, from wait4):
  accepted-N    a generated inventory of N users, 200 roles, 300 policies (bench/inventory.py);
                above RAM's default 5,000 users the stack raises ramstack:quotas.users_per_account
  alias-bomb    nine nested anchors, each aliased ten times (10**10 values if expanded)
  deep-yaml     a flow list nested 100,000 deep (SIGSEGV in the C composer before)
  deep-json     a policy file nested 100,000 deep
  huge-number   a 100,000-digit number in the spec
  many-values   600,001 one-letter values (the value-count bound)
  max-size      a spec just under the 8 MiB size bound, one long list of strings
  over-size     a spec just over it
Not a test: figures, not pass/fail. Rejected inputs should stay near the accepted ones.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.inventory import generate  # noqa: E402
from ramstack.source import MAX_BYTES  # noqa: E402

STACK = (
    'config:\n  alicloud:region: cn-hangzhou\n  ramstack:accountId: "1234567890123456"\n'
    "  ramstack:spec: access.yaml\n"
)


def _small(folder: Path, spec: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "Pulumi.bench.yaml").write_text(STACK)
    (folder / "access.yaml").write_text(spec)


def _inventory(users: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        generate(folder, users=users)
        if users > 5000:  # RAM's default quota; an account can be granted more (ramstack:quotas)
            stack = folder / "Pulumi.bench.yaml"
            stack.write_text(stack.read_text() + f"  ramstack:quotas:\n    users_per_account: {users}\n")

    return make


def _alias_bomb(folder: Path) -> None:
    lines = ["users:", "  alice: {}", "x0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    _small(folder, "\n".join(lines) + "\n")


def _deep_yaml(folder: Path) -> None:
    _small(folder, "users:\n  alice:\n    tags: " + "[" * 100_000 + "]" * 100_000 + "\n")


def _deep_json(folder: Path) -> None:
    _small(folder, "users:\n  alice:\n    policies: [deep]\n")
    (folder / "policies").mkdir()
    (folder / "policies" / "deep.json").write_text(
        '{"Version": "1", "Statement": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )


def _huge_number(folder: Path) -> None:
    _small(folder, "users:\n  alice:\n    display_name: " + "9" * 100_000 + "\n")


def _many_values(folder: Path) -> None:
    """Just over the value-count bound, in a small file: the cheapest way to many values."""
    _small(folder, "users:\n  alice: {}\nnoise: [" + "a," * 600_001 + "z]\n")


def _sized(size: int) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        head = "users:\n  alice: {}\nnoise: ["
        item = "abcdefghij, "
        count = (size - len(head) - 2) // len(item)
        _small(folder, head + item * count + "z]\n")

    return make


def _measure(folder: Path) -> tuple[float, float, int, str]:
    """Wall time, peak resident memory (MB) of the validating process alone, exit code, error codes."""
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "ramstack", "validate", "--stack", "bench"],
            cwd=folder,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        _, status, usage = os.wait4(process.pid, 0)  # this child's own rusage
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        lines = output.read().strip().splitlines()
    codes = sorted({line.split(" ")[2].rstrip(":") for line in lines if ": error " in line})
    summary = ", ".join(codes[:4]) if codes else (lines[-1][:70] if lines else "")
    return elapsed, usage.ru_maxrss / 1024, process.returncode, summary


def _run_case(name: str, make: Callable[[Path], None], tmp: Path) -> None:
    folder = tmp / name
    make(folder)
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    elapsed, peak_mb, code, summary = _measure(folder)
    figures = f"{size / 1e6:>8.2f} MB  {elapsed:>7.2f} s  {peak_mb:>8.1f} MB peak"
    print(f"{name:<16} {figures}  exit {code}  {summary}")
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[5000, 10000])
    args = parser.parse_args()
    print(f"{'case':<16} {'input':>11}  {'time':>9}  {'peak RSS':>13}")
    with tempfile.TemporaryDirectory(prefix="ramstack-bench-") as name:
        tmp = Path(name)
        for users in args.users:
            _run_case(f"accepted-{users}", _inventory(users), tmp)
        cases: dict[str, Callable[[Path], None]] = {
            "alias-bomb": _alias_bomb,
            "many-values": _many_values,
            "deep-yaml": _deep_yaml,
            "deep-json": _deep_json,
            "huge-number": _huge_number,
            "max-size": _sized(MAX_BYTES - 1024),
            "over-size": _sized(MAX_BYTES + 1024),
        }
        for case, make in cases.items():
            _run_case(case, make, tmp)


if __name__ == "__main__":
    main()

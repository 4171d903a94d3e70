"""Benchmark: the core verbs end to end at scale, each run as its own fresh process.

    python bench/core.py [--sizes 1000,5000] [--runs 5] [--baseline REF] [--verbs validate,lint]

For each inventory size (roles = users/5, custom policies = 3*users/10 up to 300; 5,000 users is the largest
inventory RAM's default account limits allow), times `ramstack validate`, `lint`, `lock`, `lock --check`
and `diff` (against the lock just written) as separate processes: interpreter start, imports, parsing,
validation, evaluation, rendering. Bytecode is compiled beforehand (as an installed package has it).

Prints CPU seconds (user + sys of that process; the machine is shared, so CPU time rather than wall),
median (min-max), and peak RSS, beside the targets at 5,000 users: validate <= 1 s, lint <= 1.5 s,
lock and diff <= 2 s. With --baseline REF, the same commands also run from `git archive REF` (the code
before a change), alternating which side goes first, and each row adds the baseline's median and the
median of the paired ratios current/baseline. Not a test: figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import compileall
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.inventory import generate  # noqa: E402

TARGETS = {"validate": 1.0, "lint": 1.5, "lock": 2.0, "lock --check": 2.0, "diff": 2.0}


@dataclass(frozen=True)
class Run:
    cpu: float
    peak_mib: float


def measure(cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> Run:
    """One fresh process: CPU time (user + sys) and peak RSS of that process alone. It runs in the
    code's folder (`python -m` puts the working folder first on the path)."""
    cwd = env["PYTHONPATH"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd, env=env)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in ok:
        raise SystemExit(f"{' '.join(cmd)} exited {code}:\n{err.decode(errors='replace')[-2000:]}")
    return Run(usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def verb_cmd(project: Path, verb: str) -> list[str]:
    base = [sys.executable, "-m", "ramstack", *verb.split(), "-C", str(project), "--stack", "bench"]
    return base + (["--fail-on", "critical"] if verb == "lint" else [])


def environment(code: Path) -> dict[str, str]:
    """Run `python -m ramstack` from `code` (its package first on the path), bytecode cached."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env["PYTHONPATH"] = str(code)
    return env


def checkout(ref: str, into: Path) -> Path:
    """The tree of `ref` (git archive), with its bytecode compiled."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True)
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    compileall.compile_dir(into / "ramstack", quiet=1)
    return into


def summary(runs: list[Run]) -> str:
    cpus = [r.cpu for r in runs]
    return f"{statistics.median(cpus):>5.2f} ({min(cpus):.2f}-{max(cpus):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--verbs", default=",".join(TARGETS), help="comma-separated, of: " + ", ".join(TARGETS)
    )
    parser.add_argument("--baseline", metavar="REF", help="also run the code of this git ref, alternating")
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "ramstack", quiet=1)
    header = f"{'users':>6} {'verb':<13} {'cpu s, median (min-max)':<24} {'MiB':>5}"
    if args.baseline:
        header += f"  {'baseline ' + args.baseline:<24} {'ratio (min-max)':<18}"
    print(header + "  target at 5,000")
    with tempfile.TemporaryDirectory(prefix="ramstack-bench-core-") as tmp:
        current = environment(ROOT)
        base = environment(checkout(args.baseline, Path(tmp) / "baseline")) if args.baseline else None
        for users in (int(n) for n in args.sizes.split(",")):
            # custom policies stay within the default account quota (1,500, assume grants included)
            project = generate(Path(tmp) / f"u{users}", users, max(1, users // 5), min(300, users * 3 // 10))
            measure(verb_cmd(project, "lock"), current)  # diff and lock --check compare against a lock
            for verb in args.verbs.split(","):
                cmd = verb_cmd(project, verb)
                mine: list[Run] = []
                theirs: list[Run] = []
                for index in range(args.runs):
                    if base is not None and index % 2:
                        theirs.append(measure(cmd, base, ok=(0, 1)))
                    mine.append(measure(cmd, current, ok=(0, 1)))
                    if base is not None and not index % 2:
                        theirs.append(measure(cmd, base, ok=(0, 1)))
                row = f"{users:>6} {verb:<13} {summary(mine):<24} {max(r.peak_mib for r in mine):>5.0f}"
                if theirs:
                    ratios = [a.cpu / b.cpu for a, b in zip(mine, theirs, strict=True)]
                    row += (
                        f"  {summary(theirs):<24} {statistics.median(ratios):.2f}"
                        f" ({min(ratios):.2f}-{max(ratios):.2f})   "
                    )
                print(f"{row}  <= {TARGETS[verb]:.1f} s", flush=True)


if __name__ == "__main__":
    main()

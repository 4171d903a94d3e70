"""Benchmark: start-up of `ramstack --help` and of `ramstack check-policy` of one file, each a fresh
process, beside the same commands run from the tree before the terminal layer (colour, progress).

    python bench/startup.py [--runs 15] [--baseline REF]

The baseline is REF exported with `git archive` into a temporary folder and run from there
(PYTHONPATH first, same interpreter and installed dependencies). REF defaults to the merge base with
main while the branch is unmerged, and once merged to the parent of the commit that added
ramstack/ui/colour.py, so the figure stays "before the change".
Each command runs --runs times per side, the sides alternating; printed: wall and CPU (user + sys)
milliseconds of the process, median (min-max), and the median of the paired CPU ratios
(current / baseline). Rows run in a pipe, except those marked "tty", run under a pseudo-terminal
(coloured: the cost of colour). Target: --help and check-policy well under 300 ms.
Not a test: figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import os
import pty
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICY = ["policies/ims-read-only.yaml", "--var", "appSourceIp=203.0.113.10"]
COMMANDS: list[tuple[str, list[str], bool]] = [
    ("--help", ["--help"], False),
    ("check-policy FILE", ["check-policy", *POLICY], False),
    ("check-policy FILE (tty)", ["check-policy", *POLICY], True),
    ("check-policy error (tty)", ["check-policy", "--kind", "trust", *POLICY], True),
]


@dataclass(frozen=True)
class Run:
    wall_ms: float
    cpu_ms: float


def _env(tree: Path) -> dict[str, str]:
    # bytecode is cached as an installed package's is (pip compiles at install); a shell that sets
    # PYTHONDONTWRITEBYTECODE would otherwise measure the compiler on every run
    dropped = ("NO_COLOR", "FORCE_COLOR", "PYTHONPATH", "PYTHONDONTWRITEBYTECODE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["PYTHONPATH"] = str(tree)
    env.setdefault("TERM", "xterm-256color")
    return env


def measure(tree: Path, argv: list[str], tty: bool) -> Run:
    cmd = [sys.executable, "-m", "ramstack", *argv]
    start = time.perf_counter()
    if tty:
        controller, terminal = pty.openpty()
        proc = subprocess.Popen(cmd, stdout=terminal, stderr=terminal, cwd=tree, env=_env(tree))
        os.close(terminal)
        while True:
            try:
                if not os.read(controller, 65536):
                    break
            except OSError:  # EIO: the terminal closed with the process
                break
        os.close(controller)
    else:
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=tree, env=_env(tree)
        )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 2):
        raise SystemExit(f"{' '.join(cmd)} in {tree} failed")
    return Run(wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000)


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() if done.returncode == 0 else ""


def default_baseline() -> str:
    """main without this branch (their merge base) while the branch is unmerged; once merged, the
    parent of the commit that added the terminal layer."""
    base = _git("merge-base", "HEAD", "main")
    if base and base != _git("rev-parse", "HEAD"):
        return base
    added = subprocess.run(
        ["git", "log", "--diff-filter=A", "--format=%H", "--", "ramstack/ui/colour.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    if added:
        return f"{added[-1]}^"
    return "HEAD"  # not committed yet: the working tree against its own HEAD


def export(ref: str, into: Path) -> Path:
    archive = into / "baseline.tar"
    with archive.open("wb") as out:
        subprocess.run(["git", "archive", ref], cwd=ROOT, stdout=out, check=True)
    tree = into / "baseline"
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


def which_ramstack(tree: Path) -> str:
    probe = [sys.executable, "-c", "import ramstack; print(ramstack.__file__)"]
    return subprocess.run(
        probe, cwd=tree, env=_env(tree), capture_output=True, text=True, check=True
    ).stdout.strip()


def _fmt(values: list[float]) -> str:
    return f"{statistics.median(values):6.0f} ({min(values):.0f}-{max(values):.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline", default=None, help="git ref of the baseline tree")
    args = parser.parse_args()
    ref = args.baseline or default_baseline()
    with tempfile.TemporaryDirectory(prefix="ramstack-bench-startup-") as tmp:
        base = export(ref, Path(tmp))
        for tree in (base, ROOT):  # each side must import its own ramstack
            assert which_ramstack(tree).startswith(str(tree)), which_ramstack(tree)
        commit = subprocess.run(
            ["git", "rev-parse", "--short", ref], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        print(f"baseline {ref} ({commit}); {args.runs} runs per side, alternating; milliseconds")
        print(
            f"{'command':<26} {'baseline wall':>18} {'baseline cpu':>18} {'current wall':>18} "
            f"{'current cpu':>18} {'cpu ratio':>10}"
        )
        for label, argv, tty in COMMANDS:
            before: list[Run] = []
            after: list[Run] = []
            measure(base, argv, tty)  # warm the file cache and the bytecode of each tree
            measure(ROOT, argv, tty)
            for i in range(args.runs):
                order = [(base, before), (ROOT, after)] if i % 2 == 0 else [(ROOT, after), (base, before)]
                for tree, runs in order:
                    runs.append(measure(tree, argv, tty))
            ratios = [a.cpu_ms / b.cpu_ms for a, b in zip(after, before, strict=True) if b.cpu_ms]
            print(
                f"{label:<26} {_fmt([r.wall_ms for r in before]):>18} {_fmt([r.cpu_ms for r in before]):>18} "
                f"{_fmt([r.wall_ms for r in after]):>18} {_fmt([r.cpu_ms for r in after]):>18} "
                f"{statistics.median(ratios):>9.2f}x"
            )


if __name__ == "__main__":
    main()

"""Benchmark: `ramstack lint --policy` against parliament (Duo Labs' AWS IAM policy linter) on
documents of the same shape, per-policy throughput.

    python bench/lint_policy.py [--policies 1000 --runs 5] [--parliament PATH]

Both sides get --policies generated documents of one shape (1-3 statements of 1-4 actions of one
service, a wildcard action in a fifth, a bucket resource or `*`, an IpAddress condition on 15 %, a
Deny statement in a tenth): Alibaba actions, ARNs and keys for ramstack, AWS ones for parliament.
Each side runs as its own process over the whole folder (`ramstack lint --policy FILES`,
`parliament --directory DIR`), alternating which goes first, --runs times; CPU seconds of that
process (the machine is shared). Printed: policies per CPU second with start-up included, the
marginal rate (start-up removed: the same run on one document subtracted), and the ratio of the
marginal rates (target >= 2x). parliament is not a project dependency: --parliament names its
executable, else one on PATH, else the bench installs parliament==1.6.3 into a scratch venv; if
that fails, the last recorded figure is printed with its date. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORDED = "2026-12-03, 1,000 documents: ramstack 1,008 policies/s marginal, parliament 1.6.3 407/s: 2.48x"

ALIBABA = {
    "oss": ["GetObject", "PutObject", "ListObjects", "DeleteObject", "GetBucketInfo"],
    "vod": ["GetPlayInfo", "CreateUploadVideo", "GetVideoInfo", "SearchMedia"],
    "ecs": ["DescribeInstances", "StartInstance", "StopInstance", "DescribeDisks"],
}
AWS = {
    "s3": ["GetObject", "PutObject", "ListBucket", "DeleteObject", "GetBucketLocation"],
    "ec2": ["DescribeInstances", "StartInstances", "StopInstances", "DescribeVolumes"],
    "sqs": ["SendMessage", "ReceiveMessage", "GetQueueUrl", "ListQueues"],
}


def shape(rng: random.Random) -> list[tuple[int, list[int], bool, bool, bool, int]]:
    """Statements as (service index, action indexes, wildcard, bucket resource, condition, ip)."""
    out = []
    for _ in range(rng.randint(1, 3)):
        service = rng.randrange(3)
        actions = sorted({rng.randrange(4) for _ in range(rng.randint(1, 4))})
        out.append(
            (
                service,
                actions,
                rng.random() < 0.2,
                rng.random() < 0.5,
                rng.random() < 0.15,
                rng.randint(1, 254),
            )
        )
    return out


def document(
    statements: list[tuple[int, list[int], bool, bool, bool, int]], index: int, aws: bool
) -> dict[str, object]:
    services = AWS if aws else ALIBABA
    body = []
    for service_index, actions, wildcard, bucket, condition, ip in statements:
        code = list(services)[service_index]
        names = [f"{code}:{services[code][a]}" for a in actions] + ([f"{code}:Get*"] if wildcard else [])
        if bucket and code in ("s3", "oss"):
            resource = (
                f"arn:aws:s3:::bucket-{index % 40}/*"
                if aws
                else f"acs:oss:*:1234567890123456:bucket-{index % 40}/*"
            )
        else:
            resource = "*"
        statement: dict[str, object] = {"Effect": "Allow", "Action": names, "Resource": resource}
        if condition:
            key = "aws:SourceIp" if aws else "acs:SourceIp"
            statement["Condition"] = {"IpAddress": {key: [f"203.0.113.{ip}"]}}
        body.append(statement)
    if index % 10 == 0:
        body.append(
            {"Effect": "Deny", "Action": "s3:DeleteObject" if aws else "oss:DeleteObject", "Resource": "*"}
        )
    return {"Version": "2012-10-17" if aws else "1", "Statement": body}


def cpu_of(cmd: list[str], cwd: Path) -> float:
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=cwd)
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1) or b"Traceback" in err:
        raise SystemExit(f"{' '.join(cmd[:4])} ... exited {code}:\n{err.decode(errors='replace')[-2000:]}")
    return usage.ru_utime + usage.ru_stime


def find_parliament(given: str | None, scratch: Path) -> str | None:
    if given:
        return given
    found = shutil.which("parliament")
    if found:
        return found
    print("installing parliament==1.6.3 into a scratch venv ...", flush=True)
    venv.create(scratch, with_pip=True)
    pip = subprocess.run(
        [str(scratch / "bin" / "pip"), "install", "-q", "parliament==1.6.3"], capture_output=True
    )
    return str(scratch / "bin" / "parliament") if pip.returncode == 0 else None


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--policies", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--parliament", help="parliament's executable (default: PATH, else a scratch venv)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ramstack-bench-lint-") as tmp:
        parliament = find_parliament(args.parliament, Path(tmp) / "venv")
        if parliament is None:
            print(f"parliament does not install here; recorded figure: {RECORDED}")
            return
        rng = random.Random(7)
        sides = {}
        for name, aws in (("ramstack", False), ("parliament", True)):
            for count in (1, args.policies):
                folder = Path(tmp) / f"{name}-{count}"
                folder.mkdir()
                for index in range(count):
                    statements = shape(random.Random(index)) if count > 1 else shape(rng)
                    (folder / f"p{index:05d}.json").write_text(json.dumps(document(statements, index, aws)))
                sides[name, count] = folder

        def command(name: str, count: int) -> list[str]:
            folder = sides[name, count]
            if name == "parliament":
                return [parliament, "--directory", str(folder), "--include_policy_extension", ".json"]
            files = sorted(str(p) for p in folder.iterdir())
            return [sys.executable, "-m", "ramstack", "lint", "--policy", *files, "--fail-on", "critical"]

        times: dict[tuple[str, int], list[float]] = {key: [] for key in sides}
        for run in range(args.runs):
            order = ["ramstack", "parliament"] if run % 2 == 0 else ["parliament", "ramstack"]
            for name in order:
                for count in (1, args.policies):
                    times[name, count].append(cpu_of(command(name, count), ROOT))
        marginal = {}
        print(f"{args.policies} documents, {args.runs} runs, CPU seconds median (min-max)")
        for name in ("ramstack", "parliament"):
            whole = times[name, args.policies]
            one = statistics.median(times[name, 1])
            rate = (args.policies - 1) / max(statistics.median(whole) - one, 1e-9)
            marginal[name] = rate
            print(
                f"  {name:<11} {statistics.median(whole):6.2f} ({min(whole):.2f}-{max(whole):.2f}) s,"
                f" one document {one:.2f} s: {args.policies / statistics.median(whole):7.0f} policies/s"
                f" with start-up, {rate:7.0f} policies/s marginal"
            )
        ratio = marginal["ramstack"] / marginal["parliament"]
        print(f"  ratio ramstack/parliament, marginal: {ratio:.2f}x (target >= 2x)")


if __name__ == "__main__":
    main()

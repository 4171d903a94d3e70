"""Benchmark: ramstack's offline plan against a bare pulumi_alicloud program, and core-only lint+diff.

    python bench/plan.py [--users 1000 --roles 200 --policies 300 --repeat 3]

Prints, for one generated inventory, in one process:
  plan      load + validate the spec and run the real stack program under the fake-cloud mocks
  bare      a plain program registering the same cloud resources (no components, no validation)
            under the same mocks; the ratio plan/bare is the figure (target <= 1.3)
  core      lint + effective permissions + diff against the lock file, on the core alone
            (target <= 1 s)
Medians of --repeat runs. Not a test: figures, not pass/fail.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pulumi_alicloud(\.|$)")

from bench.inventory import generate  # noqa: E402
from ramstack import source  # noqa: E402
from ramstack.components.mock_cloud import FakeCloudMocks  # noqa: E402
from ramstack.components.mock_runtime import run_program, stack_config  # noqa: E402
from ramstack.diagnostics import Diagnostics  # noqa: E402
from ramstack.effective import compute_effective, lockfile  # noqa: E402
from ramstack.effective.lockfile import dumps  # noqa: E402
from ramstack.fakecloud import FakeCloud  # noqa: E402
from ramstack.lint import lint_stack  # noqa: E402
from ramstack.permdiff import diff_permissions  # noqa: E402
from ramstack.spec.config import load_stack_config  # noqa: E402
from ramstack.spec.load import load_spec  # noqa: E402
from ramstack.spec.model import Spec  # noqa: E402

BARE_PROGRAM = """
import json, pathlib
import pulumi_alicloud as alicloud
data = json.loads(pathlib.Path("bare.json").read_text())
# A correct hand-written program: attachments take their principal's and policy's outputs, so the
# engine orders them (the dependency structure ramstack's components create too).
policies = {p["name"]: alicloud.ram.Policy(p["name"], policy_name=p["name"], policy_document=p["document"])
            for p in data["policies"]}
principals = {}
for u in data["users"]:
    user = alicloud.ram.User(u["name"], name=u["name"], display_name=u["display_name"])
    principals["user", u["name"]] = user.name
    if u["access_key"]:
        alicloud.ram.AccessKey(u["name"] + "-key", user_name=user.name)
for r in data["roles"]:
    role = alicloud.ram.Role(r["name"], role_name=r["name"], assume_role_policy_document=r["trust"],
                             description=r["description"], max_session_duration=3600)
    principals["role", r["name"]] = role.role_name
for kind, principal, policy, policy_type in data["attachments"]:
    cls = {"user": alicloud.ram.UserPolicyAttachment, "role": alicloud.ram.RolePolicyAttachment}[kind]
    name = policies[policy].policy_name if policy_type == "Custom" else policy
    cls(f"{principal}-{policy}", policy_name=name, policy_type=policy_type,
        **{kind + "_name": principals[kind, principal]})
"""


def bare_inputs(spec: Spec) -> dict[str, object]:
    """The same cloud resources the stack program registers, precomputed (documents included)."""
    attachments = [("user", u.name, p.name, p.type) for u in spec.users for p in u.policies]
    attachments += [("role", r.name, p.name, p.type) for r in spec.roles for p in r.policies]
    return {
        "policies": [{"name": p.name, "document": p.document.to_json()} for p in spec.policies],
        "users": [
            {"name": u.name, "display_name": u.display_name, "access_key": u.access_key} for u in spec.users
        ],
        "roles": [
            {"name": r.name, "trust": r.trust_document.to_json(), "description": r.description}
            for r in spec.roles
        ],
        "attachments": attachments,
    }


def median_time(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--roles", type=int, default=200)
    parser.add_argument("--policies", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ramstack-bench-") as tmp:
        project = generate(Path(tmp), args.users, args.roles, args.policies)
        import os

        os.chdir(project)
        config = load_stack_config(project, "bench", Diagnostics())
        assert config is not None
        spec = load_spec(config)
        (project / "bare.json").write_text(json.dumps(bare_inputs(spec)))
        (project / "bare_program.py").write_text(BARE_PROGRAM)
        values, secret_keys = stack_config(project, "bench")

        def plan() -> int:
            spec_now = load_spec(load_stack_config(project, "bench", Diagnostics()))  # type: ignore[arg-type]
            mocks = FakeCloudMocks(FakeCloud(), collect_errors=True)
            run = run_program(
                ROOT / "__main__.py", mocks=mocks, stack="bench", config=values, secret_keys=secret_keys
            )
            assert not mocks.failures, mocks.failures[:3]
            del spec_now
            return len(run.resources)

        def bare() -> int:
            mocks = FakeCloudMocks(FakeCloud(), collect_errors=True)
            run = run_program(
                project / "bare_program.py",
                mocks=mocks,
                stack="bench",
                config=values,
                secret_keys=secret_keys,
            )
            assert not mocks.failures, mocks.failures[:3]
            return len(run.resources)

        # What `ramstack lint` + `ramstack diff` do on the core: lint the spec, compute the effective
        # permissions, read the committed lock file, diff (the spec is loaded once, as by the CLI).
        lock_text = dumps(compute_effective(spec), "bench")

        def core() -> int:
            findings = lint_stack(spec, config).findings
            before = lockfile.from_json(json.loads(lock_text), "permissions.lock.json", Diagnostics())
            assert before is not None
            changes = diff_permissions(before, compute_effective(spec))
            assert changes.empty
            return len(findings)

        # Core figures first: the Pulumi runs leave millions of objects for the collector to walk.
        t_core, _ = median_time(core, args.repeat)

        def load_uncached() -> object:
            source._PARSED.clear()  # measure parsing too, not the per-process parse cache
            return load_spec(config)

        t_load, _ = median_time(load_uncached, args.repeat)
        gc.collect()
        t_bare, n_bare = median_time(bare, args.repeat)
        gc.collect()
        t_plan, n_plan = median_time(plan, args.repeat)

    print(
        f"inventory: {args.users} users, {args.roles} roles, {args.policies} custom policies "
        f"({n_plan} cloud resources via ramstack, {n_bare} in the bare program)"
    )
    print(f"plan (spec + stack program under mocks): {t_plan:.2f} s")
    print(f"bare pulumi_alicloud registration:        {t_bare:.2f} s")
    print(f"ratio plan/bare:                          {t_plan / t_bare:.2f}x (target <= 1.3x)")
    print(f"core lint + effective permissions + diff against the lock: {t_core:.2f} s (target <= 1 s)")
    print(f"(spec load + validation alone: {t_load:.2f} s)")


if __name__ == "__main__":
    main()

"""The bare baseline of the plan benchmark: the same cloud resources, inputs and dependency edges as
ramstack's stack program registers, declared by a plain pulumi_alicloud program with no components.

    python bench/replay.py record PROJECT   run ramstack's program once, write PROJECT/replay.json
    python bench/replay.py bare PROJECT     run the bare program from replay.json under the same mocks
    python bench/replay.py bare-gc PROJECT  the same, with plan's collector setting (ramstack.heap)
    python bench/replay.py bare-stock PROJECT   the same, on the SDK's own mock path (no fast paths)

Recording from a real run makes the baseline correct by construction: every custom resource ramstack
registers is declared with its typed pulumi_alicloud class, and `depends_on` carries exactly the
edges ramstack's resources had (a component dependency is expanded to the custom resources under it),
so the engine orders roles after the principals their trust names and grants after their roles.
Each mode is its own process; both exit non-zero when the fake cloud refuses anything.
"""

from __future__ import annotations

import json
import re
import sys
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pulumi_alicloud(\.|$)")

STACK = "bench"

BARE_PROGRAM = """
import json, pathlib
import pulumi
import pulumi_alicloud as alicloud

entries = json.loads(pathlib.Path("replay.json").read_text())
declared = []
for entry in entries:
    module_name, class_name = entry["class"]
    cls = getattr(getattr(alicloud, module_name), class_name)
    args = {k: (pulumi.Output.secret(v) if k in entry["secret"] else v) for k, v in entry["args"].items()}
    opts = pulumi.ResourceOptions(depends_on=[declared[i] for i in entry["deps"]])
    declared.append(cls(entry["name"], opts=opts, **args))
"""


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _class_of(token: str) -> tuple[str, str]:
    # "alicloud:ram/userPolicyAttachment:UserPolicyAttachment" -> ("ram", "UserPolicyAttachment")
    _package, module, cls = token.split(":")
    return module.split("/")[0], cls


def _run(project: Path, program: str, label: str, *, fast: bool = True) -> Any:
    """Run one program of the project under fresh fake-cloud mocks; None (reported) when it fails."""
    import contextlib

    from ramstack.components.mock_cloud import FakeCloudMocks
    from ramstack.components.mock_runtime import run_program, stack_config
    from ramstack.fakecloud import FakeCloud

    values, secret_keys = stack_config(project, STACK)
    # The account's quotas as the stack declares them, as `ramstack plan` enforces them.
    quotas = {k: int(v) for k, v in json.loads(values.get("ramstack:quotas", "{}")).items()}
    mocks = FakeCloudMocks(FakeCloud(limits=quotas), collect_errors=True)
    with contextlib.chdir(project):
        run = run_program(
            project / program, mocks=mocks, stack=STACK, config=values, secret_keys=secret_keys, fast=fast
        )
    if mocks.failures or run.error:
        print(f"{label} failed: {mocks.failures[:3] or run.error}", file=sys.stderr)
        return None
    return run


def record(project: Path) -> int:
    run = _run(project, "__main__.py", "ramstack's program")
    if run is None:
        return 1
    registrations = run.monitor.registrations
    children: dict[str, list[str]] = {}
    for reg in registrations:
        children.setdefault(reg.parent, []).append(reg.urn)
    custom = {reg.urn: reg for reg in registrations if reg.custom}
    index = {urn: i for i, urn in enumerate(reg.urn for reg in registrations if reg.custom)}

    def expand(urn: str) -> list[str]:
        if urn in custom:
            return [urn]
        return [leaf for child in children.get(urn, []) for leaf in expand(child)]

    entries: list[dict[str, Any]] = []
    for reg in registrations:
        if not reg.custom:
            continue
        if not reg.typ.startswith("alicloud:"):
            raise SystemExit(f"the bare baseline cannot declare {reg.typ} yet")
        deps = sorted({index[leaf] for urn in reg.dependencies for leaf in expand(urn)})
        entries.append(
            {
                "class": _class_of(reg.typ),
                "name": reg.name,
                "args": {_snake(k): v for k, v in reg.inputs.items()},
                "secret": sorted(_snake(k) for k in reg.secret_inputs),
                "deps": deps,
            }
        )
    (project / "replay.json").write_text(json.dumps(entries))
    (project / "bare_program.py").write_text(BARE_PROGRAM)
    print(f"recorded {len(entries)} resources")
    return 0


def bare(project: Path, *, fast: bool = True) -> int:
    run = _run(project, "bare_program.py", "the bare program", fast=fast)
    if run is None:
        return 1
    print(f"registered {len(run.resources)} resources")
    return 0


def bare_gc(project: Path) -> int:
    """The bare program with the collector as `ramstack plan` sets it around its run
    (ramstack.heap.collector_off, in ramstack/commands/plan.py)."""
    from ramstack.heap import collector_off

    with collector_off():
        return bare(project)


def bare_stock(project: Path) -> int:
    """The bare program on the SDK's own mock path: what the SDK costs as it ships."""
    return bare(project, fast=False)


if __name__ == "__main__":
    mode, folder = sys.argv[1], Path(sys.argv[2]).resolve()
    modes = {"record": record, "bare": bare, "bare-gc": bare_gc, "bare-stock": bare_stock}
    raise SystemExit(modes[mode](folder))

"""`ramstack plan`'s Pulumi side: run the real stack program against the fake cloud and hand back
plain data (no Pulumi objects, no secret values) for the core's plan report."""

from __future__ import annotations

import contextlib
import json
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ramstack.components.handover import hand_over
from ramstack.spec.model import Spec

if TYPE_CHECKING:
    from ramstack.components.mock_cloud import CloudFailure, FakeCloudMocks
    from ramstack.fakecloud import FakeCloud
    from ramstack.spec.config import StackConfig

PLAN_PASSWORD = "Plan-0nly-Placeholder"  # never a real password: plan does not read secrets
REDACTED = "[secret]"


def plan_cloud(spec: Spec, **kwargs: Any) -> FakeCloud:
    """A fake account for `spec`: its account id, every system policy the spec may attach, and the
    account's quotas as the stack declares them (ramstack:quotas)."""
    from ramstack.fakecloud import DEFAULT_SYSTEM_POLICIES, FakeCloud
    from ramstack.spec.catalog import system_policy_names

    # Names the loader accepted with a warning (well-formed, not in the bundled catalog) may exist:
    # the plan shows their permissions as unknown rather than failing the attachment.
    refs = [*(r for u in spec.users for r in u.policies), *(r for g in spec.groups for r in g.policies)]
    refs += [r for role in spec.roles for r in role.policies]
    attached = {ref.name for ref in refs if ref.type == "System"}
    known = DEFAULT_SYSTEM_POLICIES | system_policy_names() | set(spec.extra_system_policies) | attached
    # The fake enforces the account's quotas as the stack declares them (ramstack:quotas).
    kwargs.setdefault("limits", dict(spec.quotas))
    return FakeCloud(account_id=spec.account_id, system_policies=known, **kwargs)


def run_offline(
    project_dir: Path,
    stack: str,
    spec: Spec,
    cloud: FakeCloud | None = None,
    *,
    check_removal: bool = True,
    validated_with: StackConfig | None = None,
) -> dict[str, Any]:
    """Run the project's program against `cloud` (default: a fresh `plan_cloud(spec)`).

    With `check_removal` (plan), every unprotected resource is then deleted again to find removals
    the cloud would refuse; without it (serve), `cloud` is left holding exactly what `pulumi up`
    would create. With `validated_with` (the config `spec` was validated with), the program reuses `spec`
    instead of validating the same files again (ramstack.components.handover)."""
    warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"pulumi_alicloud(\.|$)")
    from ramstack.components.mock_cloud import FakeCloudMocks
    from ramstack.components.mock_engine import StackState
    from ramstack.components.mock_runtime import run_program, stack_config

    config, secret_keys = stack_config(project_dir, stack)
    consoles = {
        u.name: PLAN_PASSWORD
        for u in spec.users
        if u.console_login is not None and not u.console_login.generated_password
    }
    config["ramstack:passwords"] = json.dumps(consoles)
    config["ramstack:failOn"] = "none"  # the CLI reports the gate itself, and still shows the plan
    if "ramstack:passwords" not in secret_keys:
        secret_keys.append("ramstack:passwords")
    state = StackState()
    mocks = FakeCloudMocks(cloud or plan_cloud(spec), collect_errors=True, state=state)
    program = project_dir / "__main__.py"  # the project's own program, the one `pulumi up` runs there
    if not program.is_file():
        return {
            "resources": [],
            "failures": [],
            "outputs": [],
            "secret_outputs": [],
            "error": (
                f"no Pulumi program at {program} (a project needs Pulumi.yaml and __main__.py; fix: create"
                " it with the two lines `from ramstack.components.program import main` and `main()`,"
                " or start a new project with `ramstack init`)"
            ),
        }
    # Pulumi runs the program in the project folder.
    handed = hand_over(validated_with, spec) if validated_with else contextlib.nullcontext()
    with contextlib.chdir(project_dir), handed:
        run = run_program(
            program, mocks=mocks, stack=stack, config=config, secret_keys=secret_keys, capture_errors=True
        )
    removal_failures = [] if mocks.failures or run.error or not check_removal else removal_check(spec, mocks)
    resources = []
    for reg in run.monitor.registrations:
        inputs = {k: (REDACTED if k in reg.secret_inputs else v) for k, v in sorted(reg.inputs.items())}
        resources.append(
            {
                "type": reg.typ,
                "name": reg.name,
                "urn": reg.urn,
                "parent": reg.parent,
                "custom": reg.custom,
                "parent_type": reg.parent_type,
                "parent_name": reg.parent_name,
                "protect": reg.protect,
                "delete_before_replace": reg.delete_before_replace,
                "aliases": list(reg.alias_names),
                "inputs": inputs,
            }
        )
    return {
        "resources": resources,
        "failures": [
            {"type": f.typ, "name": f.name, "code": f.code, "message": f.message}
            for f in [*mocks.failures, *removal_failures]
        ],
        "outputs": sorted(run.outputs),
        "secret_outputs": sorted(run.secret_outputs),
        "error": None if run.error is None or mocks.failures else str(run.error),
    }


def removal_check(spec: Spec, mocks: FakeCloudMocks) -> list[CloudFailure]:
    """The destroy path: after the planned `up`, each person binds an MFA device to their console
    user (outside Pulumi, as the console asks them to), then every unprotected resource is deleted as
    the engine would when it leaves the spec (or at `pulumi destroy`). A refusal here is a `pulumi up`
    that would stop half-way through a removal later."""
    from ramstack.components.mock_cloud import CloudFailure, FakeCloudMocks
    from ramstack.fakecloud import bind_as_person

    state = mocks.state
    if state is None:
        return []
    for user in spec.users:
        if user.console_login is not None:
            bind_as_person(mocks.cloud.ram, user.name)
    removal = FakeCloudMocks(mocks.cloud, collect_errors=True, state=state)
    state.seen = {urn for urn, entry in state.entries.items() if entry.protect}  # protect: never deleted
    removal.finish_run()
    return [
        CloudFailure(f.typ, f.name, f.code, f"when removed from the spec (or at pulumi destroy): {f.message}")
        for f in removal.failures
    ]

"""Run the real stack program in-process under Pulumi's mock runtime.

What the language host does for `pulumi up` (run `__main__.py` inside a stack), with the engine
replaced by a recording monitor and the cloud by `FakeCloudMocks`. Every run gets a fresh runtime,
so tests and `ramstack plan` never share state. The monitor records what the engine would see:
type, name, parent, inputs (and which inputs are secret), protect, aliases, delete-before-replace.
"""

from __future__ import annotations

import asyncio
import json
import runpy
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import resource as _resource_runtime
from pulumi.runtime import rpc
from pulumi.runtime.proto import source_pb2

from ramstack.components.mock_cloud import FakeCloudMocks, is_secret_value, unwrap_secrets
from ramstack.diagnostics import Diagnostics
from ramstack.source import load_file, to_plain

PROJECT = "ramstack"
SECRET_PLACEHOLDER = "<secret>"


@dataclass(frozen=True)
class Registration:
    urn: str
    typ: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    secret_inputs: frozenset[str]
    protect: bool
    delete_before_replace: bool
    alias_names: tuple[str, ...]
    dependencies: tuple[str, ...]

    @property
    def parent_type(self) -> str | None:
        if not self.parent:
            return None
        return self.parent.split("::")[2].split("$")[-1]

    @property
    def parent_name(self) -> str | None:
        return self.parent.split("::")[-1] if self.parent else None


class RecordingMonitor(pulumi_mocks.MockMonitor):
    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.registrations: list[Registration] = []

    def RegisterResource(self, request: Any) -> Any:
        if request.type != "pulumi:pulumi:Stack":
            # Recorded before the mock runs, so registrations the fake cloud refuses are seen too.
            inputs = rpc.deserialize_properties(request.object)
            secret = frozenset(k for k, v in inputs.items() if is_secret_value(v))
            self.registrations.append(
                Registration(
                    urn=self.make_urn(request.parent, request.type, request.name),
                    typ=request.type,
                    name=request.name,
                    parent=request.parent,
                    custom=bool(request.custom),
                    inputs=unwrap_secrets(dict(inputs)),
                    secret_inputs=secret,
                    protect=bool(request.protect),
                    delete_before_replace=bool(request.deleteBeforeReplace),
                    alias_names=tuple(
                        a.spec.name for a in request.aliases if a.HasField("spec") and a.spec.name
                    ),
                    dependencies=tuple(request.dependencies),
                )
            )
        return super().RegisterResource(request)  # type: ignore[no-untyped-call]


@dataclass
class ProgramRun:
    mocks: FakeCloudMocks
    monitor: RecordingMonitor
    outputs: dict[str, Any] = field(default_factory=dict)
    secret_outputs: frozenset[str] = frozenset()
    error: BaseException | None = None

    @property
    def resources(self) -> list[Registration]:
        return [r for r in self.monitor.registrations if r.custom]

    @property
    def components(self) -> list[Registration]:
        return [r for r in self.monitor.registrations if not r.custom]

    def of_type(self, typ: str) -> list[Registration]:
        return [r for r in self.monitor.registrations if r.typ == typ]


def stack_config(project_dir: Path, stack: str) -> tuple[dict[str, str], list[str]]:
    """`Pulumi.<stack>.yaml` as the engine hands it to a program: strings, objects JSON-encoded,
    `secure:` leaves replaced by a placeholder and their keys marked secret."""
    # The same YAML 1.2 reading as `ramstack validate` (a date-like string stays a string).
    data = to_plain(load_file(project_dir / f"Pulumi.{stack}.yaml", Diagnostics())) or {}
    values: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in (data.get("config") or {}).items():
        if isinstance(value, dict) and set(value) == {"secure"}:
            values[key] = SECRET_PLACEHOLDER
            secret_keys.append(key)
            continue
        if _has_secure(value):
            secret_keys.append(key)
            value = _strip_secure(value)
        values[key] = value if isinstance(value, str) else json.dumps(to_plain(value))
    return values, secret_keys


def _has_secure(value: Any) -> bool:
    if isinstance(value, dict):
        return set(value) == {"secure"} or any(_has_secure(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_secure(v) for v in value)
    return False


def _strip_secure(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER
        return {k: _strip_secure(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_secure(v) for v in value]
    return value


def _no_stack_trace() -> source_pb2.StackTrace:
    return source_pb2.StackTrace()


@contextmanager
def mock_runtime(
    mocks: FakeCloudMocks,
    *,
    stack: str = "dev",
    config: Mapping[str, str] | None = None,
    secret_keys: list[str] | None = None,
    preview: bool = False,
) -> Iterator[RecordingMonitor]:
    """A fresh mock runtime (never module-level `set_mocks`): old root stack dropped, new config set."""
    pulumi.runtime.reset_options(project=PROJECT, stack=stack, preview=preview)
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=preview, monitor=monitor)
    pulumi.runtime.set_all_config(dict(config or {}), list(secret_keys or []))
    # The SDK walks the Python stack on every registration to tell the engine where a resource was
    # declared (source positions for the CLI's display); no engine reads it under mocks, and the walk
    # is the largest single cost of a big offline plan.
    saved_stack_trace = getattr(_resource_runtime, "_get_stack_trace", None)
    if saved_stack_trace is not None:
        _resource_runtime._get_stack_trace = _no_stack_trace
    try:
        yield monitor
    finally:
        pulumi.runtime.set_all_config({}, [])
        if saved_stack_trace is not None:
            _resource_runtime._get_stack_trace = saved_stack_trace


class _RecordingLoopPolicy(asyncio.DefaultEventLoopPolicy):
    """The default policy, remembering every loop it makes (the SDK's mock monitor makes one per
    executor thread) so that each can be closed when the run ends."""

    def __init__(self) -> None:
        super().__init__()
        self.loops: list[asyncio.AbstractEventLoop] = []

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        loop = super().new_event_loop()
        self.loops.append(loop)
        return loop


@contextmanager
def _own_event_loops() -> Iterator[None]:
    """Event loops for one program run, all closed deterministically afterwards.

    The SDK creates the thread's loop and one more in every executor thread that serves the mock
    monitor, and closes none: their garbage collection at interpreter exit then sometimes prints
    `Exception ignored in BaseEventLoop.__del__ ... Invalid file descriptor: -1` after a successful
    plan. Here every loop is made through a recording policy and closed with its executor."""
    saved = asyncio.get_event_loop_policy()
    policy = _RecordingLoopPolicy()
    asyncio.set_event_loop_policy(policy)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        yield
    finally:
        try:
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())  # joins the executor threads
        finally:
            asyncio.set_event_loop(None)
            for each in policy.loops:
                if not each.is_running():
                    each.close()
            asyncio.set_event_loop_policy(saved)


def run_program(
    program: Path,
    *,
    mocks: FakeCloudMocks | None = None,
    stack: str = "dev",
    config: Mapping[str, str] | None = None,
    secret_keys: list[str] | None = None,
    capture_errors: bool = False,
) -> ProgramRun:
    """Run `program` (a Pulumi `__main__.py`) to completion and return what it registered and exported.

    With `capture_errors`, an error raised by the program is returned in `ProgramRun.error` instead of
    propagating (the registrations made before it stay inspectable)."""
    mocks = mocks or FakeCloudMocks()
    with (
        _own_event_loops(),
        mock_runtime(mocks, stack=stack, config=config, secret_keys=secret_keys) as monitor,
    ):
        run = ProgramRun(mocks, monitor)

        @pulumi.runtime.test  # type: ignore[untyped-decorator]
        def _execute() -> None:
            runpy.run_path(str(program), run_name="__main__")

        try:
            _execute()
        except BaseException as exc:
            if not capture_errors or isinstance(exc, KeyboardInterrupt):
                raise
            run.error = exc
            return run
        run.outputs, run.secret_outputs = _collect_outputs()
    return run


def _collect_outputs() -> tuple[dict[str, Any], frozenset[str]]:
    root = pulumi.runtime.settings.get_root_resource()
    exported: dict[str, Any] = dict(getattr(root, "outputs", {}) or {})
    values: dict[str, Any] = {}
    secrets: set[str] = set()

    @pulumi.runtime.test  # type: ignore[untyped-decorator]
    def _resolve() -> pulumi.Output[Any]:
        async def gather() -> None:
            for key, value in exported.items():
                out = pulumi.Output.from_input(value)
                values[key] = await out.future(with_unknowns=True)
                if await out.is_secret():
                    secrets.add(key)

        return pulumi.Output.from_input(gather())

    _resolve()
    return values, frozenset(secrets)

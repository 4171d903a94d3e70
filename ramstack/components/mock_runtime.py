"""Run the real stack program in-process under Pulumi's mock runtime.

What the language host does for `pulumi up` (run `__main__.py` inside a stack), with the engine
replaced by a recording monitor and the cloud by `FakeCloudMocks`. Every run gets a fresh runtime,
so tests and `ramstack plan` never share state. The monitor records what the engine would see:
type, name, parent, inputs (and which inputs are secret), protect, aliases, delete-before-replace.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import runpy
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
from google.protobuf import struct_pb2  # type: ignore[import-untyped]
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import resource as _resource_runtime
from pulumi.runtime import rpc
from pulumi.runtime.proto import resource_pb2, source_pb2
from pulumi.runtime.sync_await import _ensure_event_loop

from ramstack.components.mock_cloud import (
    CloudFailure,
    CloudRejected,
    FakeCloudMocks,
    is_secret_value,
    unwrap_secrets,
)
from ramstack.components.mock_fastpath import InlineRpcLoop, fast_paths, serialize_now
from ramstack.components.registration import Registration
from ramstack.diagnostics import Diagnostics
from ramstack.source import load_file, to_plain
from ramstack.ui.progress import tick

PROJECT = "ramstack"
SECRET_PLACEHOLDER = "<secret>"


class RecordingMonitor(pulumi_mocks.MockMonitor):
    """Records every registration and refuses what the engine refuses before any provider call: a URN
    registered twice, and an alias that names another resource's URN or that two resources share."""

    def __init__(self, mocks: FakeCloudMocks, *, fast: bool = True) -> None:
        super().__init__(mocks)
        self.fake = mocks
        self.fast = fast  # answer in place (mock_fastpath), or through the SDK's own mock monitor
        self.registrations: list[Registration] = []
        self._owners: dict[str, str] = {}  # URN or alias URN -> URN of the resource that claims it
        self._lock = threading.Lock()  # the SDK registers from executor threads

    def _alias_urn(self, request: Any, spec: Any) -> str:
        parent = "" if spec.noParent else (spec.parentUrn or request.parent)
        return self.make_urn(parent, spec.type or request.type, spec.name or request.name)

    def _engine_refusal(self, reg: Registration) -> CloudFailure | None:
        owner = self._owners.get(reg.urn)
        if owner == reg.urn:
            message = f"Duplicate resource URN '{reg.urn}'; try giving it a unique name"
            return CloudFailure(reg.typ, reg.name, "Pulumi.DuplicateResourceURN", message)
        if owner is not None:
            message = f"resource '{owner}' already claims '{reg.urn}' as an alias"
            return CloudFailure(reg.typ, reg.name, "Pulumi.DuplicateResourceAlias", message)
        for alias in reg.alias_urns:
            claimed = self._owners.get(alias)
            if claimed is not None and claimed != reg.urn:
                return CloudFailure(
                    reg.typ,
                    reg.name,
                    "Pulumi.DuplicateResourceAlias",
                    f"Duplicate resource alias '{alias}' applied to resource with URN '{reg.urn}' "
                    f"conflicting with resource with URN '{claimed}'",
                )
        return None

    def RegisterResource(self, request: Any) -> Any:
        """Records the registration, then answers as the SDK's mock monitor does (URN, mock call,
        answer). On the fast path the request is deserialized once for both and the answer serialized
        without an event loop; otherwise the SDK's own `MockMonitor.RegisterResource` answers."""
        urn = self.make_urn(request.parent, request.type, request.name)
        if request.type == "pulumi:pulumi:Stack":
            if not self.fast:
                return super().RegisterResource(request)  # type: ignore[no-untyped-call]
            return resource_pb2.RegisterResourceResponse(urn=urn)
        _ensure_event_loop()  # type: ignore[no-untyped-call]  # as the SDK's monitor: deserializing a resource reference needs one
        with self._lock:
            # Recorded before the mock runs, so registrations the fake cloud refuses are seen too.
            inputs = rpc.deserialize_properties(request.object)
            reg = self._record(request, urn, inputs)
            self.fake.registering = reg
            try:
                if not self.fast:
                    return super().RegisterResource(request)  # type: ignore[no-untyped-call]
                args = pulumi_mocks.MockResourceArgs(
                    typ=request.type,
                    name=request.name,
                    inputs=inputs,
                    provider=request.provider,
                    resource_id=request.importId,
                    custom=request.custom or False,
                    transforms=pulumi_mocks._resolve_callbacks(request.transforms),
                )
                id_, state = self.mocks.new_resource(args)
                answer = serialize_now(state)
                registered = pulumi_mocks.MockMonitor.ResourceRegistration(urn, id_, state)  # type: ignore[arg-type]
                self.resources[urn] = registered
                return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=answer)  # type: ignore[arg-type]
            finally:
                self.fake.registering = None

    def _record(self, request: Any, urn: str, inputs: dict[str, Any]) -> Registration:
        secret = frozenset(k for k, v in inputs.items() if is_secret_value(v))
        specs = [a.spec for a in request.aliases if a.HasField("spec")]
        reg = Registration(
            urn=urn,
            typ=request.type,
            name=request.name,
            parent=request.parent,
            custom=bool(request.custom),
            inputs=unwrap_secrets(dict(inputs)),
            secret_inputs=secret,
            protect=bool(request.protect),
            delete_before_replace=bool(request.deleteBeforeReplace),
            alias_names=tuple(a.name for a in specs if a.name),
            # The SDK sends these from a set of Resource objects (hashed by identity, so ordered by
            # memory address) turned into a set of URN strings (ordered by the process's string
            # hash seed): the wire order is an accident of allocation, not part of the program. The
            # engine treats them as a set; recorded sorted, they compare and render the same from
            # any run, on any path.
            dependencies=tuple(sorted(request.dependencies)),
            alias_urns=tuple(dict.fromkeys(self._alias_urn(request, a) for a in specs)),
            ignore_changes=tuple(request.ignoreChanges),
            replace_with=tuple(request.replace_with),
            replacement_trigger=_trigger(request),
        )
        self.registrations.append(reg)
        if reg.custom:
            tick()  # `ramstack plan`'s progress line on a terminal: cloud resources, as its summary
        refusal = self._engine_refusal(reg)
        if refusal is not None:
            self.fake.failures.append(refusal)
            if not self.fake.collect_errors:
                raise CloudRejected(refusal)
        for each in (reg.urn, *reg.alias_urns):
            self._owners.setdefault(each, reg.urn)
        return reg


def _trigger(request: Any) -> Any:
    """The `replacement_trigger` option's value (a protobuf Value on the wire), or None."""
    if not request.HasField("replacement_trigger"):
        return None
    wrapped = struct_pb2.Struct(fields={"v": request.replacement_trigger})
    return unwrap_secrets(rpc.deserialize_properties(wrapped).get("v"))


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
    fast: bool = True,
) -> Iterator[RecordingMonitor]:
    """A fresh mock runtime (never module-level `set_mocks`): old root stack dropped, new config set.

    With `fast` (the default) the SDK's per-resource bookkeeping takes ramstack's fast paths
    (mock_fastpath: monitor answered in place, no stack walk, ...); `fast=False` is the SDK exactly as
    it ships, the reference the fast paths are tested against."""
    pulumi.runtime.reset_options(project=PROJECT, stack=stack, preview=preview)
    monitor = RecordingMonitor(mocks, fast=fast)
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack=stack, preview=preview, monitor=monitor)
    pulumi.runtime.set_all_config(dict(config or {}), list(secret_keys or []))
    # The SDK walks the Python stack on every registration to tell the engine where a resource was
    # declared (source positions for the CLI's display); no engine reads it under mocks, and the walk
    # is the largest single cost of a big offline plan.
    saved_stack_trace = getattr(_resource_runtime, "_get_stack_trace", None) if fast else None
    if saved_stack_trace is not None:
        _resource_runtime._get_stack_trace = _no_stack_trace
    try:
        with fast_paths() if fast else contextlib.nullcontext():
            yield monitor
    finally:
        pulumi.runtime.set_all_config({}, [])
        if saved_stack_trace is not None:
            _resource_runtime._get_stack_trace = saved_stack_trace


class _RecordingLoopPolicy(asyncio.DefaultEventLoopPolicy):
    """Loops that answer monitor calls in place (`InlineRpcLoop`, when `inline`) or the default ones
    (the SDK's mock monitor then makes one per executor thread), each remembered so that it can be
    closed when the run ends."""

    def __init__(self, inline: bool) -> None:
        super().__init__()
        self.inline = inline
        self.loops: list[asyncio.AbstractEventLoop] = []

    def new_event_loop(self) -> asyncio.AbstractEventLoop:
        loop = InlineRpcLoop() if self.inline else super().new_event_loop()
        self.loops.append(loop)
        return loop


@contextmanager
def _own_event_loops(inline: bool = True) -> Iterator[None]:
    """Event loops for one program run, all closed deterministically afterwards.

    The SDK creates the thread's loop and one more in every executor thread that serves the mock
    monitor, and closes none: their garbage collection at interpreter exit then sometimes prints
    `Exception ignored in BaseEventLoop.__del__ ... Invalid file descriptor: -1` after a successful
    plan. Here every loop is made through a recording policy and closed with its executor."""
    saved = asyncio.get_event_loop_policy()
    policy = _RecordingLoopPolicy(inline)
    asyncio.set_event_loop_policy(policy)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        yield
    finally:
        try:
            # as asyncio.run ends: what a failed program left pending is cancelled, not resumed
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
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
    fast: bool = True,
) -> ProgramRun:
    """Run `program` (a Pulumi `__main__.py`) to completion and return what it registered and exported.

    With `capture_errors`, an error raised by the program is returned in `ProgramRun.error` instead of
    propagating (the registrations made before it stay inspectable). `fast=False` runs the SDK's own
    mock path (threads, no fast paths): the same registrations, slower."""
    mocks = mocks or FakeCloudMocks()
    with (
        _own_event_loops(inline=fast),
        mock_runtime(mocks, stack=stack, config=config, secret_keys=secret_keys, fast=fast) as monitor,
    ):
        run = ProgramRun(mocks, monitor)

        @pulumi.runtime.test  # type: ignore[untyped-decorator]
        def _execute() -> None:
            runpy.run_path(str(program), run_name="__main__")

        try:
            _execute()
            mocks.finish_run()  # the engine's deletes come after every registration
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

"""The mock runtime's fast paths (ramstack.components.mock_fastpath) change what the SDK costs, never
what a program registers: each answers as the SDK's own function does, and a whole stack run
registers exactly the same resources, inputs, secrets, aliases, options and dependencies with them as
without them."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any, TypeVar

import pulumi
import pytest
from pulumi import _types
from pulumi import log as pulumi_log
from pulumi.output import _OutputData
from pulumi.runtime import resource as resource_runtime
from pulumi.runtime import rpc
from pulumi.runtime.sync_await import _sync_await

from ramstack.components import mock_fastpath, mock_runtime
from ramstack.components.mock_cloud import SECRET_SIG, SECRET_SIG_KEY
from ramstack.components.mock_fastpath import (
    InlineRpcLoop,
    _gated_debug,
    fast_paths,
    is_plain,
    serialize_now,
)
from tests.pulumi.conftest import EXAMPLES, ROOT, RunStack

T = TypeVar("T")


def sdk_then_fast(owner: Any, name: str, observe: Callable[[Any], T]) -> tuple[T, T]:
    """`observe(the SDK's owner.name)`, then `observe(the fast path)` inside `fast_paths()`, which
    must have replaced it and put the SDK's own back after: (expected, fast)."""
    original = getattr(owner, name)
    expected = observe(original)
    with fast_paths():
        patched = getattr(owner, name)
        assert patched is not original
        fast = observe(patched)
    assert getattr(owner, name) is original
    return expected, fast


PLAIN_STATES: list[dict[str, Any]] = [
    {},
    {"name": "alice", "force": True, "count": 3, "ratio": 0.5, "gone": None},
    {"tags": {"team": "media", "empty": None}, "list": ["a", None, 1, False, {"k": []}]},
    {"password": {SECRET_SIG_KEY: SECRET_SIG, "value": "s3cret"}, "userName": "bob"},
    {"doc": '{"Version": "1"}', "nested": [[["deep"]]], "zero": 0, "no": False},
]


@pytest.mark.parametrize("state", PLAIN_STATES)
def test_serialize_now_answers_as_the_sdk_serializer(state: dict[str, Any]) -> None:
    assert is_plain(state)
    loop = asyncio.new_event_loop()
    try:
        expected = loop.run_until_complete(rpc.serialize_properties(state, {}))
    finally:
        loop.close()
    assert serialize_now(state) == expected


def test_serialize_now_leaves_anything_but_plain_data_to_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    class Opaque:
        pass

    assert not is_plain({"x": Opaque()})
    assert not is_plain({"x": ("tuple",)})
    assert not is_plain({1: "non-string key"})
    seen: list[Any] = []

    def sdk(props: Any) -> str:
        seen.append(props)
        return "the SDK's answer"

    monkeypatch.setattr("ramstack.components.mock_fastpath._sync_await", lambda awaitable: sdk(awaitable))
    state = {"x": ("tuple",)}
    assert serialize_now(state) == "the SDK's answer"
    assert len(seen) == 1
    seen[0].close()  # the coroutine the SDK path would have awaited


UNKNOWN_CASES: list[Any] = [
    "text",
    None,
    3,
    ["a", "b"],
    {"a": "b"},
    {"a": ["b", {"c": "d"}]},
    [pulumi.output.UNKNOWN],
    {"a": pulumi.output.UNKNOWN},
    {"a": {"b": [1, pulumi.output.UNKNOWN]}},
    pulumi.output.UNKNOWN,
    rpc.UNKNOWN,  # the wire sentinel is a string, not an unknown value
]


@pytest.mark.parametrize("value", UNKNOWN_CASES)
def test_contains_unknowns_answers_as_the_sdk(value: Any) -> None:
    original = rpc.contains_unknowns
    with fast_paths():
        assert rpc.contains_unknowns is not original
        assert rpc.contains_unknowns(value) == original(value)
    assert rpc.contains_unknowns is original


def test_create_urn_and_class_lookups_answer_as_the_sdk() -> None:
    original_urn = resource_runtime.create_urn
    cls = pulumi.CustomResource
    expected_types = _types.resource_types(cls)
    expected_names = _types.resource_pulumi_to_py_names(cls)
    with mock_runtime._own_event_loops():  # a loop of its own, the caller's restored afterwards
        pulumi.runtime.reset_options(project="proj", stack="stk")
        parent = "urn:pulumi:stk::proj::ramstack:ram:User::alice"
        cases = [("alice", "alicloud:ram/user:User", parent), ("root", "pulumi:pulumi:Stack", None)]
        expected = [_sync_await(original_urn(*case).future()) for case in cases]
        with fast_paths():
            assert resource_runtime.create_urn is not original_urn
            assert [_sync_await(resource_runtime.create_urn(*case).future()) for case in cases] == expected
            for _ in range(2):  # computed once per class, a fresh copy for each caller
                types = _types.resource_types(cls)
                assert types == expected_types
                types.clear()
            assert _types.resource_pulumi_to_py_names(cls) == expected_names
        assert resource_runtime.create_urn is original_urn
        assert expected == ["urn:pulumi:stk::proj::ramstack:ram:User$alicloud:ram/user:User::alice",
                            "urn:pulumi:stk::proj::pulumi:pulumi:Stack::root"]  # fmt: skip


def test_alias_urns_answer_as_the_sdk() -> None:
    """The URN of each alias a child is constructed with, on the fast path and the SDK's, for the
    aliases ramstack writes (old name, default parent: the component or the stack) and the forms it
    leaves to the SDK (a full URN, another type or parent, an explicit stack or project)."""

    async def urns(collapse: Any, cases: list[tuple[Any, ...]]) -> list[Any]:
        return [await collapse(*case).future() for case in cases]

    with mock_runtime._own_event_loops():
        pulumi.runtime.reset_options(project="proj", stack="stk")
        parent = pulumi.CustomResource.__new__(pulumi.CustomResource)  # only its URN is read
        parent.__dict__["urn"] = pulumi.Output.from_input("urn:pulumi:stk::proj::ramstack:ram:User::alice")
        typ = "alicloud:ram/userPolicyAttachment:UserPolicyAttachment"
        cases: list[tuple[Any, ...]] = [
            (pulumi.Alias(name="alice-custom-p"), "alice/custom/p", typ, parent),
            (pulumi.Alias(name="old-role"), "role", "ramstack:ram:Role", None),
            (pulumi.Alias(name="x", stack=None, project=None), "y", typ, parent),
            (pulumi.Alias(name="x", stack="other"), "y", typ, parent),
            (pulumi.Alias(name="x", project="other"), "y", typ, None),
            (pulumi.Alias(name="x", type_="t:m:T"), "y", typ, parent),
            (pulumi.Alias(name="x", parent=None), "y", typ, parent),
            ("urn:pulumi:stk::proj::t:m:T::z", "y", typ, parent),
        ]
        expected, fast = sdk_then_fast(
            pulumi.resource, "collapse_alias_to_urn", lambda f: _sync_await(urns(f, cases))
        )
    assert fast == expected
    assert expected[:2] == [
        f"urn:pulumi:stk::proj::ramstack:ram:User${typ}::alice-custom-p",
        "urn:pulumi:stk::proj::ramstack:ram:Role::old-role",
    ]


def test_outputs_are_outstanding_until_they_settle_as_with_the_sdk() -> None:
    """The run waits for the Outputs in SETTINGS.outputs: each is there until it resolves, and one that
    fails or is cancelled stays (the end of the run raises its error), on either path."""
    from pulumi.runtime.settings import SETTINGS

    async def observe() -> list[bool]:
        SETTINGS.outputs.clear()
        futures = [asyncio.get_running_loop().create_future() for _ in range(3)]
        outs = [pulumi.Output._from_data(f) for f in futures]
        seen = [all(out._data in SETTINGS.outputs for out in outs)]
        futures[0].set_result(_OutputData(resources=set(), value=1, is_known=True, is_secret=False))
        futures[1].set_exception(RuntimeError("failed"))
        futures[2].cancel()
        # Outputs whose data settled before they were made: a plain value, and a failure
        settled = [pulumi.Output.from_input("plain"), pulumi.Output._from_data(asyncio.sleep(0, "done"))]
        failed = asyncio.get_running_loop().create_future()
        failed.set_exception(RuntimeError("failed before"))
        settled.append(pulumi.Output._from_data(failed))
        for _ in range(3):  # the task runs, then its done callback
            await asyncio.sleep(0)
        seen += [out._data in SETTINGS.outputs for out in [*outs, *settled]]
        futures[1].exception()  # retrieved: no warning at exit
        SETTINGS.outputs.clear()
        return seen

    with mock_runtime._own_event_loops():
        pulumi.runtime.reset_options(project="proj", stack="stk")
        expected = _sync_await(observe())
        with fast_paths():
            fast = _sync_await(observe())
    assert fast == expected == [True, False, True, True, False, False, True]


def test_input_types_unwrap_as_with_the_sdk() -> None:
    from typing import Optional, Union

    import pulumi_alicloud as alicloud

    hints = [
        *_types.resource_types(alicloud.ram.User).values(),
        *_types.resource_types(alicloud.ram.Role).values(),
    ]
    # the SDK's annotations spell both forms of union
    hints += [Optional[pulumi.Input[str]], Union[str, int], pulumi.Input[list[str]]]  # noqa: UP007, UP045
    hints += [pulumi.Input[str] | None, str | int, pulumi.Output[dict[str, str]], str]
    original, original_optional = _types.unwrap_type, _types.unwrap_optional_type
    expected = [original(h) for h in hints]
    expected_optional = [original_optional(h) for h in hints]
    with fast_paths():
        assert _types.unwrap_type is not original
        assert _types.unwrap_optional_type is not original_optional
        for _ in range(2):  # the second time from the table
            assert [_types.unwrap_type(h) for h in hints] == expected
            assert [_types.unwrap_optional_type(h) for h in hints] == expected_optional
    assert _types.unwrap_type is original and _types.unwrap_optional_type is original_optional


RESOLUTIONS: list[tuple[Any, bool, bool, bool, Exception | None]] = [
    # value, known, secret, with a dependency, failure
    ("alice", True, False, False, None),
    ({"k": ["v", 1]}, True, True, True, None),
    (None, False, False, False, None),
    (["a", pulumi.output.UNKNOWN], True, False, True, None),  # an unknown inside: never known
    (None, False, False, False, RuntimeError("registration failed")),
]


@pytest.mark.parametrize("resolution", RESOLUTIONS)
def test_output_properties_resolve_as_the_sdks(resolution: tuple[Any, ...]) -> None:
    """A resource's output properties (what `transfer_properties` puts on it) hold the same value,
    known and secret flags and resources, or raise the same failure, on the fast path as the SDK's."""
    value, known, secret, with_dep, failed = resolution

    class Res:  # stands for the resource whose properties are transferred (identity is what counts)
        pass

    async def observe(transfer: Any) -> tuple[Any, ...]:
        from pulumi.runtime.settings import SETTINGS

        SETTINGS.outputs.clear()
        res, dep = Res(), Res()
        resolvers = transfer(res, {"name": None, "urn": None, "id": None, "tags": None}, True)
        assert sorted(resolvers) == ["name", "tags"] and "urn" not in vars(res) and "id" not in vars(res)
        out: pulumi.Output[Any] = res.name  # type: ignore[attr-defined]
        outstanding = [out._data in SETTINGS.outputs]  # until the registration answers
        for key in resolvers:
            resolvers[key](value, known, secret, {dep} if with_dep else None, failed)
        try:
            data = (await out.future(with_unknowns=True), await out.is_known(), await out.is_secret())
        except RuntimeError as exc:
            data = ("raised", exc)
        await asyncio.sleep(0)
        outstanding.append(out._data in SETTINGS.outputs)  # a failed one stays for the end of the run
        SETTINGS.outputs.clear()
        if failed is not None:
            return (*data, outstanding)
        names = {"res" if r is res else "dep" for r in await out.resources()}
        return (*data, sorted(names), await out.future(), outstanding)

    with mock_runtime._own_event_loops():
        expected, fast = sdk_then_fast(rpc, "transfer_properties", lambda f: _sync_await(observe(f)))
    assert fast == expected
    if failed is not None:
        assert expected == ("raised", failed, [True, True])
    else:
        assert expected[3] == (["dep", "res"] if with_dep else ["res"])
        assert expected[-1] == [True, False]


@pytest.mark.parametrize("failed", [None, RuntimeError("registration failed")])
def test_urn_and_id_outputs_resolve_as_the_sdks(failed: Exception | None) -> None:
    """A resource's `urn` and `id` Outputs (`resource_output`): the same value, flags and resources,
    or the same failure, and outstanding until they resolve (a failed one stays) on either path."""
    from pulumi.runtime.settings import SETTINGS

    class Res:
        pass

    async def observe(make: Any) -> tuple[Any, ...]:
        SETTINGS.outputs.clear()
        res = Res()
        resolve, out = make(res)
        outstanding = [out._data in SETTINGS.outputs]
        resolve("urn:pulumi:stk::proj::t:m:T::x", True, False, failed)
        try:
            got: tuple[Any, ...] = (await out.future(), await out.is_known(), await out.is_secret())
            got += ([r is res for r in await out.resources()],)
        except RuntimeError as exc:
            got = ("raised", exc)
        await asyncio.sleep(0)
        outstanding.append(out._data in SETTINGS.outputs)
        SETTINGS.outputs.clear()
        return (*got, outstanding)

    with mock_runtime._own_event_loops():
        expected, fast = sdk_then_fast(resource_runtime, "resource_output", lambda f: _sync_await(observe(f)))
    assert fast == expected
    if failed is None:
        assert expected == ("urn:pulumi:stk::proj::t:m:T::x", True, False, [True], [True, False])
    else:
        assert expected == ("raised", failed, [True, True])


def test_resource_hooks_bind_as_with_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hook binding sent with a registration: none, an empty one, and one with a hook (which the
    SDK's function registers: left to it)."""
    from pulumi.resource_hooks import ResourceHook, ResourceHookBinding

    hook = ResourceHook.__new__(ResourceHook)  # a registered hook: its name and settled registration
    hook.name = "audit"
    monkeypatch.setattr(resource_runtime, "monitor_supports_feature", lambda feature: True)

    async def observe(prepare: Any) -> list[Any]:
        bindings = [None, ResourceHookBinding(), ResourceHookBinding(before_create=[], on_error=None)]
        bindings.append(ResourceHookBinding(after_create=[hook]))
        return [await prepare(b, "t:m:T_x") for b in bindings]

    with mock_runtime._own_event_loops():
        pulumi.runtime.reset_options(project="proj", stack="stk")
        hook._registered = asyncio.get_event_loop().create_future()
        hook._registered.set_result(None)
        expected, fast = sdk_then_fast(
            resource_runtime, "_prepare_resource_hooks", lambda f: _sync_await(observe(f))
        )
    assert fast == expected
    assert list(expected[3].after_create) == ["audit"] and expected[0] == expected[1] == expected[2]


def test_properties_serialize_as_with_the_sdk() -> None:
    """What a resource's inputs serialize to (values and the dependencies found), on the fast path and
    the SDK's: scalars, an `int`-like bool and a `str` subclass (an enum), containers of them, Outputs
    (known, secret, unknown) and a protobuf value asked for."""
    import enum

    class Kind(enum.StrEnum):
        CUSTOM = "Custom"

    class Res:  # stands for the resource an Output depends on
        pass

    dep = Res()

    def known(value: Any, secret: bool = False, is_known: bool = True) -> pulumi.Output[Any]:
        data = asyncio.get_running_loop().create_future()
        data.set_result(_OutputData(resources={dep}, value=value, is_known=is_known, is_secret=secret))
        return pulumi.Output._from_data(data)

    async def observe(serialize: Any) -> list[Any]:
        values: list[Any] = ["alice", "", True, False, 0, 3, 2.5, None, Kind.CUSTOM, rpc.UNKNOWN]
        values += [["a", 1, None, ["b"]], {"k": "v", "n": None, "deep": {"x": [True]}}, ("t", 1)]
        values += [known("out"), known({"k": ["v"]}), known("pw", secret=True), known(None, is_known=False)]
        out = []
        for value in values:
            deps: list[Any] = []
            result = await serialize(value, deps, "prop")
            out.append((result, type(result).__name__, [d is dep for d in deps]))
        out.append(await serialize(True, [], "prop", return_protobuf_value=True))
        return out

    with mock_runtime._own_event_loops():
        pulumi.runtime.reset_options(project="proj", stack="stk")
        expected, fast = sdk_then_fast(rpc, "serialize_property", lambda f: _sync_await(observe(f)))
    assert fast == expected
    assert expected[0] == ("alice", "str", []) and expected[8][1] == "Kind"
    assert expected[13] == ("out", "str", [True])


def test_plain_values_lift_to_outputs_as_with_the_sdk() -> None:
    """`Output.from_input` of a plain scalar (and of what it leaves to the SDK) holds the same value,
    known and secret flags and resources on the fast path as the SDK's; it is a staticmethod again
    after the run."""

    async def observe() -> list[tuple[Any, ...]]:
        values: list[Any] = ["urn:pulumi:stk::proj::t:m:T::x", "", 0, 2.5, True, None, ["a"], {"k": 1}]
        values += [pulumi.Output.secret("s")]
        out = []
        for value in values:
            lifted = pulumi.Output.from_input(value)
            data = (
                await lifted.future(with_unknowns=True),
                await lifted.is_known(),
                await lifted.is_secret(),
            )
            out.append((*data, len(await lifted.resources()), type(lifted).__name__))
        return out

    original = pulumi.Output.from_input
    with mock_runtime._own_event_loops():
        pulumi.runtime.reset_options(project="proj", stack="stk")
        expected = _sync_await(observe())
        with fast_paths():
            assert pulumi.Output.from_input is not original
            fast = _sync_await(observe())
    assert fast == expected
    assert expected[0] == ("urn:pulumi:stk::proj::t:m:T::x", True, False, 0, "Output")
    assert pulumi.Output.from_input is original
    assert isinstance(vars(pulumi.Output)["from_input"], staticmethod)


@pytest.mark.parametrize("dry_run", [False, True])
def test_wire_values_deserialize_as_with_the_sdk(dry_run: bool) -> None:
    """A registration's inputs and answer read back from the wire: scalars, the unknown sentinel (with
    and without keep_unknowns, in a preview and not), secrets, lists and structs."""
    from google.protobuf import struct_pb2

    struct = struct_pb2.Struct()
    struct.update({"s": "x", "n": 2, "b": True, "l": ["a", rpc.UNKNOWN], "d": {"k": "v"}, "u": rpc.UNKNOWN})
    struct["secret"] = {SECRET_SIG_KEY: SECRET_SIG, "value": "pw"}
    wire: list[Any] = ["text", "", rpc.UNKNOWN, 0, 2.0, True, None, struct["l"], struct["d"], struct]

    def plain(value: Any) -> Any:  # Unknown values compare by identity
        if isinstance(value, pulumi.output.Unknown):
            return ("Unknown", type(value).__name__)
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    def observe() -> list[Any]:
        out: list[Any] = [rpc.deserialize_properties(struct), rpc.deserialize_properties(struct, True)]
        out += [rpc.deserialize_property(value, keep) for value in wire for keep in (None, True)]
        return plain(out)

    pulumi.runtime.reset_options(project="proj", stack="stk", preview=dry_run)
    try:
        original = rpc.deserialize_property
        expected = observe()
        with fast_paths():
            assert rpc.deserialize_property is not original
            fast = observe()
        assert rpc.deserialize_property is original
    finally:
        pulumi.runtime.reset_options(project="proj", stack="stk", preview=False)
    assert fast == expected
    assert expected[2:5] == ["text", "text", ""]
    assert expected[6:8] == ([("Unknown", "Unknown")] * 2 if dry_run else [None, ("Unknown", "Unknown")])


def test_options_merge_field_by_field_as_with_the_sdk() -> None:
    """`ResourceOptions.merge` on the fast path gives the SDK's result for every pairing of options
    ramstack and the provider SDKs build (and what it leaves to the SDK), and its table of merge
    rules names every field the SDK's options have."""
    from pulumi.resource_hooks import ResourceHookBinding

    from ramstack.components.mock_fastpath import MERGED_APART, MERGED_LISTS, REPLACED

    fields = sorted(vars(pulumi.ResourceOptions()))
    assert sorted((*MERGED_LISTS, *REPLACED, *MERGED_APART)) == fields

    parent = pulumi.CustomResource.__new__(pulumi.CustomResource)  # only its identity counts
    dep = pulumi.CustomResource.__new__(pulumi.CustomResource)
    provider = pulumi.ProviderResource.__new__(pulumi.ProviderResource)
    provider.package = "alicloud"  # type: ignore[misc]
    alias = pulumi.Alias(name="old")
    options = [
        None,
        pulumi.ResourceOptions(),
        pulumi.ResourceOptions(version="4.0.0", plugin_download_url="https://example.test"),
        pulumi.ResourceOptions(parent=parent, aliases=[alias], protect=True),
        pulumi.ResourceOptions(parent=parent, ignore_changes=["password"], delete_before_replace=True,
                               replacement_trigger=2, replace_with=[dep], depends_on=[dep]),
        pulumi.ResourceOptions(protect=False, aliases=[alias], additional_secret_outputs=["secret"],
                               hooks=ResourceHookBinding(before_create=[]), custom_timeouts=None),
        pulumi.ResourceOptions(providers=[provider], depends_on=dep, retain_on_delete=True),
        pulumi.ResourceOptions(providers={"alicloud": provider}, id="i-1", import_="i-1"),
    ]  # fmt: skip

    def merged(a: Any, b: Any) -> dict[str, Any]:
        out = pulumi.ResourceOptions.merge(a, b)
        hooks = out.hooks
        return {**vars(out), "hooks": vars(hooks) if hooks is not None else None, "type": type(out)}

    pairs = [(a, b) for a in options for b in options]
    with mock_runtime._own_event_loops():
        expected = [merged(a, b) for a, b in pairs]
        original = pulumi.ResourceOptions.merge
        with fast_paths():
            assert pulumi.ResourceOptions.merge is not original
            fast = [merged(a, b) for a, b in pairs]
            assert vars(options[3].merge(options[4])) is not None  # still callable on an instance
        assert pulumi.ResourceOptions.merge is original
    for (a, b), want, got in zip(pairs, expected, fast, strict=True):
        assert list(got) == list(want), (a, b)  # the same fields in the same order
        for key in want:
            if key == "depends_on" and not isinstance(want[key], list):
                continue  # an awaitable (a Resource merged in): left to the SDK, compared by shape
            assert got[key] == want[key], (key, a, b)
    assert expected[len(options) * 3 + 4]["ignore_changes"] == ["password"]
    assert expected[len(options) * 3 + 4]["aliases"] == [alias]
    assert expected[len(options) * 3 + 4]["protect"] is True


def test_options_copy_and_merge_as_with_the_sdk() -> None:
    """`ResourceOptions._copy` and `ResourceHookBinding._copy` (what every resource and every
    `ResourceOptions.merge` calls) give what `copy.copy` gives: a new object of the same class with the
    same attribute values; a subclass's instances take the SDK's path."""
    import copy

    from pulumi.resource_hooks import ResourceHookBinding

    class Mine(pulumi.ResourceOptions):
        def __copy__(self) -> Mine:
            return self  # not a copy at all: only the SDK's path (copy.copy) honours it

    alias, hooks = pulumi.Alias(name="old"), ResourceHookBinding()
    given = [
        pulumi.ResourceOptions(),
        pulumi.ResourceOptions(protect=True, aliases=[alias], ignore_changes=["password"], hooks=hooks),
        hooks,
        ResourceHookBinding(before_create=[]),
    ]
    merges = [(None, given[1]), (given[1], pulumi.ResourceOptions(delete_before_replace=True)), (None, None)]
    expected = [(type(copy.copy(g)), vars(copy.copy(g))) for g in given]

    def fields(opts: pulumi.ResourceOptions) -> dict[str, Any]:  # hook bindings compare by identity
        return {**vars(opts), "hooks": vars(opts.hooks) if opts.hooks is not None else None}

    expected_merged = [fields(pulumi.ResourceOptions.merge(a, b)) for a, b in merges]
    mine, original = Mine(protect=True), pulumi.ResourceOptions._copy
    with fast_paths():
        assert pulumi.ResourceOptions._copy is not original
        copies = [g._copy() for g in given]
        assert all(c is not g for c, g in zip(copies, given, strict=True))
        assert [(type(c), vars(c)) for c in copies] == expected
        assert copies[1].aliases is given[1].aliases  # shallow, as copy.copy
        merged = [fields(pulumi.ResourceOptions.merge(a, b)) for a, b in merges]
        assert mine._copy() is mine
    assert merged == expected_merged
    assert pulumi.ResourceOptions._copy is original and original(mine) is mine
    assert vars(given[1])["protect"] is True and expected_merged[1]["delete_before_replace"] is True


def test_debug_lines_are_formatted_only_for_a_logger_that_keeps_them() -> None:
    sent: list[tuple[Any, ...]] = []
    logger = logging.getLogger("ramstack-test-mock-engine")
    debug = _gated_debug(lambda *args: sent.append(args), logger)
    logger.setLevel(logging.WARNING)
    debug("dropped")
    logger.setLevel(logging.DEBUG)
    debug("kept", None, 3)
    assert sent == [("kept", None, 3, None)]
    original = pulumi_log.debug
    with fast_paths():
        assert pulumi_log.debug is not original
    assert pulumi_log.debug is original


def test_inline_loop_runs_default_executor_calls_in_place() -> None:
    loop = InlineRpcLoop()
    try:
        caller = threading.get_ident()
        ran_in: list[int] = []
        done = loop.run_in_executor(None, lambda x: ran_in.append(threading.get_ident()) or x * 2, 21)
        assert done.done() and done.result() == 42 and ran_in == [caller]

        def boom() -> None:
            raise ValueError("refused")

        failed = loop.run_in_executor(None, boom)
        with pytest.raises(ValueError, match="refused"):
            failed.result()
        # an explicit executor is still a thread hop
        import concurrent.futures

        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            other = loop.run_until_complete(loop.run_in_executor(pool, threading.get_ident))
        assert other != caller
    finally:
        loop.close()


def _registered(run: mock_runtime.ProgramRun) -> dict[str, dict[str, Any]]:
    """Every registration by URN: type, name, parent, inputs (secrets unwrapped) and which inputs are
    secret, protect, delete-before-replace, aliases (names and URNs), dependencies, ignore_changes,
    replace_with, replacement trigger."""
    registered: dict[str, dict[str, Any]] = {}
    for reg in run.monitor.registrations:
        assert reg.urn not in registered, f"{reg.urn} registered twice"
        registered[reg.urn] = asdict(reg)
    return registered


def _in_dependency_order(run: mock_runtime.ProgramRun) -> None:
    """Each resource is registered after its parent and after everything it depends on."""
    done: set[str] = set()
    for reg in run.monitor.registrations:
        before = [reg.parent] if reg.parent_type not in (None, "pulumi:pulumi:Stack") else []
        missing = [urn for urn in (*before, *reg.dependencies) if urn not in done]
        assert not missing, f"{reg.urn} registered before {missing}"
        done.add(reg.urn)


def _outputs_by_resource(run: mock_runtime.ProgramRun) -> dict[str, Any]:
    """The stack's outputs with every value the fake cloud dealt out (ids, generated secrets) named by
    the resource it was dealt to. The cloud deals them in creation order, and the SDK's own path
    registers in the order its executor threads happen to run (two runs of it differ), so the same
    key can get another id; what each output refers to must not change."""
    dealt: dict[str, set[str]] = {}
    for urn, resource in run.monitor.resources.items():
        inputs = next(r.inputs for r in run.monitor.registrations if r.urn == urn)
        if resource.id:
            dealt.setdefault(resource.id, set()).add(f"<id of {urn}>")
        for key, value in resource.state.items():
            if isinstance(value, str) and key not in inputs:
                dealt.setdefault(value, set()).add(f"<{key} of {urn}>")

    def name(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: name(v) for k, v in value.items()}
        if isinstance(value, list):
            return [name(v) for v in value]
        owners = dealt.get(value) if isinstance(value, str) else None
        return next(iter(owners)) if owners and len(owners) == 1 else value

    return name(run.outputs)  # type: ignore[no-any-return]


def _inventory(tmp_path: Path) -> Path:
    sys.path.insert(0, str(ROOT))
    try:
        from bench.inventory import generate
    finally:
        sys.path.remove(str(ROOT))
    return generate(tmp_path, users=40, roles=8, policies=12)


def _case(project: Path) -> tuple[str, dict[str, str] | None]:
    if project == ROOT:
        return "dev", {"alice": "Plan-Test-Passw0rd!"}
    return ("example" if (project / "Pulumi.example.yaml").exists() else "bench"), None


@pytest.mark.parametrize("project", [ROOT, *EXAMPLES, "inventory"], ids=lambda p: getattr(p, "name", p))
def test_a_stack_registers_the_same_on_the_fast_path_and_the_sdks_own(
    project: Path | str, run_stack: RunStack, tmp_path: Path
) -> None:
    """The whole stack, twice on each path, alternating: the fast path against the SDK's own mock
    path (monitor calls on executor threads, no fast path at all)."""
    project = _inventory(tmp_path) if project == "inventory" else Path(project)
    stack, passwords = _case(project)
    runs: dict[bool, list[mock_runtime.ProgramRun]] = {True: [], False: []}
    for fast in (False, True, True, False):
        run = run_stack(project, stack, passwords=passwords, fast=fast)
        assert run.error is None
        _in_dependency_order(run)
        runs[fast].append(run)
    reference = _registered(runs[False][0])
    assert len([r for r in reference.values() if r["custom"]]) >= 3
    outputs = _outputs_by_resource(runs[False][0])
    assert outputs.keys() == {"role_arns", "user_names", "oidc_provider_arns", "access_key_ids",
                              "access_key_secrets"} | ({"console_passwords"} & outputs.keys())  # fmt: skip
    for run in (*runs[True], runs[False][1]):
        assert _registered(run) == reference
        assert _outputs_by_resource(run) == outputs
        assert run.secret_outputs == runs[False][0].secret_outputs
    # the fast path answers in program order: the same ids, run after run
    assert runs[True][0].outputs == runs[True][1].outputs


_DUMP = """
import json, os, sys
from dataclasses import asdict
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from ramstack.components import mock_runtime
from ramstack.components.mock_cloud import FakeCloudMocks
root = Path(sys.argv[1])
os.chdir(root)
wire = {}
record = mock_runtime.RecordingMonitor._record
def spy(self, request, urn, inputs):
    wire[urn] = list(request.dependencies)
    return record(self, request, urn, inputs)
mock_runtime.RecordingMonitor._record = spy
config, secret_keys = mock_runtime.stack_config(root, "dev")
config["ramstack:passwords"] = json.dumps({"alice": "Plan-Test-Passw0rd!"})
secret_keys.append("ramstack:passwords")
run = mock_runtime.run_program(root / "__main__.py", mocks=FakeCloudMocks(), config=config,
                               secret_keys=secret_keys, fast=sys.argv[2] == "fast")
regs = sorted((asdict(r) for r in run.monitor.registrations), key=lambda r: r["urn"])
print(json.dumps({"registered": regs, "wire": wire}, sort_keys=True, default=sorted))
"""


def test_the_order_of_dependencies_on_the_wire_is_an_accident_and_is_not_recorded() -> None:
    """The one difference once seen between the paths (branch perf2plan): the order of a resource's
    dependencies. The SDK resolves `depends_on` into a set of Resource objects (hashed by identity,
    so ordered by memory address) and sends the URNs from a set of strings (ordered by the process's
    hash seed): processes with different seeds send the same dependencies in different orders, on
    either path. Recorded sorted, every process records the same registrations."""
    registered: set[str] = set()
    wire_orders: set[str] = set()
    for seed, path in (("0", "fast"), ("1", "fast"), ("2", "stock"), ("3", "stock")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        command = [sys.executable, "-c", _DUMP, str(ROOT), path]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        dump = json.loads(done.stdout)
        registered.add(json.dumps(dump["registered"]))
        several = {urn: deps for urn, deps in dump["wire"].items() if len(deps) > 1}
        assert len(several) >= 3  # the assume grant (two roles), attachments, memberships
        wire_orders.add(json.dumps(several, sort_keys=True))
    assert len(wire_orders) > 1
    assert len(registered) == 1


def test_the_fast_paths_exist_only_while_a_mock_run_lasts(run_stack: RunStack) -> None:
    """The stack program (what `pulumi up` runs) never loads the fast paths; a mock run puts the
    SDK's own functions and event loop policy back when it ends."""
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, ramstack.components.program; print(sorted(sys.modules))"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "ramstack.components.mock_fastpath" not in loaded
    assert "ramstack.components.mock_runtime" not in loaded
    # every fast path, the run's logger and the source-position walk mock_runtime skips
    sdk = [(owner, name) for owner, name, _ in mock_fastpath.PATCHES]
    sdk += [(pulumi_log, "debug"), (resource_runtime, "_get_stack_trace")]
    before = [getattr(module, name) for module, name in sdk]
    policy = asyncio.get_event_loop_policy()
    run = run_stack(ROOT, "dev", passwords={"alice": "Plan-Test-Passw0rd!"})
    assert run.error is None and run.resources
    assert [getattr(module, name) for module, name in sdk] == before
    assert asyncio.get_event_loop_policy() is policy

"""Cheaper bookkeeping for the Pulumi SDK under ramstack's mock runtime, with the same requests.

Under mocks the "engine" is a Python object in the same process, yet the SDK still treats each call
as a remote RPC: it hands every RegisterResource to a thread pool and back through the event loop's
self-pipe, serializes the mock's answer on a fresh event loop in that thread, builds a chain of six
Outputs per resource for a URN only a monitor-less test uses, walks every value for unknowns, and
formats a protobuf log request per debug line that the logger then drops. For a 3,000-user plan that
bookkeeping is most of the run (issue 15). Each fast path below does the same work without it:

- `InlineRpcLoop`: an event loop whose default executor runs the monitor call in place. The SDK
  awaits the call anyway, the mock monitor never blocks on the loop (its answers are computed from
  plain data, see `serialize_now`), and the call is made with exactly the request the SDK built.
- `serialize_now`: the mock monitor's answer built as the SDK's `rpc.serialize_properties` builds it
  for plain data (the identity, top-level None dropped), without an event loop; anything else takes
  the SDK's path.
- `resource_types`: a resource class's output types, read from its annotations with
  `typing.get_type_hints` once per class instead of once per resource.
- `create_urn`: the SDK's formula when name, type and parent are already strings (the URN do_register
  computes for a monitor-less run), as one known Output instead of six chained ones.
- `collapse_alias_to_urn`: an alias of a child (an `Alias` naming only the old name) becomes its old
  URN in one step from the parent's URN (or the root's prefix), where the SDK chains about eight
  Outputs per alias at construction. The SDK keeps that URN on the resource for engines without
  alias specs; the mock monitor supports them, so nothing reads it on this path, but it is the same
  value if anything does.
- `unwrap_type`, `unwrap_optional_type`: the type an input property is serialized as and the type an
  output property is read back as, computed once per declared type instead of once per property of
  every resource.
- `Output._track`: an Output's data is added to the run's set of outstanding outputs and removed
  when it settles, reading the runtime's settings once each time; the SDK reads them four times
  and takes a lock that only its executor threads need (there are none on this path). Data that
  has already settled successfully (an Output of a plain value) is not added at all: the SDK adds
  it and its done callback removes it again on the loop's next turn.
- `transfer_properties`: each output property of a resource is one future holding the Output's data,
  set when the registration answers; the SDK makes four futures per property and a task that waits
  on all four (a third of the tasks of a large run). The data is outstanding from then until the
  registration resolves it, and the resolver itself takes it out of the set when it succeeds, where
  the SDK's done callback did it a turn of the loop later (a failed one stays, as in the SDK).
- `resource_output`: a resource's `urn` and `id` Outputs are made the same way as its output
  properties: outstanding from the start, out of the set as soon as the registration resolves them.
- `serialize_property`: a plain scalar (exactly str, bool, int, float or None) serializes to itself,
  as the SDK's function finds after asking whether it is a sequence, an unknown, a resource, an
  asset, an archive, an awaitable, an Output, an input type, a mapping or a protobuf Value; the
  rest (and a protobuf value asked for) goes to the SDK's function, whose nested values come back
  here. Most inputs of a resource, and the values of most Outputs it is given, are such scalars.
- `Output.from_input`: a plain scalar becomes a known, non-secret Output without resources, as the
  SDK's function makes it after asking whether it is an Output, an input type, a container or an
  awaitable (the URNs above, and every plain value an `apply` or `Output.all` lifts).
- `deserialize_property`: a scalar from the wire (a str other than the unknown sentinel, a bool, a
  number, None) is itself, as the SDK's function finds after importing `Unknown` and asking whether
  it is a protobuf list or struct; the rest goes to the SDK's function. The monitor reads every
  registration's inputs this way, and the SDK reads them and the answer back again.
- `ResourceOptions.merge`: for options of the plain kinds ramstack and the provider SDKs pass (no
  provider map, no awaitable `depends_on`), the SDK's rules applied field by field to one copy: lists
  concatenated, a value the second gives replacing the first's, hooks merged and providers collapsed
  by the SDK's own functions; without the second copy, the `Output` machinery for `depends_on` and
  the per-field calls. Anything else goes to the SDK's function.
- `_prepare_resource_hooks`: options without any hook (every resource ramstack registers) bind the
  empty hook set, which is what the SDK's function returns after importing the hook classes and
  looking through all seven lists.
- `contains_unknowns`: scalars (and flat containers of scalars) are answered without the walk; the
  rest goes to the SDK's function.
- `debug`: a debug line is formatted for the engine only when the mocks' logger would keep it.
- `ResourceOptions._copy`, `ResourceHookBinding._copy`: the shallow copy `copy.copy` makes of these
  plain classes (a new instance holding the same attribute values), without its generic
  `__reduce_ex__` round trip. Every resource copies its options, and every `ResourceOptions.merge`
  (each alicloud resource's constructor makes one) copies two options and two hook bindings.

What the program registers (types, names, parents, inputs, secrets, aliases, options, dependencies)
does not change: the fast paths apply only inside `fast_paths()`, which `run_program` enters and
leaves around each run, and never under a real `pulumi up`.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pulumi
from google.protobuf import struct_pb2  # type: ignore[import-untyped]
from pulumi import _types
from pulumi import log as _log
from pulumi import resource as _resource_module
from pulumi import resource_hooks as _resource_hooks
from pulumi.output import _OutputData
from pulumi.runtime import resource as _resource_runtime
from pulumi.runtime import rpc
from pulumi.runtime.proto import resource_pb2
from pulumi.runtime.settings import SETTINGS as _SETTINGS
from pulumi.runtime.sync_await import _sync_await

_SCALARS = (str, bool, int, float, type(None))


def is_plain(value: Any) -> bool:
    """JSON-like data only (exact built-in types): nothing the SDK's serializer would await."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is dict:
        return all(type(k) is str and is_plain(v) for k, v in value.items())
    if kind is list:
        return all(is_plain(v) for v in value)
    return False


def serialize_now(props: dict[str, Any]) -> struct_pb2.Struct:
    """`rpc.serialize_properties(props, {})` as the mock monitor computes its answer, without an event
    loop. For plain data the SDK's serializer is the identity on every value and drops the top-level
    keys whose value is None, so that is done directly; anything else takes the SDK's path."""
    if not is_plain(props):
        return _sync_await(rpc.serialize_properties(props, {}))
    struct = struct_pb2.Struct()
    for key, value in props.items():
        if value is not None:
            struct[key] = value
    return struct


class InlineRpcLoop(asyncio.SelectorEventLoop):
    """`run_in_executor(None, call)` runs `call` now, in this thread, and returns its settled future.

    The SDK sends every monitor RPC through the default executor so a slow engine does not block the
    program; the mock monitor answers at once, so the thread hop, the lock hand-off and the self-pipe
    wake-up per call are pure overhead. An explicit executor is honoured as usual."""

    def run_in_executor(  # type: ignore[override]
        self, executor: Any, func: Callable[..., Any], *args: Any
    ) -> asyncio.Future[Any]:
        if executor is not None:
            return super().run_in_executor(executor, func, *args)
        self._check_closed()  # type: ignore[attr-defined]
        future: asyncio.Future[Any] = self.create_future()
        try:
            future.set_result(func(*args))
        except Exception as exc:  # the SDK sees the failure where it awaits the call, as before
            future.set_exception(exc)
        return future


def _known(value: Any) -> pulumi.Output[Any]:
    """`Output.from_input(value)` for a plain scalar: an Output whose data is already set (known, not
    secret, no resources), so it is never outstanding (as `_track` decides for such data)."""
    data: asyncio.Future[Any] = asyncio.Future()
    data.set_result(_OutputData(resources=set(), value=value, is_known=True, is_secret=False))
    return _output(data)


def _output(data: asyncio.Future[Any]) -> pulumi.Output[Any]:
    """`Output._from_data(data)` without its tracking (each caller decides whether it is outstanding)."""
    out: pulumi.Output[Any] = object.__new__(pulumi.Output)
    out._data = data
    return out


def _fast_from_input(original: Callable[[Any], Any]) -> Any:
    def from_input(val: Any) -> Any:
        if type(val) in _SCALARS:
            return _known(val)
        return original(val)

    return staticmethod(from_input)


def _fast_create_urn(original: Callable[..., Any]) -> Callable[..., Any]:
    def create_urn(
        name: Any, type_: Any, parent: Any = None, project: str | None = None, stack: str | None = None
    ) -> Any:
        if (
            type(name) is not str
            or type(type_) is not str
            or (parent is not None and type(parent) is not str)
        ):
            return original(name, type_, parent, project, stack)
        if parent is not None:
            prefix = parent[0 : parent.rfind("::")] + "$"
        else:
            stack = pulumi.runtime.settings.get_stack() if stack is None else stack
            project = pulumi.runtime.settings.get_project() if project is None else project
            prefix = "urn:pulumi:" + stack + "::" + project + "::"
        return _known(prefix + type_ + "::" + name)

    return create_urn


def _fast_collapse_alias(original: Callable[..., Any]) -> Callable[..., Any]:
    def collapse_alias_to_urn(alias: Any, default_name: str, default_type: str, default_parent: Any) -> Any:
        if type(alias) is not pulumi.Alias:
            return original(alias, default_name, default_type, default_parent)
        given: Any = alias  # `...` marks a field not given (the SDK's sentinel, not in its annotations)
        if (
            type(given.name) is not str
            or given.type_ is not ...
            or given.parent is not ...
            or given.stack not in (..., None)
            or given.project not in (..., None)
            or type(default_type) is not str
        ):
            return original(alias, default_name, default_type, default_parent)
        tail = default_type + "::" + given.name
        if isinstance(default_parent, pulumi.Resource):
            # the SDK's create_urn with a parent: its URN up to the last `::`, then `$type::name`
            return default_parent.urn.apply(lambda urn: urn[0 : urn.rfind("::")] + "$" + tail)
        if default_parent is not None:
            return original(alias, default_name, default_type, default_parent)
        stack, project = pulumi.runtime.settings.get_stack(), pulumi.runtime.settings.get_project()
        return _known("urn:pulumi:" + stack + "::" + project + "::" + tail)

    return collapse_alias_to_urn


def _fast_transfer_properties(original: Callable[..., Any]) -> Callable[..., Any]:
    def transfer_properties(res: Any, props: Any, custom: bool) -> dict[str, Any]:
        resolvers: dict[str, Any] = {}
        for name in props:
            if name == "urn" or (name == "id" and custom):
                continue  # the SDK resolves these elsewhere
            data: asyncio.Future[Any] = asyncio.Future()
            resolvers[name] = functools.partial(_resolve_property, res, data)
            res.__dict__[name] = _outstanding(data)
        return resolvers

    return transfer_properties


def _outstanding(data: asyncio.Future[Any]) -> pulumi.Output[Any]:
    """`Output._from_data(data)` for data that its resolver takes out of the outstanding set when it
    succeeds (no done callback needed)."""
    _SETTINGS.outputs.add(data)
    return _output(data)


def _fast_resource_output(original: Callable[..., Any]) -> Callable[..., Any]:
    def resource_output(res: Any) -> tuple[Callable[..., None], pulumi.Output[Any]]:
        data: asyncio.Future[Any] = asyncio.Future()
        return functools.partial(_resolve_resource_output, res, data), _outstanding(data)

    return resource_output


def _resolve_resource_output(
    res: Any, data: asyncio.Future[Any], value: Any, known: bool, secret: bool, exn: Exception | None
) -> None:
    """The SDK's resolver of a resource's `urn` or `id` (`resource.resource_output`): a property's,
    without dependencies."""
    _resolve_property(res, data, value, known, secret, None, exn)


def _resolve_property(
    res: Any,
    data: asyncio.Future[Any],
    value: Any,
    is_known: bool,
    is_secret: bool,
    deps: Any,
    failed: Exception | None,
) -> None:
    """The SDK's resolver of one output property (`rpc.transfer_properties`): the property's data is
    its value, known and secret flags and the resource with the dependencies the engine reported, or
    the failure every await of the Output raises."""
    if failed is not None:
        data.set_exception(failed)  # stays outstanding: the end of the run sees the failure
        return
    resources = set(deps) if deps else set()
    resources.add(res)
    data.set_result(_OutputData(resources=resources, value=value, is_known=is_known, is_secret=is_secret))
    _SETTINGS.outputs.discard(data)


def _fast_serialize_property(original: Callable[..., Any]) -> Callable[..., Any]:
    async def serialize_property(
        value: Any,
        deps: Any,
        property_key: Any,
        resource_obj: Any = None,
        input_transformer: Any = None,
        typ: Any = None,
        keep_output_values: bool = False,
        exclude_resource_refs_from_deps: bool = False,
        return_protobuf_value: bool = False,
    ) -> Any:
        if type(value) in _SCALARS and not return_protobuf_value:
            return value
        return await original(
            value,
            deps,
            property_key,
            resource_obj,
            input_transformer,
            typ,
            keep_output_values,
            exclude_resource_refs_from_deps,
            return_protobuf_value,
        )

    return serialize_property


def _fast_deserialize_property(original: Callable[..., Any]) -> Callable[..., Any]:
    def deserialize_property(value: Any, keep_unknowns: Any = None, keep_internal: Any = True) -> Any:
        kind = type(value)
        if (kind is str and value != rpc.UNKNOWN) or kind in _WIRE_SCALARS:
            return value
        return original(value, keep_unknowns, keep_internal)

    return deserialize_property


_WIRE_SCALARS = (bool, int, float, type(None))


def _fast_prepare_resource_hooks(original: Callable[..., Any]) -> Callable[..., Any]:
    async def prepare_resource_hooks(hooks: Any, name_prefix: str) -> Any:
        if hooks is None or (
            type(hooks) is _resource_hooks.ResourceHookBinding
            and not any(getattr(hooks, kind) for kind in _HOOK_KINDS)
        ):
            return resource_pb2.RegisterResourceRequest.ResourceHooksBinding()
        return await original(hooks, name_prefix)

    return prepare_resource_hooks


_HOOK_KINDS = (
    "before_create",
    "after_create",
    "before_update",
    "after_update",
    "before_delete",
    "after_delete",
    "on_error",
)


def _fast_contains_unknowns(original: Callable[[Any], bool]) -> Callable[[Any], bool]:
    def contains_unknowns(val: Any) -> bool:
        kind = type(val)
        if kind in _SCALARS:
            return False
        if kind is list and all(type(v) in _SCALARS for v in val):
            return False
        if kind is dict and all(type(v) in _SCALARS for v in val.values()):
            return False
        return original(val)

    return contains_unknowns


def _per_class(original: Callable[[type], dict[str, Any]]) -> Callable[[type], dict[str, Any]]:
    """A pure function of a class (its annotations and properties), computed once per class; each
    caller gets its own copy, as from the original."""
    computed: dict[type, dict[str, Any]] = {}

    def per_class(cls: type) -> dict[str, Any]:
        known = computed.get(cls)
        if known is None:
            known = computed[cls] = original(cls)
        return dict(known)

    return per_class


def _per_type(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A pure function of a type annotation, computed once per annotation (unhashable ones: each time)."""
    computed: dict[Any, Any] = {}

    def per_type(typ: Any) -> Any:
        try:
            return computed[typ]
        except KeyError:
            known = computed[typ] = original(typ)
            return known
        except TypeError:
            return original(typ)

    return per_type


def _track(self: Any) -> None:
    """`Output._track`: the data is outstanding until it settles; an Output that fails or is cancelled
    stays outstanding, so that the end of the run sees its error."""
    data = self._data
    if data.done() and not data.cancelled() and data.exception() is None:
        return  # settled already: the SDK's callback would take it out again on the next turn
    _SETTINGS.outputs.add(data)
    data.add_done_callback(_settled)


def _settled(data: asyncio.Future[Any]) -> None:
    if data.cancelled() or data.exception() is not None:
        return
    _SETTINGS.outputs.discard(data)


def _plain_copy(obj: Any) -> Any:
    """A new instance of `obj`'s class whose `__dict__` holds the same values, `__init__` not run."""
    out = object.__new__(type(obj))
    out.__dict__.update(obj.__dict__)
    return out


def _shallow_copy(original: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`copy.copy` of an instance of a plain class (no `__copy__`, `__slots__` or reduce hooks of its
    own): a new instance whose `__dict__` holds the same values, `__init__` not run. Instances of a
    subclass take the original path."""

    def _copy(self: Any) -> Any:
        if type(self) not in _PLAIN_COPIED:
            return original(self)
        return _plain_copy(self)

    return _copy


_PLAIN_COPIED = frozenset({pulumi.ResourceOptions, _resource_hooks.ResourceHookBinding})

# ResourceOptions.merge's rule for each field (tests/pulumi/test_mock_fastpath.py checks that these
# name every field the SDK's options have): lists concatenate, values of the second options replace.
MERGED_LISTS = (
    "ignore_changes",
    "replace_on_changes",
    "aliases",
    "additional_secret_outputs",
    "transformations",
    "transforms",
    "state_migrations",
    "replace_with",
    "hide_diffs",
)
REPLACED = (
    "replacement_trigger",
    "parent",
    "protect",
    "delete_before_replace",
    "version",
    "plugin_download_url",
    "custom_timeouts",
    "id",
    "import_",
    "urn",
    "provider",
    "retain_on_delete",
    "deleted_with",
    "env_var_mappings",
)
MERGED_APART = ("providers", "depends_on", "hooks")
_merge_lists: Callable[[Any, Any], Any] = _resource_module._merge_lists  # the SDK's: None-aware `+`


def _plain_options(opts: Any) -> bool:
    return opts is None or (
        type(opts) is pulumi.ResourceOptions
        and (opts.providers is None or type(opts.providers) is list)
        and (opts.depends_on is None or type(opts.depends_on) is list)
        and (opts.hooks is None or type(opts.hooks) is _resource_hooks.ResourceHookBinding)
    )


def _fast_merge(original: Callable[..., Any]) -> Callable[..., Any]:
    def merge(opts1: Any, opts2: Any) -> Any:
        if not (_plain_options(opts1) and _plain_options(opts2)):
            return original(opts1, opts2)
        first = pulumi.ResourceOptions() if opts1 is None else opts1
        second = pulumi.ResourceOptions() if opts2 is None else opts2
        dest = _plain_copy(first)
        merged = dest.__dict__
        given = second.__dict__
        for name in MERGED_LISTS:
            merged[name] = _merge_lists(merged[name], given[name])
        for name in REPLACED:
            if given[name] is not None:
                merged[name] = given[name]
        merged["providers"] = _merge_lists(merged["providers"], given["providers"])
        merged["depends_on"] = list(merged["depends_on"] or ()) + list(given["depends_on"] or ())
        merged["hooks"] = _resource_hooks.ResourceHookBinding.merge(merged["hooks"], given["hooks"])
        _resource_module._collapse_providers(dest)
        return dest

    return merge


def _gated_debug(original: Callable[..., None], logger: logging.Logger) -> Callable[..., None]:
    def debug(msg: str, resource: Any = None, stream_id: Any = None, ephemeral: Any = None) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            original(msg, resource, stream_id, ephemeral)

    return debug


# (owner, name, factory): the SDK function `fast_paths` replaces with factory(the SDK's own); the
# root logger's debug is replaced too, with the run's logger (`fast_paths`).
PATCHES: tuple[tuple[Any, str, Callable[[Any], Any]], ...] = (
    (_resource_runtime, "create_urn", _fast_create_urn),
    (rpc, "contains_unknowns", _fast_contains_unknowns),
    (rpc, "serialize_property", _fast_serialize_property),
    (rpc, "deserialize_property", _fast_deserialize_property),
    (pulumi.Output, "from_input", _fast_from_input),
    (rpc, "transfer_properties", _fast_transfer_properties),
    (_resource_runtime, "resource_output", _fast_resource_output),
    (_resource_runtime, "_prepare_resource_hooks", _fast_prepare_resource_hooks),
    (_resource_module, "collapse_alias_to_urn", _fast_collapse_alias),
    (_types, "resource_types", _per_class),
    (_types, "resource_pulumi_to_py_names", _per_class),
    (_types, "unwrap_type", _per_type),
    (_types, "unwrap_optional_type", _per_type),
    (pulumi.Output, "_track", lambda original: _track),
    (pulumi.ResourceOptions, "_copy", _shallow_copy),
    (pulumi.ResourceOptions, "merge", _fast_merge),
    (_resource_hooks.ResourceHookBinding, "_copy", _shallow_copy),
)


@contextmanager
def fast_paths(logger: logging.Logger | None = None) -> Iterator[None]:
    """The SDK's module-level fast paths for one run (the event loop is `InlineRpcLoop`'s business).
    `logger` is the one the mock engine logs to (the root logger unless set_mocks was given one)."""
    patches = [
        *PATCHES,
        (_log, "debug", lambda original: _gated_debug(original, logger or logging.getLogger())),
    ]
    # As defined (a staticmethod stays one when restored), not as looked up.
    saved = [(module, name, inspect.getattr_static(module, name)) for module, name, _ in patches]
    for module, name, fast in patches:
        setattr(module, name, fast(getattr(module, name)))
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)

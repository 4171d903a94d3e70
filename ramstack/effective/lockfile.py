"""The lock file (permissions.<stack>.lock.json, see lockpath): the effective permissions, canonical
and sorted, committed next to the spec.

Reviewers diff it in pull requests; `ramstack diff` compares the current spec against it. It never
holds a secret: only names, patterns and conditions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ramstack.diagnostics import Diagnostics, Level, Location
from ramstack.effective.model import (
    EffectivePermissions,
    Grant,
    GrantEntryKey,
    PrincipalPermissions,
    grant_entries,
    grant_texts,
)
from ramstack.jsontext import Joined, dumps_indented, encode_string, write_indented
from ramstack.source import MAX_DEPTH, LList, LMap, location_of, parse_text, read_input_text

FORMAT_VERSION = 1
# A lock file is ramstack's own output and grows with the stack (about 13 MB and 400,000 values at
# 5,000 users), so it gets bounds of its own, far above the largest stack RAM's quotas allow and
# still finite: no lock file can make the reader use unbounded memory.
LOCK_MAX_BYTES = 128 * 1024 * 1024
LOCK_MAX_NODES = 8_000_000


def to_json(perms: EffectivePermissions, stack: str | None = None) -> dict[str, Any]:
    return {
        "format": FORMAT_VERSION,
        "generator": "ramstack lock",
        "stack": stack,
        "account_id": perms.account_id,
        "principals": {p.subject: p.to_json() for p in perms.principals},
    }


# Where things sit in the lock file: {"principals": {SUBJECT: {FIELD: VALUE}}}: a principal, a
# field of a principal (a grant list, say) and one grant of that list
_PRINCIPAL_NEWLINE = "\n" + " " * 4
_FIELD_NEWLINE = _PRINCIPAL_NEWLINE + "  "
_ITEM_NEWLINE = _GRANT_NEWLINE = _FIELD_NEWLINE + "  "  # an item of such a list
GrantList = tuple[tuple[Grant, tuple[str, ...]], ...]


def dumps(perms: EffectivePermissions, stack: str | None = None) -> str:
    """The lock file's text: `json.dumps(to_json(perms, stack), indent=2, sort_keys=True,
    ensure_ascii=False) + "\n"`, byte for byte, written for the file's fixed shape instead of by
    building that JSON and walking it: a principal's text is its fields' texts, in three pieces
    (before, its grants, after). Principals share grants (one document's grants are the same objects
    for every holder), so each distinct (grant, sources) is written once and its text reused, a grant
    list shared by several principals is joined once, and so is the text before the grants shared by
    most principals."""
    grant_text = grant_texts(_GRANT_NEWLINE)  # the grants live as long as `perms`, beyond this call
    lists: dict[int, tuple[GrantList, str]] = {}
    heads: dict[Hashable, str] = {}

    def grants_text(grants: GrantList) -> str:
        found = lists.get(id(grants))
        if found is None:
            texts = [grant_text(grant, sources) for grant, sources in grants]
            text = "[" + _GRANT_NEWLINE + ("," + _GRANT_NEWLINE).join(texts) + _FIELD_NEWLINE + "]"
            found = lists[id(grants)] = (grants, text if texts else "[]")
        return found[1]

    def head_text(p: PrincipalPermissions) -> str:
        """The principal's text up to its grants' (`to_json`'s fields in sorted order): its assumable
        roles (not a group's) and its attributes. Most principals have equal ones (no assumable
        role, the same attributes): written once for them, keyed with the values' types as well
        (true == 1, but they are written differently)."""
        key = None
        if not p.assumable:
            key = (p.kind, *[(name, type(value), value) for name, value in p.attributes])
            try:
                found = heads.get(key)
            except TypeError:  # a list value (a user's groups): written each time
                key = found = None
            if found is not None:
                return found
        text = "{" + _FIELD_NEWLINE
        if p.kind != "group":
            assumable = _items_text([a.json_text for a in p.assumable])
            text += '"assumable_roles": ' + assumable + "," + _FIELD_NEWLINE
        attributes = dumps_indented(dict(p.attributes), _FIELD_NEWLINE)
        text += '"attributes": ' + attributes + "," + _FIELD_NEWLINE + '"grants": '
        if key is not None:
            heads[key] = text
        return text

    def tail_text(p: PrincipalPermissions) -> str:
        """The principal's text after its grants': its kind and a role's trust entries."""
        text = "," + _FIELD_NEWLINE + '"kind": ' + encode_string(p.kind)
        if p.kind == "role":
            text += "," + _FIELD_NEWLINE + '"trusted_by": ' + _items_text([t.json_text for t in p.trusted_by])
        return text + _PRINCIPAL_NEWLINE + "}"

    table = {p.subject: p for p in perms.principals}  # as `to_json` makes it (the last of a subject)
    data = to_json(EffectivePermissions(perms.account_id), stack)
    data["principals"] = {
        subject: Joined((head_text(p), grants_text(p.grants), tail_text(p))) for subject, p in table.items()
    }
    out: list[str] = []
    write_indented(data, out)  # the principals' pieces joined once, into the file's text
    out.append("\n")
    return "".join(out)


def _items_text(writers: list[Callable[[str], str]]) -> str:
    """A principal's list of trust entries or assumable roles, each written by its `json_text`."""
    if not writers:
        return "[]"
    texts = [write(_ITEM_NEWLINE) for write in writers]
    return "[" + _ITEM_NEWLINE + ("," + _ITEM_NEWLINE).join(texts) + _FIELD_NEWLINE + "]"


_KINDS = ("user", "group", "role")
_Fields = dict[str, tuple[tuple[type, ...], bool]]
# field -> (types it may have, required); fields not listed are left to future format versions
_GRANT: _Fields = {
    "effect": ((str,), True),
    "action": ((str,), True),
    "resource": ((str,), True),
    "conditions": ((str,), False),
    "not_action": ((bool,), False),
    "not_resource": ((bool,), False),
    "sources": ((list,), False),
}
_TRUST: _Fields = {"type": ((str,), True), "principal": ((str,), True), "conditions": ((str,), False)}
_ASSUMABLE: _Fields = {"role": ((str,), True), "requires": ((list,), False)}
_PRINCIPAL: _Fields = {
    "kind": ((str,), True),
    "grants": ((list,), False),
    "trusted_by": ((list,), False),
    "assumable_roles": ((list,), False),
    "attributes": ((dict,), False),
}
_STRING_LISTS = ("sources", "requires")
_TYPE_NAMES = {str: "a string", bool: "true or false", list: "a list", dict: "an object"}


def _where(container: Any, key: str | int, file: str) -> Location:
    if isinstance(container, LMap) and isinstance(key, str):
        return container.value_loc(key)
    if isinstance(container, LList) and isinstance(key, int):
        return container.item_loc(key)
    return location_of(container, Location(file))


def _check_object(
    value: Any,
    fields: dict[str, tuple[tuple[type, ...], bool]],
    what: str,
    where: Location,
    diags: Diagnostics,
) -> bool:
    """The fields of one lock-file object have the types `ramstack lock` writes (never coerced: a
    number where an action belongs is a corrupt file, not an action named "5")."""
    if not isinstance(value, dict):
        diags.error(where, "LOCK001", f"{what} must be an object", "regenerate it with `ramstack lock`")
        return False
    ok = True
    for name, (types, required) in fields.items():
        if name not in value:
            if required:
                diags.error(where, "LOCK001", f"{what} has no {name!r}", "regenerate it with `ramstack lock`")
                ok = False
            continue
        item = value[name]
        # bool is an int in Python: a type check must not let true pass for a number or the reverse
        if not isinstance(item, types) or (isinstance(item, bool) and bool not in types):
            diags.error(
                _where(value, name, where.file),
                "LOCK001",
                f"{what}: {name!r} must be {_TYPE_NAMES[types[0]]}, not {_json_type(item)}",
                "regenerate it with `ramstack lock`",
            )
            ok = False
        elif name in _STRING_LISTS and not all(isinstance(v, str) for v in value[name]):
            diags.error(
                _where(value, name, where.file),
                "LOCK001",
                f"{what}: {name!r} must be a list of strings",
                "regenerate it with `ramstack lock`",
            )
            ok = False
    return ok


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"


def _check_principal(subject: str, body: Any, where: Location, diags: Diagnostics) -> bool:
    what = f"principal {subject!r}"
    if not _check_object(body, _PRINCIPAL, what, where, diags):
        return False
    ok = True
    if body["kind"] not in _KINDS:
        diags.error(
            _where(body, "kind", where.file),
            "LOCK001",
            f"{what}: kind must be one of {', '.join(_KINDS)}",
            "regenerate it with `ramstack lock`",
        )
        ok = False
    for name, fields, label in (
        ("grants", _GRANT, "grant"),
        ("trusted_by", _TRUST, "trust entry"),
        ("assumable_roles", _ASSUMABLE, "assumable role"),
    ):
        items = body.get(name, [])
        for index, item in enumerate(items):
            item_where = location_of(item, _where(items, index, where.file))
            ok = _check_object(item, fields, f"{what} {label} {index}", item_where, diags) and ok
    return ok


def from_json(data: Any, file: str, diags: Diagnostics) -> EffectivePermissions | None:
    before = len(diags.errors)
    where = location_of(data, Location(file))
    if not isinstance(data, dict) or not isinstance(data.get("principals"), dict):
        diags.error(
            where,
            "LOCK001",
            "not a ramstack permissions lock file (no 'principals' object)",
            "regenerate it with `ramstack lock`",
        )
        return None
    if data.get("format") != FORMAT_VERSION:
        diags.error(
            _where(data, "format", file) if "format" in data else where,
            "LOCK002",
            f"lock file format {data.get('format')!r} is not {FORMAT_VERSION}",
            "regenerate it with `ramstack lock`",
        )
        return None
    if not isinstance(data.get("account_id", ""), str):
        diags.error(
            _where(data, "account_id", file),
            "LOCK001",
            "'account_id' must be a string",
            "regenerate it with `ramstack lock`",
        )
    principals = []
    table = data["principals"]
    made: dict[GrantEntryKey, tuple[Grant, tuple[str, ...]]] = {}
    for subject, body in sorted(table.items()):
        key_where = table.key_loc(subject) if isinstance(table, LMap) else where
        if _check_principal(subject, body, key_where, diags):
            principals.append(PrincipalPermissions.from_json(subject, body, made))
    if len(diags.errors) > before:
        return None
    return EffectivePermissions(str(data.get("account_id", "")), tuple(principals))


def read(
    path: Path,
    diags: Diagnostics,
    current: tuple[EffectivePermissions, str | None] | None = None,
) -> EffectivePermissions | None:
    """Read a lock file with the located JSON reader: duplicate keys, deep nesting, huge numbers and
    NaN are located errors like in any spec file, never a traceback or a silent pick.

    `current` is (permissions, stack) the caller already has (`ramstack diff`'s working spec): when
    the file holds exactly what `ramstack lock` writes for them, reading it would give back those
    permissions (the lock file is their faithful text), so they are returned without parsing the
    file, the common case of a lock kept up to date. Any other text is read as usual."""
    name = str(path)
    try:
        text = read_input_text(path, LOCK_MAX_BYTES)
    except FileNotFoundError:
        diags.error(Location(name), "LOCK003", "lock file not found", "create it with `ramstack lock`")
        return None
    except IsADirectoryError:
        diags.error(Location(name), "LOCK003", "the lock file is a directory", "pass a lock file")
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"not UTF-8 ({exc.reason})"
        diags.error(Location(name), "LOCK003", f"cannot read the lock file: {reason}", "pass a lock file")
        return None
    if current is not None and text == dumps(*current):
        return EffectivePermissions(current[0].account_id, current[0].principals)  # what is read
    fast = _plain_lock(text, name)
    if fast is not None:
        return fast
    own = Diagnostics()
    data = parse_text(text, name, own, json_mode=True, max_bytes=LOCK_MAX_BYTES, max_nodes=LOCK_MAX_NODES)
    # every problem with the file's syntax is a malformed lock file, whatever the reader's code
    diags.extend(
        replace(d, code="LOCK001", fix="regenerate it with `ramstack lock`")
        if d.code.startswith("YAML") and d.level is Level.ERROR
        else d
        for d in own
    )
    if data is None or own.has_errors:
        return None
    return from_json(data, name, diags)


class _NotPlain(ValueError):
    """The text needs the located reader (a duplicate key, NaN, an over-long number...)."""


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise _NotPlain("duplicate key")
    return out


def _refuse(token: str) -> Any:
    raise _NotPlain(token)


def _number(kind: type[int] | type[float]) -> Any:
    def convert(token: str) -> int | float:
        if len(token) > 100:  # no lock value is a number this long; the located reader says where
            raise _NotPlain("number too long")
        return kind(token)

    return convert


def _plain_lock(text: str, name: str) -> EffectivePermissions | None:
    """The common case fast: a well-formed lock file (what `ramstack lock` writes) read with the C JSON
    parser. Anything unusual (bad syntax, a duplicate key, NaN, deep nesting, a field `ramstack lock`
    does not write, a wrong type) returns None, and the located reader reads it again to say exactly
    where (or to accept what the format allows beyond this writer's output)."""
    try:
        data = json.loads(
            text,
            object_pairs_hook=_unique,
            parse_constant=_refuse,
            parse_int=_number(int),
            parse_float=_number(float),
        )
    except (ValueError, RecursionError):
        return None
    if type(data) is not dict or not data.keys() <= _TOP_KEYS:
        return None
    format_version, account_id, table = data.get("format"), data.get("account_id", ""), data.get("principals")
    if type(format_version) is not int or format_version != FORMAT_VERSION or type(account_id) is not str:
        return None
    if type(table) is not dict or any(
        type(data.get(k)) not in (str, type(None)) for k in ("generator", "stack")
    ):
        return None
    principals = []
    made: dict[GrantEntryKey, tuple[Grant, tuple[str, ...]]] = {}
    for subject, body in sorted(table.items()):
        grants = _plain_principal(body, made)
        if grants is None:
            return None
        principals.append(PrincipalPermissions.from_parts(subject, body, grants))
    return EffectivePermissions(account_id, tuple(principals))


_TOP_KEYS = frozenset({"format", "generator", "stack", "account_id", "principals"})
# field -> its exact type, for the fast path: only the fields `ramstack lock` writes
_PLAIN: dict[str, dict[str, type]] = {
    "trusted_by": {k: types[0] for k, (types, _) in _TRUST.items()},
    "assumable_roles": {k: types[0] for k, (types, _) in _ASSUMABLE.items()},
}
_PLAIN_REQUIRED = {
    "trusted_by": frozenset(k for k, (_, required) in _TRUST.items() if required),
    "assumable_roles": frozenset(k for k, (_, required) in _ASSUMABLE.items() if required),
}
_PLAIN_PRINCIPAL = frozenset(_PRINCIPAL)
_GRANT_KEYS = frozenset(_GRANT)
_GRANT_REQUIRED = frozenset(k for k, (_, required) in _GRANT.items() if required)
# the types of a grant's fields in `grant_entry_key` order, sources left out
_GRANT_TYPES = (str, str, str, str, bool, bool)


def _plain_grants(
    items: Any, made: dict[GrantEntryKey, tuple[Grant, tuple[str, ...]]]
) -> tuple[tuple[Grant, tuple[str, ...]], ...] | None:
    """A principal's grants, read and type-checked in one pass; None when one is not exactly what
    `ramstack lock` writes (the located reader then says what is wrong)."""
    if type(items) is not list:
        return None
    keys: list[GrantEntryKey] = []
    for item in items:
        if type(item) is not dict or not _GRANT_REQUIRED <= item.keys() <= _GRANT_KEYS:
            return None
        sources = item.get("sources", ())
        if type(sources) is not tuple and (
            type(sources) is not list or any(type(s) is not str for s in sources)
        ):
            return None
        key = (
            item["effect"],
            item["action"],
            item["resource"],
            item.get("conditions", ""),
            item.get("not_action", False),
            item.get("not_resource", False),
            tuple(sources),
        )
        # map(type): exact types, so a 1 is not taken for true (they are equal as keys)
        if tuple(map(type, key[:6])) != _GRANT_TYPES:
            return None
        keys.append(key)
    return grant_entries(keys, made)


def _plain_principal(
    body: Any, made: dict[GrantEntryKey, tuple[Grant, tuple[str, ...]]]
) -> tuple[tuple[Grant, tuple[str, ...]], ...] | None:
    """One principal's grants when it has exactly the shape and types `ramstack lock` writes (no
    nesting beyond it but in attributes, which is checked against MAX_DEPTH like any file); None
    when it has not."""
    if type(body) is not dict or not body.keys() <= _PLAIN_PRINCIPAL or body.get("kind") not in _KINDS:
        return None
    for name, fields in _PLAIN.items():
        items = body.get(name, [])
        if type(items) is not list:
            return None
        required = _PLAIN_REQUIRED[name]
        for item in items:
            if type(item) is not dict or not required <= item.keys():
                return None
            for key, value in item.items():
                expected = fields.get(key)
                if expected is None or type(value) is not expected:
                    return None
                if isinstance(value, list) and any(type(v) is not str for v in value):
                    return None
    attributes = body.get("attributes", {})
    if type(attributes) is not dict or not _shallow(attributes, MAX_DEPTH - 3):
        return None
    return _plain_grants(body.get("grants", []), made)


def _shallow(value: dict[str, Any] | list[Any], levels: int) -> bool:
    """`value` nests no more than `levels` containers deep (the located reader's MAX_DEPTH bound)."""
    if levels < 1:
        return False
    children: Iterable[Any] = value.values() if isinstance(value, dict) else value
    return all(_shallow(child, levels - 1) for child in children if isinstance(child, dict | list))

"""Field tables for the access spec: one table drives both structural checks and the JSON Schema.

A table says, for each kind of object (user, role, ...), which keys exist, their types, defaults and
descriptions. `check_object` applies a table to a located mapping and reports unknown keys (with a
"did you mean"), wrong types and missing required keys, all at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ramstack.diagnostics import Diagnostics, Location
from ramstack.source import LList, LMap


@dataclass(frozen=True)
class T:
    """A field type: `str`, `bool`, `int`, `list` (of str), `map` (str -> str), `object`, `objects`
    (map of name -> object), `object_list` (list of objects)."""

    kind: str
    fields: tuple[Field, ...] = ()
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    maximum: int | None = None

    @cached_property
    def table(self) -> Mapping[str, Field]:
        """The fields by name, built once per type (every object of a kind is checked against it)."""
        return {f.name: f for f in self.fields}

    @cached_property
    def required(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.required)

    def describe(self) -> str:
        return {
            "str": "a string",
            "bool": "true or false",
            "int": "a whole number",
            "list": "a list of strings",
            "map": "a mapping of strings to strings",
            "object": "a mapping",
            "objects": "a mapping of names to mappings",
            "object_list": "a list of mappings",
        }[self.kind]


@dataclass(frozen=True)
class Field:
    name: str
    type: T
    description: str
    required: bool = False
    default: Any = None
    examples: tuple[Any, ...] = field(default=())


STR, BOOL, INT, LIST, MAP = T("str"), T("bool"), T("int"), T("list"), T("map")

ATTACHMENTS = (
    Field("policies", LIST, "Custom policies to attach, by name (files policies/<name>.yaml|.json)."),
    Field(
        "system_policies", LIST, "Alibaba system policies to attach, by name (e.g. AliyunOSSReadOnlyAccess)."
    ),
    Field(
        "assume_roles",
        LIST,
        "Roles this principal may assume, by name (declared in this spec) or, for a role of another "
        "account, by ARN (acs:ram::<account-id>:role/<name>; that role's trust is declared in the other "
        "account's stack): ramstack attaches a generated policy that allows sts:AssumeRole on exactly "
        "these role ARNs.",
    ),
    Field(
        "allow_assume_any_role",
        BOOL,
        "Opt-in required to attach AliyunSTSAssumeRoleAccess, which allows assuming ANY role that trusts "
        "this principal. Prefer assume_roles.",
        default=False,
    ),
)

CONSOLE_LOGIN = T(
    "object",
    (
        Field("mfa_required", BOOL, "Force an MFA device at console logon.", default=True),
        Field(
            "password_reset_required", BOOL, "Make the user change the password at first logon.", default=True
        ),
        Field(
            "generated_password",
            BOOL,
            "Generate the initial password (a Pulumi RandomPassword) instead of reading "
            "ramstack:passwords.<user>; it is exported only as the secret output console_passwords, and "
            "the user must change it at first logon.",
            default=False,
        ),
        Field(
            "password_version",
            T("int", minimum=1),
            "Later `pulumi up`s leave the person's password alone; change this number to rotate: the login "
            "profile is re-created with the current (or a newly generated) initial password.",
        ),
    ),
)

USER = T(
    "object",
    (
        Field("display_name", STR, "Display name (1-128 characters)."),
        Field("comments", STR, "Free text (1-128 characters)."),
        Field("email", STR, "E-mail (China site only)."),
        Field("mobile", STR, "Mobile phone as <country code>-<number> (China site only)."),
        Field("tags", MAP, "Tags (at most 20)."),
        Field(
            "access_key",
            BOOL,
            "Create one AccessKey pair; its secret is exported as a Pulumi secret.",
            default=False,
        ),
        Field("pgp_key", STR, "Encrypt the AccessKey secret with this PGP key (base64 or keybase:<user>)."),
        Field(
            "console_login",
            CONSOLE_LOGIN,
            "Give the user a console password (a Pulumi secret from stack config ramstack:passwords.<user>, "
            "or generated_password: true); set once, then left to the person.",
        ),
        Field("groups", LIST, "Groups (declared in this spec) the user joins (at most 10)."),
        *ATTACHMENTS,
        Field("protect", BOOL, "Pulumi protect: refuse to delete this user.", default=False),
        Field(
            "renamed_from",
            STR,
            "Not supported for users (RAM renames a user in place, but pulumi-alicloud would re-create its "
            "attachments, keys and login profile, which the API refuses); rename in the console, then "
            "`pulumi import`.",
        ),
    ),
)

GROUP = T(
    "object",
    (
        Field("comments", STR, "Free text (at most 128 characters)."),
        *ATTACHMENTS,
        Field(
            "renamed_from",
            STR,
            "The group's previous name: the group is re-created under the new name "
            "(a RAM group name cannot change) and Pulumi's alias makes it one replacement.",
        ),
    ),
)

OIDC_TRUST = T(
    "object",
    (
        Field("provider", STR, "Name of an OIDC provider declared under oidc_providers.", required=True),
        Field("audiences", LIST, "Accepted oidc:aud values (client ids).", required=True),
        Field(
            "subjects", LIST, "Accepted oidc:sub values; * and ? make it a StringLike match.", required=True
        ),
    ),
)

GITHUB = T(
    "object",
    (
        Field("provider", STR, "Name of the GitHub OIDC provider under oidc_providers.", required=True),
        Field("repository", STR, "owner/repo whose workflows may assume the role.", required=True),
        Field("branch", STR, "Only workflows running on this branch (refs/heads/<branch>)."),
        Field("environment", STR, "Only jobs bound to this GitHub environment."),
        Field("audience", STR, "Token audience (client id).", default="sts.aliyuncs.com"),
    ),
)

TRUST = T(
    "object",
    (
        Field("users", LIST, "RAM users declared in this spec that may assume the role."),
        Field("roles", LIST, "RAM roles declared in this spec that may assume the role."),
        Field(
            "accounts",
            LIST,
            "Alibaba Cloud account ids whose authorised RAM identities may assume the role (account root). "
            "'self' is this stack's account.",
        ),
        Field("arns", LIST, "Other RAM principal ARNs (acs:ram::<uid>:user/<n>, role/<n> or root)."),
        Field("services", LIST, "Cloud services that may assume the role (e.g. ecs.aliyuncs.com)."),
        Field(
            "oidc",
            T("object_list", OIDC_TRUST.fields),
            "OIDC identities (e.g. CI workflows) that may assume the role.",
        ),
        Field("require_mfa", BOOL, "Require acs:MFAPresent for the RAM principals.", default=False),
    ),
)

ROLE = T(
    "object",
    (
        Field("description", STR, "Description (1-1024 characters)."),
        Field(
            "max_session_duration",
            T("int", minimum=3600, maximum=43200),
            "Longest STS session in seconds (3600-43200).",
            default=3600,
        ),
        Field("trust", TRUST, "Who may assume the role."),
        Field("github", GITHUB, "Preset: trust GitHub Actions workflows of one repository through OIDC."),
        Field(
            "trust_file",
            STR,
            "A trust policy document kept verbatim (path relative to the spec), for trust that trust: "
            "cannot express; ramstack import writes these. Replaces trust: and github:.",
        ),
        Field("tags", MAP, "Tags."),
        Field("policies", LIST, "Custom policies to attach, by name."),
        Field("system_policies", LIST, "Alibaba system policies to attach, by name."),
        Field("protect", BOOL, "Pulumi protect: refuse to delete this role.", default=False),
        Field(
            "renamed_from",
            STR,
            "The role's previous name: the role is re-created under the new name "
            "(a RAM role name cannot change) and Pulumi's alias makes it one replacement.",
        ),
    ),
)

OIDC_PROVIDER = T(
    "object",
    (
        Field(
            "issuer_url",
            STR,
            "https issuer URL, e.g. https://token.actions.githubusercontent.com.",
            required=True,
        ),
        Field("client_ids", LIST, "Accepted client ids (audiences).", required=True),
        Field("fingerprints", LIST, "SHA-1 fingerprints of the issuer's certificate chain."),
        Field(
            "issuance_limit_time",
            T("int", minimum=1, maximum=168),
            "Maximum age of accepted tokens, in hours (1-168).",
        ),
        Field("description", STR, "Description."),
        Field(
            "renamed_from",
            STR,
            "The provider's previous name: it is re-created under the new name (an IMS OIDC provider "
            "name cannot change), deleted first because the issuer URL is unique per account, and "
            "Pulumi's alias makes it one replacement.",
        ),
    ),
)

POLICY_META = T(
    "object",
    (
        Field("description", STR, "Description of the custom policy (1-1024 characters)."),
        Field(
            "file", STR, "Document path relative to the spec; default <policies_dir>/<name>.yaml|.yml|.json."
        ),
    ),
)

SPEC = T(
    "object",
    (
        Field("users", T("objects", USER.fields), "RAM users, keyed by logon name."),
        Field("groups", T("objects", GROUP.fields), "RAM user groups, keyed by group name."),
        Field("roles", T("objects", ROLE.fields), "RAM roles, keyed by role name."),
        Field(
            "policies",
            T("objects", POLICY_META.fields),
            "Optional metadata of custom policies, keyed by name.",
        ),
        Field(
            "oidc_providers", T("objects", OIDC_PROVIDER.fields), "OIDC identity providers, keyed by name."
        ),
        Field(
            "policies_dir",
            STR,
            "Folder of custom policy documents, relative to the spec.",
            default="policies",
        ),
        Field(
            "extra_system_policies",
            LIST,
            "System policies that exist in Alibaba Cloud but are not in ramstack's bundled catalog.",
        ),
    ),
)


def suggest(word: str, choices: Any) -> str | None:
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    if not matches:
        lowered = {str(c).lower(): c for c in choices}
        hit = lowered.get(word.lower())
        return str(hit) if hit is not None else None
    return str(matches[0])


def did_you_mean(word: str, choices: Any) -> str | None:
    hit = suggest(word, choices)
    return f"did you mean {hit!r}?" if hit else None


def check_value(value: Any, typ: T, loc: Location, where: str, diags: Diagnostics) -> bool:
    """Type-check one value; reports and returns False when it does not fit."""
    ok: bool
    if typ.kind == "str":
        ok = isinstance(value, str)
    elif typ.kind == "bool":
        ok = isinstance(value, bool)
    elif typ.kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif typ.kind == "list":
        ok = isinstance(value, list)
        if ok:
            good = True
            seen: dict[str, int] = {}
            for i, item in enumerate(value):
                item_loc = value.item_loc(i) if isinstance(value, LList) else loc
                if not isinstance(item, str):
                    diags.error(
                        item_loc,
                        "SPEC003",
                        f"{where}[{i}] must be a string, got {_kind(item)}",
                        _quote_fix(item),
                    )
                    good = False
                elif item in seen:
                    diags.error(item_loc, "SPEC012", f"{where} lists {item!r} twice", "remove the duplicate")
                    good = False
                else:
                    seen[item] = i
            return good
    elif typ.kind == "map":
        ok = isinstance(value, dict)
        if ok:
            good = True
            for k, v in value.items():
                if not isinstance(v, str):
                    vloc = value.value_loc(k) if isinstance(value, LMap) else loc
                    diags.error(
                        vloc, "SPEC003", f"{where}.{k} must be a string, got {_kind(v)}", _quote_fix(v)
                    )
                    good = False
            return good
    elif typ.kind in ("object", "objects"):
        ok = isinstance(value, dict)
    elif typ.kind == "object_list":
        ok = isinstance(value, list)
    else:  # pragma: no cover - table error
        raise AssertionError(typ.kind)
    if not ok:
        diags.error(
            loc,
            "SPEC003",
            f"{where} must be {typ.describe()}, got {_kind(value)}",
            _quote_fix(value) if typ.kind == "str" else None,
        )
        return False
    if typ.enum and value not in typ.enum:
        diags.error(
            loc,
            "SPEC003",
            f"{where} must be one of {', '.join(typ.enum)}, got {value!r}",
            did_you_mean(str(value), typ.enum),
        )
        return False
    if typ.kind == "int" and (
        (typ.minimum is not None and value < typ.minimum) or (typ.maximum is not None and value > typ.maximum)
    ):
        diags.error(
            loc,
            "SPEC011",
            f"{where} must be between {typ.minimum} and {typ.maximum}, got {value}",
            f"use a value from {typ.minimum} to {typ.maximum}",
        )
        return False
    return True


def _kind(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _quote_fix(value: Any) -> str | None:
    if isinstance(value, bool | int | float):
        return f'quote it: "{str(value).lower() if isinstance(value, bool) else value}"'
    return None


_STR_ONLY = frozenset((str,))


def _fits(value: Any, typ: T) -> bool:
    """True when `check_value` would accept `value` without a word: the common case, decided without
    locations or messages. False sends the value through `check_value`, which reports (or accepts)."""
    kind = typ.kind
    if kind == "str":
        ok = isinstance(value, str)
    elif kind == "list":  # item types first: a mapping item is unhashable
        if not isinstance(value, list) or not set(map(type, value)) <= _STR_ONLY:
            return False
        return len(set(value)) == len(value)  # no duplicate
    elif kind == "bool":
        ok = isinstance(value, bool)
    elif kind == "map":
        return isinstance(value, dict) and set(map(type, value.values())) <= _STR_ONLY
    elif kind in ("object", "objects"):
        ok = isinstance(value, dict)
    elif kind == "int":
        ok = (
            isinstance(value, int)
            and not isinstance(value, bool)
            and (typ.minimum is None or value >= typ.minimum)
            and (typ.maximum is None or value <= typ.maximum)
        )
    else:
        ok = kind == "object_list" and isinstance(value, list)
    return ok and (not typ.enum or value in typ.enum)


def check_object(tree: Any, typ: T, loc: Location | None, where: str, diags: Diagnostics) -> LMap | None:
    """Check a mapping against a table. Returns the mapping (unknown or ill-typed keys removed) or None.

    `loc` is where `tree` is written; it may be None for an LMap, which knows its own (and whose
    Location is then made only if something is reported there). A mapping with nothing to remove is
    returned as it is (loaded trees are never mutated); a copy is made only when keys are dropped or a
    nested object changed."""
    if isinstance(tree, LMap):
        located = tree
    else:
        assert loc is not None, "only an LMap carries its own location"
        if not isinstance(tree, dict):
            diags.error(loc, "SPEC003", f"{where} must be a mapping, got {_kind(tree)}", None)
            return None
        located = _relocate(tree, loc)
    table = typ.table
    kept: list[tuple[str, Any]] = []
    unchanged = True
    for key, value in located.items():
        fld = table.get(key)
        if fld is None:
            diags.error(
                located.key_loc(key),
                "SPEC002",
                f"unknown field {key!r} in {where}",
                did_you_mean(key, table) or f"known fields: {', '.join(table)}",
            )
            unchanged = False
            continue
        if value is None and not fld.required:
            unchanged = False
            continue  # an explicit null means "not set"
        ftype = fld.type
        if not _fits(value, ftype) and not check_value(
            value, ftype, located.value_loc(key), f"{where}.{key}", diags
        ):
            unchanged = False
            continue
        if ftype.kind == "object":  # nested tables are checked as strictly as the top
            at = None if isinstance(value, LMap) else located.value_loc(key)
            nested = check_object(value, ftype, at, f"{where}.{key}", diags)
            if nested is None:
                unchanged = False
                continue
            unchanged = unchanged and nested is value
            value = nested
        kept.append((key, value))
    for fld in typ.required:
        if fld.name not in located:
            diags.error(
                located.loc,
                "SPEC003",
                f"{where} needs {fld.name!r} ({fld.description.rstrip('.')})",
                f"add {fld.name}: ...",
            )
    if unchanged:
        return located
    out = LMap(located.loc)
    for key, value in kept:
        out[key] = value
        out.key_locs[key] = located.key_loc(key)
        out.value_locs[key] = located.value_loc(key)
    return out


def _relocate(tree: Mapping[str, Any], loc: Location) -> LMap:
    out = LMap(loc)
    for k, v in tree.items():
        out[k] = v
    return out

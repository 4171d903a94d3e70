"""Stack configuration: the `config:` block of `Pulumi.<stack>.yaml`, read alike offline and under Pulumi.

Keys (namespace `ramstack:`):
  accountId   the Alibaba Cloud account id (required): ARNs in trust and grant policies use it
  spec        path of the access spec, relative to the project (default access.yaml)
  failOn      lint gate for `pulumi up`: info|low|medium|high|critical|none (default high)
  vars        extra ${name} variables for policy documents
  grammar     per-code level overrides for grammar diagnostics (error|warning|ignore)
  passwords   (secret) console passwords by user name
  quotas      account quotas Alibaba raised for this account (names.QUOTAS -> number); defaults
              are the documented ones
`alicloud:region` is the provider's region and the ${region} variable.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ramstack import names
from ramstack.diagnostics import Diagnostics, Location
from ramstack.source import LMap, load_file
from ramstack.spec.fields import did_you_mean

NAMESPACE = "ramstack"
FAIL_ON_LEVELS = ("info", "low", "medium", "high", "critical", "none")
KNOWN_KEYS = {"accountId", "spec", "failOn", "vars", "grammar", "passwords", "quotas"}
_ACCOUNT_ID = re.compile(r"[0-9]{5,20}")
_VAR_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class StackConfig:
    stack: str
    project_dir: Path
    account_id: str
    region: str
    spec_path: Path
    fail_on: str = "high"
    variables: Mapping[str, str] = field(default_factory=dict)
    grammar_levels: Mapping[str, str] = field(default_factory=dict)
    file: str | None = None
    # User names with a console password in the stack file (never the values), when read from a file;
    # None under the Pulumi runtime, where the program itself checks them.
    password_users: frozenset[str] | None = None
    quotas: Mapping[str, int] = field(default_factory=dict)  # overrides only; see quota()
    # Keys whose value was unusable and replaced by a fallback (only in a partial config, which is
    # never deployed): what depends on them is not checked, everything else still is.
    broken: frozenset[str] = frozenset()

    def quota(self, key: str) -> int:
        """The account's quota `key` (names.QUOTAS): the stack's override, else the documented default."""
        return self.quotas.get(key, names.LIMITS[key])

    def policy_variables(self) -> dict[str, str]:
        return {"accountId": self.account_id, "region": self.region, **self.variables}


# Pulumi's own rule for a stack name (sdk/go/common/tokens): letters, digits, `-`, `_`, `.`, at
# most 100 characters; `org/stack` and `org/project/stack` name the same stack, whose config file is
# Pulumi.<stack>.yaml after the last segment.
_STACK_NAME = re.compile(r"[A-Za-z0-9_.-]{1,100}")
STACK_NAME_FIX = "a stack name is letters, digits, '-', '_', '.' (or org/project/stack), e.g. --stack dev"


def stack_short_name(stack: str) -> str:
    """The stack part of `stack`, `org/stack` or `org/project/stack` (unchanged when malformed)."""
    return stack.rsplit("/", 1)[-1] if stack_name_problem(stack) is None else stack


def stack_name_problem(stack: str) -> str | None:
    """Why `stack` is not a Pulumi stack name, or None."""
    parts = stack.split("/")
    if len(parts) > 3 or not all(_STACK_NAME.fullmatch(p) and p not in {".", ".."} for p in parts):
        return f"stack name {stack!r} is not valid"
    return None


def stack_file(project_dir: Path, stack: str) -> Path:
    return project_dir / f"Pulumi.{stack_short_name(stack)}.yaml"


def _inside_project(folder: Path) -> bool:
    here = folder.resolve()
    return any((f / "Pulumi.yaml").is_file() for f in (here, *here.parents))


def load_stack_config(
    project_dir: Path, stack: str, diags: Diagnostics, *, partial: bool = False
) -> StackConfig | None:
    """Read `Pulumi.<stack>.yaml`; problems become located diagnostics.

    With `partial`, a config with mistakes is still returned (fallbacks in place of the broken values,
    named in `broken`) so that the spec and policies can be checked in the same run."""
    problem = stack_name_problem(stack)
    if problem is not None:
        diags.error(Location("<command line>"), "CLI002", problem, STACK_NAME_FIX)
        return None
    stack = stack_short_name(stack)
    path = stack_file(project_dir, stack)
    display = _display(path)
    tree = load_file(path, diags, display)
    if tree is None:
        if not path.exists():
            diags.items[-1:] = []
            stacks = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in project_dir.glob("Pulumi.*.yaml"))
            known = f"the project's stacks: {', '.join(stacks)}" if stacks else "the project has no stack yet"
            diags.error(  # the stack is named on the command line (or is the default): no file to point at
                Location("<command line>"),
                "CFG001",
                f"stack {stack!r} not found: no {display} ({known})",
                f"pass --stack {' or --stack '.join(stacks)}" if stacks else f"create {display}",
            )
            if not _inside_project(project_dir):
                diags.items[-1:] = []
                diags.error(
                    Location(display),
                    "CFG001",
                    f"no Pulumi project (Pulumi.yaml) found in {project_dir.resolve()} or above it",
                    "run `ramstack init` to create one, or pass -C DIR to name the project folder",
                )
        return None
    if not isinstance(tree, LMap) or not isinstance(tree.get("config"), LMap):
        diags.error(
            Location(display),
            "CFG002",
            "stack file has no 'config:' mapping",
            "add config: with ramstack keys",
        )
        return None
    values: dict[str, Any] = {}
    locs: dict[str, Location] = {}
    config: LMap = tree["config"]
    for key, value in config.items():
        locs[key] = config.value_loc(key)
        values[key] = value
    _check_ciphertext(config, diags)
    stack_config = config_from_values(
        project_dir, stack, values, diags, locs=locs, file=display, partial=partial
    )
    if stack_config is None:
        return None
    return replace(stack_config, password_users=_password_users(values, locs, display, diags))


# (the keys of one encrypted `ramstack:passwords` object cannot be read offline: None = unknown)


def _password_users(
    values: Mapping[str, Any], locs: Mapping[str, Location], file: str, diags: Diagnostics
) -> frozenset[str] | None:
    """Which users have a console password, checking that each is stored encrypted (`secure:`)."""
    key = f"{NAMESPACE}:passwords"
    passwords = values.get(key)
    if passwords is None:
        return frozenset()
    fix = f"pulumi config set --secret --path '{key}.<user>' <password>"
    if isinstance(passwords, dict) and set(passwords) == {"secure"}:
        return None  # one encrypted object: its keys cannot be read offline
    if not isinstance(passwords, dict):
        diags.error(
            locs.get(key, Location(file)), "CFG005", f"{key} must be an object of user name -> password", fix
        )
        return frozenset()
    for user, value in passwords.items():
        if not (isinstance(value, dict) and set(value) == {"secure"}):
            where = passwords.value_loc(user) if isinstance(passwords, LMap) else Location(file)
            diags.error(
                where,
                "CFG005",
                f"the console password of {user!r} is stored in plain text",
                f"pulumi config set --secret --path '{key}.{user}' <password>",
            )
    return frozenset(str(u) for u in passwords)


def _check_ciphertext(value: Any, diags: Diagnostics) -> None:
    """Every `secure:` value is Pulumi ciphertext. A plain value pasted under `secure:` would be
    committed in clear and fail only at `pulumi up` (which cannot decrypt it); it is reported here
    without ever being echoed."""
    if isinstance(value, LMap):
        for key, item in value.items():
            if key == "secure" and len(value) == 1:
                if not (isinstance(item, str) and is_ciphertext(item)):
                    diags.error(
                        value.value_loc(key),
                        "CFG006",
                        "the value under secure: is not Pulumi ciphertext (a plain value was written there; "
                        "it is not shown here)",
                        "remove it from the file and set it with pulumi config set --secret <key> <value>",
                    )
            else:
                _check_ciphertext(item, diags)
    elif isinstance(value, list):
        for item in value:
            _check_ciphertext(item, diags)


# Pulumi's passphrase secrets manager writes "v1:<base64 nonce>:<base64 AES-256-GCM ciphertext>"
# (12-byte nonce); the service and cloud KMS managers write the ciphertext as one base64 string.
# Both ciphertexts carry at least the 16-byte GCM tag.
_B64 = re.compile(r"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
_GCM_TAG = 16
_GCM_NONCE = 12


def is_ciphertext(text: str) -> bool:
    import base64

    def decoded_length(part: str) -> int:
        if not part or not _B64.fullmatch(part):
            return -1
        return len(base64.b64decode(part, validate=True))

    parts = text.split(":")
    if len(parts) == 3 and parts[0] == "v1":
        return decoded_length(parts[1]) == _GCM_NONCE and decoded_length(parts[2]) >= _GCM_TAG
    return len(parts) == 1 and decoded_length(text) >= _GCM_TAG


def config_from_values(
    project_dir: Path,
    stack: str,
    values: Mapping[str, Any],
    diags: Diagnostics,
    *,
    locs: Mapping[str, Location] | None = None,
    file: str = "<config>",
    partial: bool = False,
) -> StackConfig | None:
    """Build the config from `namespace:key -> value` pairs (stack file, or Pulumi's runtime config).

    None when a value is wrong, unless `partial` (see `load_stack_config`)."""
    locs = locs or {}
    broken: set[str] = set()

    def loc(key: str) -> Location:
        return locs.get(key, Location(file))

    before = len(diags.errors)
    for key in values:
        ns, _, name = key.partition(":")
        if ns == NAMESPACE and name not in KNOWN_KEYS:
            diags.error(loc(key), "CFG004", f"unknown config key {key!r}", did_you_mean(name, KNOWN_KEYS))

    account = values.get(f"{NAMESPACE}:accountId")
    if isinstance(account, int) and not isinstance(account, bool):
        account = str(account)
    if not (isinstance(account, str) and _ACCOUNT_ID.fullmatch(account)):
        broken.add("accountId")
    if account is None:
        diags.error(
            Location(file),
            "CFG002",
            "missing ramstack:accountId",
            'add ramstack:accountId: "<your 16-digit account id>" (pulumi config set ramstack:accountId ...)',
        )
    elif not isinstance(account, str) or not _ACCOUNT_ID.fullmatch(account):
        diags.error(
            loc(f"{NAMESPACE}:accountId"),
            "CFG003",
            f"ramstack:accountId must be digits, got {account!r}",
            "use the numeric account id from the console's Security Settings page",
        )

    # The provider falls back to these variables when alicloud:region is not set; so does ${region}.
    region = (
        values.get("alicloud:region")
        or os.environ.get("ALIBABA_CLOUD_REGION")
        or os.environ.get("ALICLOUD_REGION")
    )
    if region is None:
        diags.error(
            Location(file),
            "CFG002",
            "missing alicloud:region (the provider's region, and ${region} in policies)",
            "pulumi config set alicloud:region cn-hangzhou",
        )
        region = "cn-hangzhou"
        broken.add("region")
    elif not isinstance(region, str) or not re.fullmatch(r"[a-z]{2}(-[a-z0-9]+)+", region):
        broken.add("region")
        diags.error(
            loc("alicloud:region"),
            "CFG003",
            f"alicloud:region must be a region id, got {region!r}",
            "e.g. cn-hangzhou",
        )

    spec = values.get(f"{NAMESPACE}:spec", "access.yaml")
    if not isinstance(spec, str) or not spec:
        diags.error(loc(f"{NAMESPACE}:spec"), "CFG003", "ramstack:spec must be a path", "e.g. access.yaml")
        spec = "access.yaml"
        broken.add("spec")
    elif not _inside(project_dir, project_dir / spec):
        # the spec's folder is where `lock` writes: a spec outside the project would be read from,
        # and the lock file written to, a place nobody reviews with the stack
        diags.error(
            loc(f"{NAMESPACE}:spec"),
            "CFG007",
            f"ramstack:spec {spec!r} is outside the project folder",
            "keep the access spec inside the project (next to Pulumi.yaml), e.g. access.yaml",
        )
        broken.add("spec")

    fail_on = values.get(f"{NAMESPACE}:failOn", "high")
    if fail_on not in FAIL_ON_LEVELS:
        diags.error(
            loc(f"{NAMESPACE}:failOn"),
            "CFG003",
            f"ramstack:failOn must be one of {', '.join(FAIL_ON_LEVELS)}",
            "e.g. high",
        )
        fail_on = "high"

    before_vars = len(diags.errors)
    variables = _string_map(values.get(f"{NAMESPACE}:vars"), f"{NAMESPACE}:vars", loc, diags)
    for name in variables:
        if not _VAR_NAME.fullmatch(name):
            diags.error(
                loc(f"{NAMESPACE}:vars"),
                "CFG003",
                f"variable name {name!r} is not an identifier",
                "use letters, digits and _",
            )
        if name in ("accountId", "region"):
            diags.error(
                loc(f"{NAMESPACE}:vars"),
                "CFG003",
                f"variable {name!r} is set from its own config key",
                "remove it from ramstack:vars",
            )
    if len(diags.errors) > before_vars:
        broken.add("vars")
    levels = _string_map(values.get(f"{NAMESPACE}:grammar"), f"{NAMESPACE}:grammar", loc, diags)
    adjustable = _adjustable_codes()
    for code, level in levels.items():
        if code not in adjustable:
            diags.error(
                loc(f"{NAMESPACE}:grammar"),
                "CFG003",
                f"ramstack:grammar cannot change {code!r}: only the grammar warnings "
                f"({min(adjustable)}-{max(adjustable)}) are adjustable; errors always stay errors",
                did_you_mean(code, adjustable) if code[:3] == "POL" else None,
            )
        elif level not in ("error", "warning", "ignore"):
            diags.error(
                loc(f"{NAMESPACE}:grammar"),
                "CFG003",
                f"grammar level for {code} must be error, warning or ignore, got {level!r}",
                None,
            )
    before_quotas = len(diags.errors)
    quotas = _quotas(values.get(f"{NAMESPACE}:quotas"), loc(f"{NAMESPACE}:quotas"), diags)
    if len(diags.errors) > before_quotas:
        broken.add("quotas")
    if len(diags.errors) > before and not partial:
        return None
    return StackConfig(
        stack=stack,
        project_dir=project_dir,
        account_id=str(account) if "accountId" not in broken else "0" * 16,  # a partial config's fallback
        region=str(region) if "region" not in broken else "cn-hangzhou",
        spec_path=(project_dir / spec),
        fail_on=str(fail_on),
        variables=variables,
        grammar_levels=levels,
        file=file,
        quotas=quotas,
        broken=frozenset(broken),
    )


def _inside(project_dir: Path, path: Path) -> bool:
    """`path` (symlinks followed) is in `project_dir`."""
    try:
        return path.resolve().is_relative_to(project_dir.resolve())
    except (OSError, RuntimeError):  # a symlink loop: not a place to read a spec from
        return False


def _adjustable_codes() -> list[str]:
    """The grammar warnings (POL1nn): points the docs leave unconfirmed, which a stack may make strict
    or silence. Error codes are not adjustable: demoting one would let a broken document through."""
    from ramstack.policy.validate import CODES

    return sorted(code for code in CODES if code.startswith("POL1"))


def _quotas(value: Any, where: Location, diags: Diagnostics) -> dict[str, int]:
    key = f"{NAMESPACE}:quotas"
    if value is None:
        return {}
    if isinstance(value, str):  # Pulumi's runtime config passes objects JSON-encoded
        import json

        with contextlib.suppress(ValueError, RecursionError):
            value = json.loads(value)
    if not isinstance(value, dict):
        diags.error(where, "CFG003", f"{key} must be a mapping of quota names to numbers", None)
        return {}
    out: dict[str, int] = {}
    for name, number in value.items():
        at = value.value_loc(name) if isinstance(value, LMap) else where
        if name not in names.QUOTAS:
            diags.error(
                at,
                "CFG003",
                f"{key}: unknown quota {name!r}; adjustable quotas: {', '.join(names.QUOTAS)}",
                did_you_mean(str(name), names.QUOTAS),
            )
        elif isinstance(number, bool) or not isinstance(number, int) or number < 1:
            diags.error(
                at,
                "CFG003",
                f"{key}.{name} must be a whole number of at least 1, got {number!r}",
                f"the value Alibaba granted your account (default {names.LIMITS[name]})",
            )
        else:
            out[str(name)] = number
    return out


def _string_map(value: Any, key: str, loc: Any, diags: Diagnostics) -> dict[str, str]:
    if value is None:
        return {}
    if isinstance(value, str):  # Pulumi's runtime config passes objects JSON-encoded
        import json

        with contextlib.suppress(ValueError, RecursionError):  # not JSON: reported as not a mapping
            value = json.loads(value)
    if not isinstance(value, dict) or not all(isinstance(v, str | int) for v in value.values()):
        diags.error(loc(key), "CFG003", f"{key} must be a mapping of names to strings", None)
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the folder, or a symlink loop
        return str(path)

"""`ramstack init`'s core: the project templates shipped in ramstack/templates, rendered to file texts.

ramstack/templates/<name>/ holds one template's spec and policies (template.yaml describes it);
ramstack/templates/_project/ holds the files every project gets (Pulumi.yaml, lint.yaml, .gitignore,
the CI workflow) with @NAME@ placeholders (GitHub's own `${{ }}` expressions pass through). Dotted
names are stored without the dot (`gitignore`, `github/`) so that package-data globs include them.
The examples/ folders of this repository are these templates rendered (a test keeps them equal).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

from ramstack.diagnostics import Diagnostic, InvalidInput, Level, Location

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

DEFAULT_TEMPLATE = "empty"
DEFAULT_STACK = "dev"
DEFAULT_REGION = "cn-hangzhou"
# Documentation's example account id: plans and lints like a real one; `init` says to replace it.
PLACEHOLDER_ACCOUNT_ID = "1234567890123456"
COMMON = "_project"
_STORED_AS = {"gitignore": ".gitignore", "github": ".github"}
_ACCOUNT_ID = re.compile(r"[0-9]{5,20}")
_REGION = re.compile(r"[a-z]{2}(-[a-z0-9]+)+")
_STACK = re.compile(r"[A-Za-z0-9_.-]{1,100}")
# The project's program: the one `pulumi up` runs and `ramstack plan` runs offline.
MAIN_PY = '''\
"""Pulumi program: the access spec named by `ramstack:spec` becomes RAM users, groups, roles and policies.

Pulumi runs it with the project folder (where Pulumi.yaml is) as the working directory; paths in the
stack config are relative to it. The program itself ships in the ramstack distribution.
"""

from ramstack.components.program import main

main()
'''


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    seed: str
    summary: str
    variables: tuple[tuple[str, str], ...]  # ramstack:vars written into Pulumi.<stack>.yaml
    # more stacks of the project (another account's side): (name, account id, spec path)
    stacks: tuple[tuple[str, str, str], ...] = ()


@dataclass(frozen=True)
class Options:
    template: str = DEFAULT_TEMPLATE
    stack: str = DEFAULT_STACK
    account_id: str = PLACEHOLDER_ACCOUNT_ID
    region: str = DEFAULT_REGION
    project: str = "access"


def _root() -> Traversable:
    return resources.files("ramstack") / "templates"


def templates() -> list[Template]:
    """Every shipped template, by name."""
    import yaml  # lazy: `ramstack --help` builds this verb's parser without reading templates

    out = []
    for folder in sorted(_root().iterdir(), key=lambda f: f.name):
        if folder.name.startswith("_") or not folder.is_dir():
            continue
        meta = yaml.safe_load(folder.joinpath("template.yaml").read_text(encoding="utf-8"))
        variables = tuple((str(k), str(v)) for k, v in (meta.get("vars") or {}).items())
        stacks = tuple(
            (str(name), str(body["accountId"]), str(body["spec"]))
            for name, body in (meta.get("stacks") or {}).items()
        )
        out.append(Template(folder.name, meta["title"], meta["seed"], meta["summary"], variables, stacks))
    return out


def _error(code: str, message: str, fix: str) -> InvalidInput:
    return InvalidInput([Diagnostic(Location("<command line>"), Level.ERROR, code, message, fix)])


def check_options(options: Options) -> Template:
    """The template the options name; a bad value is INIT001/INIT003/INIT004/INIT005 (exit 2)."""
    problems: list[InvalidInput] = []
    known = {t.name: t for t in templates()}
    if options.template not in known:
        from ramstack.spec.fields import did_you_mean

        hint = did_you_mean(options.template, known) or f"one of {', '.join(known)}"
        problems.append(_error("INIT001", f"unknown template {options.template!r}", hint))
    if not _STACK.fullmatch(options.stack):
        problems.append(
            _error(
                "INIT005",
                f"stack name {options.stack!r} is not a Pulumi stack name",
                "use letters, digits, '-', '_' and '.', e.g. --stack prod",
            )
        )
    if not _ACCOUNT_ID.fullmatch(options.account_id):
        problems.append(
            _error(
                "INIT003",
                f"account id {options.account_id!r} is not digits",
                "use the numeric account id from the console's Security Settings page",
            )
        )
    if not _REGION.fullmatch(options.region):
        problems.append(
            _error("INIT004", f"region {options.region!r} is not a region id", "e.g. --region cn-shanghai")
        )
    taken = {name for name, _, _ in known[options.template].stacks} if options.template in known else set()
    if options.stack in taken:
        problems.append(
            _error(
                "INIT005",
                f"template {options.template} already has a stack named {options.stack!r} (another account)",
                "choose another --stack name",
            )
        )
    if problems:
        raise InvalidInput([d for p in problems for d in p.diagnostics])
    return known[options.template]


def project_name(folder_name: str) -> str:
    """A Pulumi project name from a folder name (letters, digits, '-', '_', '.')."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", folder_name).strip("-.")
    return name or "access"


def requirements() -> str:
    """requirements.txt: ramstack with its Pulumi extra, and the extra's pins as the installed
    distribution declares them (its metadata), so the versions are written down once, in pyproject."""
    from importlib.metadata import PackageNotFoundError, requires, version

    try:
        ramstack_version = version("ramstack")
        declared = requires("ramstack") or []
    except PackageNotFoundError:
        raise _error(
            "INIT006",
            "ramstack is not installed as a distribution, so its dependency pins are unknown",
            "pip install ramstack (or `pip install -e .` in a checkout)",
        ) from None
    pins = sorted(  # pulumi first, then its providers
        (req.split(";")[0].strip() for req in declared if re.search(r"""extra\s*==\s*["']pulumi["']""", req)),
        key=lambda pin: pin.split("==")[0].split("-"),
    )
    lines = [
        "# Pulumi's Python runtime installs this into .venv (Pulumi.yaml: runtime.options.virtualenv).",
        f"ramstack[pulumi]=={ramstack_version}",
        *pins,
    ]
    return "\n".join(lines) + "\n"


def _files(folder: Traversable, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for entry in sorted(folder.iterdir(), key=lambda f: f.name):
        if entry.name in ("template.yaml", "__pycache__"):
            continue
        name = prefix + _STORED_AS.get(entry.name, entry.name)
        if entry.is_dir():
            out.update(_files(entry, f"{name}/"))
        else:
            out[name] = entry.read_text(encoding="utf-8")
    return out


def _stack_config(region: str, account_id: str, spec: str, variables: tuple[tuple[str, str], ...]) -> str:
    lines = [
        "config:",
        f"  alicloud:region: {region}",
        f'  ramstack:accountId: "{account_id}"',
        f"  ramstack:spec: {spec}",
        "  ramstack:failOn: high",
    ]
    if variables:
        lines.append("  ramstack:vars:")
        lines += [f"    {name}: {json.dumps(value)}" for name, value in variables]
    return "\n".join(lines) + "\n"


def render(options: Options) -> dict[str, str]:
    """Relative path -> text of every file of the new project (raises InvalidInput on bad options)."""
    from ramstack.schema import schema_texts

    template = check_options(options)
    reqs = requirements()
    # the CLI the workflow installs matches the SDK ramstack pins (Pulumi releases both together)
    pulumi_version = next(line.split("==")[1] for line in reqs.splitlines() if line.startswith("pulumi=="))
    values = {
        "@PROJECT@": options.project,
        "@TITLE@": template.title,
        "@STACK@": options.stack,
        "@ACCOUNT_ID@": options.account_id,
        "@REGION@": options.region,
        "@PULUMI_VERSION@": pulumi_version,
        "@RAMSTACK_VERSION@": reqs.splitlines()[1].split("==")[1],
    }
    files = _files(_root() / COMMON)
    files["policies/lint.yaml"] = files.pop("lint.yaml")
    files.update(_files(_root() / template.name))  # a template's own lint.yaml wins
    for path, text in files.items():
        for key, value in values.items():
            text = text.replace(key, value)
        files[path] = text
    files[f"Pulumi.{options.stack}.yaml"] = _stack_config(
        options.region, options.account_id, "access.yaml", template.variables
    )
    for name, account_id, spec in template.stacks:
        files[f"Pulumi.{name}.yaml"] = _stack_config(options.region, account_id, spec, ())
    files["__main__.py"] = MAIN_PY
    files["requirements.txt"] = reqs
    for name, text in schema_texts().items():
        files[f"schema/{name}"] = text
    return dict(sorted(files.items()))

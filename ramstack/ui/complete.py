"""Shell completion through argcomplete: the shell calls `ramstack` with `_ARGCOMPLETE` set and the
command line in `COMP_LINE`; we build the parser of the verb being typed only (fast), attach the
completers that read the project (stack names, principals of the spec, rule ids, catalog names) and
let argcomplete answer and exit.

Completers never raise and never print: a broken or missing project completes nothing rather than
spilling diagnostics into the user's prompt.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

Completer = Callable[..., Iterable[str]]


def _words(line: str) -> list[str]:
    try:
        return shlex.split(line)
    except ValueError:  # an open quote while typing
        return line.split()


def verb_under_cursor(comp_line: str, comp_point: int, verbs: Iterable[str]) -> str | None:
    """The verb already typed before the cursor (`ramstack -q plan --st|` -> plan), else None."""
    from ramstack.cli import leading_options

    known = set(verbs)
    takes_value = leading_options()
    words = _words(comp_line[:comp_point])[1:]
    complete_words = words if comp_line[:comp_point].endswith(" ") else words[:-1]
    skip = False
    for word in complete_words:
        if skip:  # the value of an option that takes one (-C DIR, --color WHEN)
            skip = False
            continue
        if takes_value.get(word):
            skip = True
            continue
        if word in known:
            return word
    return None


def _cwd_after_verb_in_line(line: str, point: int, verb: str) -> tuple[str, int]:
    """git-style `ramstack -C DIR VERB ...` and `ramstack --stack NAME VERB ...` are parsed as
    `ramstack VERB -C DIR ...` (the verbs own these options, as cli.main rewrites them); the cursor
    keeps its distance from the end of the line."""
    from ramstack.cli import _leading_cwd

    match = re.match(r"\s*(\S+)((?:\s+\S+)*?\s+)" + re.escape(verb) + r"(?=\s)", line)
    if match is None or point < match.end():
        return line, point
    before = _words(match.group(2))
    reordered = _leading_cwd([*before, verb])
    if reordered == [*before, verb]:
        return line, point
    head = " ".join([match.group(1), *(shlex.quote(w) for w in reordered)])
    moved = head + line[match.end() :]
    return moved, len(moved) - (len(line) - point)


def cwd_after_verb(parsed_args: argparse.Namespace) -> Path:
    """The project folder the command line names (-C DIR), as the verb itself would find it."""
    from ramstack.commands.common import find_project

    start = getattr(parsed_args, "cwd", None) or Path(".")
    stack = getattr(parsed_args, "stack", None) or os.environ.get("PULUMI_STACK", "dev")
    return find_project(Path(start), str(stack))


def stack_names(folder: Path) -> list[str]:
    return sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in folder.glob("Pulumi.*.yaml"))


def complete_stacks(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
    try:
        return [s for s in stack_names(cwd_after_verb(parsed_args)) if s.startswith(prefix)]
    except Exception:  # completion must never fail loudly
        return []


def _spec_principals(parsed_args: argparse.Namespace, kinds: tuple[str, ...]) -> list[str]:
    from ramstack.diagnostics import Diagnostics
    from ramstack.spec.config import load_stack_config
    from ramstack.spec.inputs import load_with_config

    folder = cwd_after_verb(parsed_args)
    stack = getattr(parsed_args, "stack", None)
    if not (folder / f"Pulumi.{stack}.yaml").is_file():
        stacks = stack_names(folder)
        if len(stacks) != 1:  # ambiguous: the user has to say which stack first
            return []
        stack = stacks[0]
    diags = Diagnostics()
    config = load_stack_config(folder, str(stack), diags, partial=True)
    if config is None:
        return []
    spec = load_with_config(config, diags, config_failed=False)
    if spec is None:
        return []
    names: list[str] = []
    if "user" in kinds:
        names += [f"user/{u.name}" for u in spec.users]
    if "group" in kinds:
        names += [f"group/{g.name}" for g in spec.groups]
    if "role" in kinds:
        names += [f"role/{r.name}" for r in spec.roles]
    return names


def principal_completer(*kinds: str) -> Completer:
    def complete(prefix: str, parsed_args: argparse.Namespace, **_: Any) -> list[str]:
        try:
            return [p for p in _spec_principals(parsed_args, kinds) if p.startswith(prefix)]
        except Exception:  # completion must never fail loudly
            return []

    return complete


def complete_rules(prefix: str, **_: Any) -> list[str]:
    from ramstack.lint.registry import RULES

    return [rule for rule in sorted(RULES) if rule.upper().startswith(prefix.upper())]


def complete_catalog(prefix: str, **_: Any) -> list[str]:
    """System policy names, service codes, and a service's actions once `service:` is typed."""
    from ramstack.evaluate import actions_catalog
    from ramstack.spec.catalog import system_policy_names

    if ":" in prefix:
        service = prefix.split(":", 1)[0].lower()
        return [a for a in actions_catalog.known_actions(service) if a.startswith(prefix)]
    names = sorted(system_policy_names()) + [f"{s}:" for s in actions_catalog.services()]
    return [n for n in names if n.startswith(prefix)]


# option dest (or positional dest) -> completer, per verb; "*" applies to every verb
_PRINCIPALS = principal_completer("user", "group", "role")
_COMPLETERS: dict[str, dict[str, Completer]] = {
    "*": {"stack": complete_stacks},
    "simulate": {"principal": _PRINCIPALS, "assume": principal_completer("role")},
    "graph": {"focus": _PRINCIPALS},
    "assume": {"role": principal_completer("role")},
    "activity": {"principal": principal_completer("user", "role")},
    "rules": {"rule": complete_rules},
    "catalog": {"name": complete_catalog},
}


def _attach(parser: argparse.ArgumentParser, verb: str | None) -> None:
    table = {**_COMPLETERS["*"], **(_COMPLETERS.get(verb or "", {}))}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                _attach(sub, verb)
            continue
        completer = table.get(action.dest)
        if completer is not None:
            action.completer = completer  # type: ignore[attr-defined]


ParserFactory = Callable[[Iterable[str] | None], argparse.ArgumentParser]


def run(build_parser: ParserFactory, verbs: Iterable[str]) -> None:
    """Answer the shell and exit (argcomplete exits the process itself)."""
    import argcomplete

    line = os.environ.get("COMP_LINE", "")
    point = int(os.environ.get("COMP_POINT", len(line)) or len(line))
    verb = verb_under_cursor(line, point, verbs)
    if verb is not None:
        line, point = _cwd_after_verb_in_line(line, point, verb)
        os.environ["COMP_LINE"], os.environ["COMP_POINT"] = line, str(point)
    parser = build_parser([verb] if verb is not None else [])
    if verb is None:  # `ramstack --stack <TAB>` / `-C <TAB>`: options cli.main moves after the verb
        parser.add_argument("--stack", "-s")
        parser.add_argument("-C", "--cwd", type=Path)
    _attach(parser, verb)
    argcomplete.autocomplete(parser, always_complete_options=False)

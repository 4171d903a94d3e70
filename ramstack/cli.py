"""`ramstack <verb>`: a thin argparse layer; each verb lives in ramstack/commands/<verb>.py.

Exit codes shared by every verb: 0 success/clean, 1 findings or changes the user asked to fail on,
2 invalid input or usage. User mistakes print located diagnostics, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib
import os
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from typing import NoReturn

from ramstack.diagnostics import InvalidInput
from ramstack.heap import collector_off, long_lived_heap
from ramstack.ui import colour, output, progress
from ramstack.ui.suggest import did_you_mean

# verb -> (module under ramstack.commands, one-line help). Modules are imported only when their verb
# runs, so `ramstack --help` and the core verbs never pay for heavy imports (pulumi).
VERBS: dict[str, tuple[str, str]] = {
    "init": ("init", "scaffold a new access project from a template (--list names them)"),
    "check-policy": ("check_policy", "validate standalone policy documents (.json/.yaml/.yml)"),
    "validate": ("validate", "validate the stack config, the access spec and every policy it references"),
    "schema": ("schema", "print the JSON Schema of the access spec and of policy files"),
    "plan": ("plan", "run the stack program offline against the built-in fake cloud; effective permissions"),
    "lock": ("lock", "write (or --check) permissions.<stack>.lock.json: the stack's effective permissions"),
    "diff": ("diff", "permission changes against the lock file or a git ref (text, markdown, json)"),
    "graph": ("graph", "the access graph: who can become whom and reach what (mermaid, dot, svg, html)"),
    "simulate": ("simulate", "evaluate requests offline: a principal (with assume/session) or policy files"),
    "lint": ("lint", "least-privilege lint of the stack (or of --policy files), with a --fail-on gate"),
    "activity": ("activity", "ActionTrail events: unused access, policies from use, replay against the spec"),
    "unused": ("unused", "access held but not used in the window (ActionTrail events), as lint findings"),
    "generate-policy": (
        "generate_policy",
        "a least-privilege policy (policies/<name>.yaml) from a principal's recorded calls",
    ),
    "assume": ("assume", "AssumeRole with the official STS client; prints the credentials (env or json)"),
    "verify": ("verify", "after a deploy: each user's key assumes exactly the roles the spec allows (live)"),
    "serve": ("serve", "a local RAM/STS/IMS endpoint over the fake cloud, provisioned with the stack"),
    "import": (
        "import_account",
        "read a live account and write it as a spec, policy files and a pulumi import file",
    ),
    "drift": ("drift", "compare the live account with the spec: changes made outside the stack (exit 1)"),
    "rules": ("rules", "list every lint rule (--format markdown: README table), or explain one: rules LP204"),
    "catalog": (
        "catalog",
        "what the bundled catalogs hold (sources, dates, counts), or one policy/action/service",
    ),
    "completion": ("completion", "print the shell code for TAB completion (bash, zsh, fish)"),
}

# Verbs whose work is bounded by the files they read (no stream, no server): run without the cycle
# collector (ramstack.heap.collector_off). Quick verbs (a few files or one call, next to no heap) and
# plan (its command turns the collector off itself, also when called from Python) run as they are;
# every other verb gets the long-lived-heap thresholds.
_BOUNDED_VERBS = frozenset({"validate", "lint", "lock", "diff", "check-policy"})
# Verbs whose process ends with a large heap built (the bounded ones, and plan's stack run): as their
# own process they freeze it before the interpreter exits, whose shutdown would walk all of it
# looking for cycles (1.7 s of a 1,000-user plan; 0.25 s of a 5,000-user validate).
_FROZEN_AT_EXIT = _BOUNDED_VERBS | {"plan"}
_OWN_HEAP_VERBS = frozenset({"init", "schema", "rules", "catalog", "completion", "assume", "plan"})

_INVALID_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)$")


class _Parser(argparse.ArgumentParser):
    # The command line being parsed (main sets it on every parser of the tree): a "required option
    # missing" error names the mistyped option the user gave instead (`ramstack import --ot dir`:
    # argparse checks required options before leftovers).
    argv: Sequence[str] = ()

    def error(self, message: str) -> NoReturn:  # usage errors exit 2 with a one-line hint
        if message.startswith("the following arguments are required"):
            message += self.typo_hints(self.argv)
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {_with_suggestion(message)}\n")
        raise SystemExit(2)

    def typo_hints(self, argv: Sequence[str]) -> str:
        """` (did you mean '--out'?)` for each `--option` in argv this parser does not know."""
        options = [o for o in self._option_string_actions if o.startswith("--")]
        given = [a.split("=", 1)[0] for a in argv if a.startswith("--")]
        unknown = [g for g in given if not any(o.startswith(g) for o in options)]  # argparse abbreviates
        return "".join(did_you_mean(u, options) for u in unknown)

    def unrecognized(self, extras: list[str]) -> NoReturn:
        """`unrecognized arguments: --formt (did you mean '--format'?)`, naming this verb's options."""
        self.error(f"unrecognized arguments: {' '.join(extras)}{self.typo_hints(extras)}")


def _with_suggestion(message: str) -> str:
    match = _INVALID_CHOICE.search(message)
    if match is None:
        return message
    choices = re.findall(r"'([^']*)'", match.group(2))
    return message + did_you_mean(match.group(1), choices)


def add_output_arguments(parser: argparse.ArgumentParser, *, default: object) -> None:
    """Options every verb takes, before or after the verb (`ramstack -q lint` = `ramstack lint -q`)."""
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        default=default,
        help="no summary line, notes or progress on stderr (results, errors and warnings still appear)",
    )
    parser.add_argument(
        "--color",
        "--colour",
        dest="color",
        choices=colour.MODES,
        default="auto" if default is False else default,
        help="colour on a terminal (auto: unless NO_COLOR is set or the output is not a terminal)",
    )
    parser.add_argument(
        "--progress",
        dest="progress",
        action="store_const",
        const="always",
        default="auto" if default is False else default,
        help="show progress on stderr even when it is not a terminal",
    )
    parser.add_argument(
        "--no-progress",
        dest="progress",
        action="store_const",
        const="never",
        default=argparse.SUPPRESS,
        help="never show progress (by default it shows on a terminal only)",
    )


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("ramstack")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


class _VersionAction(argparse.Action):
    """`--version`, resolved only when asked (importlib.metadata costs start-up time)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object, **kwargs: object) -> None:
        sys.stdout.write(f"ramstack {_version()}\n")
        parser.exit()


def build_parser(verbs: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The full parser, or with `verbs` only those verbs' arguments (the others are listed with their
    help line but their modules are not imported: `ramstack --help` and one verb start fast)."""
    wanted = set(VERBS) if verbs is None else set(verbs)
    parser = _global_parser()
    sub = parser.add_subparsers(dest="verb", metavar="VERB", parser_class=_Parser)
    for verb, (module, help_text) in VERBS.items():
        command = sub.add_parser(verb, help=help_text, description=help_text)
        if verb in wanted:
            importlib.import_module(f"ramstack.commands.{module}").add_arguments(command)
        # SUPPRESS: a verb's own default must not undo the same option given before the verb
        add_output_arguments(command, default=argparse.SUPPRESS)
    return parser


def _global_parser() -> _Parser:
    """The top-level parser without its verbs: --help, --version and the output options."""
    parser = _Parser(prog="ramstack", description="Infrastructure-as-code for Alibaba Cloud RAM and STS.")
    parser.add_argument("--version", action=_VersionAction)
    add_output_arguments(parser, default=False)
    return parser


def _options(parser: argparse.ArgumentParser) -> dict[str, bool]:
    """Each option string of `parser` -> whether it takes a value."""
    return {o: action.nargs != 0 for action in parser._actions for o in action.option_strings}


def _project_options() -> dict[str, bool]:
    """The options every project verb owns (--stack, -C), from the function that adds them."""
    from ramstack.commands.common import add_stack_arguments

    probe = argparse.ArgumentParser(add_help=False)
    add_stack_arguments(probe)
    return _options(probe)


def leading_options() -> dict[str, bool]:
    """Options that may come before the verb (the global ones, and the project ones cli moves after
    it) -> whether each takes a value."""
    return {**_options(_global_parser()), **_project_options()}


def _span(argv: Sequence[str], i: int, options: dict[str, bool]) -> int:
    """How many arguments the option at argv[i] takes up (`--stack dev` 2; `--stack=dev`, `-Cdir`,
    `-q` 1), or 0 when it is not one of `options` (or its value is missing)."""
    arg = argv[i]
    long = arg.startswith("--")
    name = arg.partition("=")[0] if long else arg[:2]
    takes = options.get(name)
    if takes is None or not arg.startswith("-"):
        return 0
    if len(arg) > len(name):  # the value is attached: --stack=dev, -Cdir
        return 1 if takes else 0
    if takes:
        return 2 if i + 1 < len(argv) else 0
    return 1


def _chosen_verb(argv: Sequence[str], options: dict[str, bool]) -> str | None:
    i = 0
    while i < len(argv):
        if not argv[i].startswith("-"):
            return argv[i]
        i += _span(argv, i, options) or 1
    return None


def _leading_cwd(argv: list[str], global_options: dict[str, bool] | None = None) -> list[str]:
    """git-style `ramstack -C DIR VERB ...` is `ramstack VERB -C DIR ...` (the verbs own -C), and so
    is `ramstack --stack NAME VERB ...` (before, argparse took NAME for the verb: "invalid choice:
    'dev'"); global options may sit among them. Which options are which comes from the parsers."""
    global_options = _options(_global_parser()) if global_options is None else global_options
    project: dict[str, bool] | None = None  # read only when an option is not a global one
    kept: list[str] = []
    moved: list[str] = []
    i = 0
    while i < len(argv):
        if n := _span(argv, i, global_options):
            kept += argv[i : i + n]
        elif argv[i].startswith("-"):
            project = _project_options() if project is None else project
            if not (n := _span(argv, i, project)):
                break
            moved += argv[i : i + n]
        else:
            break
        i += n
    if moved and i < len(argv) and not argv[i].startswith("-"):
        return [*kept, argv[i], *moved, *argv[i + 1 :]]
    return argv


def _all_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    if parser._subparsers is not None:
        for action in parser._subparsers._group_actions:
            if isinstance(action, argparse._SubParsersAction):
                for child in action.choices.values():
                    yield from _all_parsers(child)


def _chosen_parser(parser: argparse.ArgumentParser, args: argparse.Namespace) -> _Parser:
    """The parser of the (sub)verb the command line chose (`activity unused`'s for `ramstack activity
    unused --evnts`), so an unknown option is compared with the options that parser knows."""
    found = parser
    while found._subparsers is not None:
        chosen = None
        for action in found._subparsers._group_actions:
            if isinstance(action, argparse._SubParsersAction):
                name = getattr(args, action.dest or "", None)
                chosen = action.choices.get(name) if isinstance(name, str) else None
        if chosen is None:
            break
        found = chosen
    assert isinstance(found, _Parser)
    return found


def main(argv: Sequence[str] | None = None) -> int:
    argv_given = argv
    if argv is None and "_ARGCOMPLETE" in os.environ:  # a shell's TAB (argcomplete's protocol)
        from ramstack.ui import complete

        complete.run(build_parser, VERBS)  # answers and exits
    global_options = _options(_global_parser())
    argv = _leading_cwd(sys.argv[1:] if argv is None else list(argv), global_options)
    parser = build_parser([v for v in [_chosen_verb(argv, global_options)] if v in VERBS])
    for each in _all_parsers(parser):
        if isinstance(each, _Parser):
            each.argv = argv
    args, extras = parser.parse_known_args(argv)
    if extras:
        if args.verb is None:
            parser.error(f"unrecognized arguments: {' '.join(extras)}")
        _chosen_parser(parser, args).unrecognized(extras)
    if args.verb is None:
        parser.print_help()
        return 2
    output.configure(quiet=args.quiet)
    colour.configure(args.color)
    progress.configure(args.progress, quiet=args.quiet)
    module = importlib.import_module(f"ramstack.commands.{VERBS[args.verb][0]}")
    # As its own process (not called from Python), keep the collector off the modules and the
    # long-lived model: a 5,000-user stack spent a third of lock and diff collecting (issue 15).
    heap: contextlib.AbstractContextManager[None] = contextlib.nullcontext()
    if argv_given is None and args.verb not in _OWN_HEAP_VERBS:
        heap = collector_off() if args.verb in _BOUNDED_VERBS else long_lived_heap()
    try:
        with heap:
            return int(module.run(args))
    except InvalidInput as exc:
        output.diagnostics(exc.diagnostics)
        return 2
    except BrokenPipeError:  # `ramstack ... | head`
        return 0
    finally:
        if argv_given is None and args.verb in _FROZEN_AT_EXIT:
            # The process ends with this verb, and what it built (the parsed files, the model, the
            # stack's run) goes with it: frozen, so that shutdown does not walk it (collector_off
            # has already settled it into the oldest generation, which shutdown would collect).
            gc.freeze()

"""`ramstack completion bash|zsh|fish`: the shell code that makes TAB complete verbs, flags, stack
names, the spec's principals, rule ids and catalog names (docs/commands.md says how to install it)."""

from __future__ import annotations

import argparse

from ramstack.ui import output

SHELLS = ("bash", "zsh", "fish")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("shell", choices=SHELLS, help="the shell to print the completion code for")


def run(args: argparse.Namespace) -> int:
    from argcomplete.shell_integration import shellcode  # only this verb and a completing shell pay

    output.result(shellcode(["ramstack"], shell=args.shell))
    output.summary(
        f"Completion: {args.shell} code for ramstack printed (docs/commands.md: how to install it)."
    )
    return 0

"""`ramstack drift [--stack NAME] [--endpoint HOST:PORT] [--region R] [--format text|json|markdown]`:
compare the live account with the stack's spec: identities, memberships and attachments outside the stack or
missing, changed documents (parsed and canonical) and attributes, and what that does to effective
permissions. Exit 1 on drift."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from ramstack.commands.common import add_format_argument, add_stack_arguments, load_stack, print_diagnostics
from ramstack.diagnostics import Diagnostic, Diagnostics, InvalidInput, Level, Location
from ramstack.live.options import add_endpoint_arguments, target_from
from ramstack.ui import output, progress

if TYPE_CHECKING:
    from ramstack.account.transport import Transport
    from ramstack.spec.model import Spec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    add_endpoint_arguments(parser)
    add_format_argument(parser, ("text", "json", "markdown"))


def run(args: argparse.Namespace) -> int:
    from ramstack.account.transport import TransportError
    from ramstack.commands.live import open_transport, read_failure

    diags = Diagnostics()
    config, spec = load_stack(args, diags)
    if config is None or spec is None:
        print_diagnostics(diags, sys.stderr)
        return 2
    transport = open_transport(target_from(args, config))
    try:
        caller = str(transport.call("sts", "GetCallerIdentity", {}).get("AccountId") or "")
        if caller != spec.account_id:
            # Another account's identities would all read as drift: refuse instead.
            raise InvalidInput(
                [
                    Diagnostic(
                        Location(config.file or f"Pulumi.{args.stack}.yaml"),
                        Level.ERROR,
                        "DRIFT001",
                        f"the credentials are for account {caller or '(unknown)'}, the stack's "
                        f"ramstack:accountId is {spec.account_id}",
                        "use credentials of the stack's account (ALIBABA_CLOUD_ACCESS_KEY_ID or a profile)",
                    )
                ]
            )
        return report(transport, spec, args.stack, args.format)
    except TransportError as exc:
        raise read_failure(exc) from None


def report(transport: Transport, spec: Spec, stack: str, fmt: str) -> int:
    """Read the account, print the drift report in `fmt`; 1 on drift."""
    from ramstack.account import drift_json, drift_markdown, drift_text
    from ramstack.account.compare import drift
    from ramstack.account.reader import read_account
    from ramstack.commands.live import counted

    with progress.task("drift: reading the account", unit="API calls"):
        live = read_account(counted(transport), spec.account_id)
    found = drift(spec, live, stack)
    renderers = {"text": drift_text.render, "json": drift_json.render, "markdown": drift_markdown.render}
    from ramstack.ui.layout import fold_text
    from ramstack.ui.summary import drift_line

    text = renderers[fmt](found)
    output.result(fold_text(text) if fmt == "text" else text, "diff" if fmt == "text" else None)
    output.summary(drift_line(item.kind for item in found.items))
    return 0 if found.empty else 1

"""`ramstack verify [--stack NAME] --outputs FILE [--endpoint HOST:PORT] [--format text|json|markdown]`:
the last step of a deploy job. FILE is `pulumi stack output --json --show-secrets`; each user's key
must authenticate, assume exactly the roles the spec lets it assume (the credentials being that
role's), and be refused by every other role of the stack. No secret is printed.

Exit 0 every check passed; 1 a check failed; 2 invalid input (stack, outputs file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ramstack.commands.common import add_format_argument, add_stack_arguments, load_stack, print_diagnostics
from ramstack.diagnostics import Diagnostics
from ramstack.live.options import add_endpoint_arguments, target_from
from ramstack.live.sdk import LiveError
from ramstack.ui import output


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument(
        "--outputs",
        type=Path,
        required=True,
        metavar="FILE",
        help="the stack's outputs: pulumi stack output --json --show-secrets > FILE",
    )
    add_format_argument(parser, ("text", "json", "markdown"))
    add_endpoint_arguments(parser)


def run(args: argparse.Namespace) -> int:
    from ramstack.live.report import RENDERERS
    from ramstack.live.verify import read_outputs, run_checks

    diags = Diagnostics()
    config, spec = load_stack(args, diags)
    outputs = read_outputs(args.outputs, diags) if spec is not None else None
    print_diagnostics(diags, sys.stderr)
    if config is None or spec is None or outputs is None:
        return 2
    try:
        checks = run_checks(spec, outputs, target_from(args, config))
    except LiveError as error:  # the SDKs are not installed
        output.error(error.render())
        return 2
    from ramstack.ui.layout import fold_text
    from ramstack.ui.summary import verify_line

    text = RENDERERS[args.format](args.stack, checks)
    output.result(
        fold_text(text) if args.format == "text" else text, "verify" if args.format == "text" else None
    )
    output.summary(verify_line(c.result for c in checks))
    return 1 if any(c.result == "fail" for c in checks) else 0

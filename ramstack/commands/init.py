"""`ramstack init [--template NAME] [--stack NAME] [--account-id ID] [--region REGION] [--force] DIR`
and `ramstack init --list`: scaffold a new access project from a template shipped in the package.

Exit 0 when the project is written, 2 on a bad option or a non-empty DIR without --force (INIT002).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ramstack.diagnostics import Diagnostic, InvalidInput, Level, Location
from ramstack.fileio import make_folder, write_text_atomic
from ramstack.scaffold import (
    DEFAULT_REGION,
    DEFAULT_STACK,
    DEFAULT_TEMPLATE,
    PLACEHOLDER_ACCOUNT_ID,
    Options,
    project_name,
    render,
    templates,
)
from ramstack.ui import output
from ramstack.ui.layout import wrap
from ramstack.ui.summary import files_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="folder of the new project")
    parser.add_argument(
        "--template",
        "-t",
        default=DEFAULT_TEMPLATE,
        help=f"template (default: {DEFAULT_TEMPLATE}; see --list)",
    )
    parser.add_argument("--list", action="store_true", help="list the templates and exit")
    parser.add_argument(
        "--stack",
        "-s",
        default=DEFAULT_STACK,
        help=f"first stack: Pulumi.<stack>.yaml (default: {DEFAULT_STACK})",
    )
    parser.add_argument(
        "--account-id",
        default=None,
        metavar="ID",
        help=f"Alibaba Cloud account id (default: the placeholder {PLACEHOLDER_ACCOUNT_ID})",
    )
    parser.add_argument(
        "--region", default=DEFAULT_REGION, help=f"alicloud:region (default: {DEFAULT_REGION})"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a non-empty DIR (files of the same name are replaced)",
    )


def _usage(code: str, message: str, fix: str) -> InvalidInput:
    return InvalidInput([Diagnostic(Location("<command line>"), Level.ERROR, code, message, fix)])


def run(args: argparse.Namespace) -> int:
    if args.list:
        shipped = templates()
        width = max(len(t.name) for t in shipped)
        for t in shipped:
            output.result(
                "\n".join(
                    wrap(f"{t.title}: {t.summary}", indent=f"{t.name:<{width}}  ", hanging=" " * (width + 2))
                )
                + "\n"
            )
        output.summary(f"Init: {len(shipped)} templates. Use one: ramstack init --template NAME DIR")
        return 0
    if args.dir is None:
        raise _usage("INIT007", "no project folder given", "ramstack init [--template NAME] DIR")
    folder: Path = args.dir
    if folder.exists() and not folder.is_dir():
        raise _usage("INIT002", f"{folder} exists and is not a folder", "choose a new folder name")
    options = Options(
        template=args.template,
        stack=args.stack,
        account_id=args.account_id or PLACEHOLDER_ACCOUNT_ID,
        region=args.region,
        project=project_name(folder.resolve().name),
    )
    files = render(options)  # validates every option before anything is written
    if folder.is_dir() and any(folder.iterdir()) and not args.force:
        raise _usage(
            "INIT002",
            f"{folder} is not empty",
            "choose an empty or new folder, or pass --force to write the template's files into it",
        )
    for relative, text in files.items():
        path = folder / relative
        make_folder(path.parent)
        write_text_atomic(path, text)
    # the result is the files; what was written and what to do next are about the run (stderr)
    output.summary(
        f"created {folder} from template {options.template} (stack {options.stack}, {options.region}):"
    )
    for relative in files:
        output.note(f"  {relative}")
    if args.account_id is None:
        sys.stderr.write(
            f"note: ramstack:accountId is the placeholder {PLACEHOLDER_ACCOUNT_ID}; set yours in "
            f"Pulumi.{options.stack}.yaml (or pass --account-id) before pulumi up\n"
        )
    stack = options.stack
    output.note(f"next: cd {folder} && ramstack validate --stack {stack} && ramstack plan --stack {stack}")
    output.summary(files_line("Init", len(files), str(folder)))
    return 0

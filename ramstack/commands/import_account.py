"""`ramstack import [--endpoint HOST:PORT] --out DIR [--stack NAME] [--region REGION] [--force]`:
read a live account and write it as a ramstack project: access.yaml, policies/<name>.json, raw trust
documents the spec cannot express (trust/<role>.json), Pulumi.<stack>.yaml, Pulumi.yaml and
__main__.py when absent, and import.json for `pulumi import --file`, whose entries are the
resources the stack program registers for the written spec (same names and parents), so the first
`pulumi up` adopts the account instead of re-creating it."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ramstack.commands.common import add_project_argument, print_diagnostics, stack_name_error
from ramstack.diagnostics import Diagnostic, Diagnostics, InvalidInput, Level, Location
from ramstack.live.options import add_endpoint_arguments, target_from
from ramstack.spec.config import stack_short_name
from ramstack.ui import output, progress

if TYPE_CHECKING:
    from ramstack.account.model import LiveAccount
    from ramstack.account.transport import Transport

IMPORT_FILE = "import.json"
PROJECT_FILE = """name: ramstack-imported
description: Access of account {account} imported by ramstack import.
runtime: python
"""
PROGRAM_FILE = '''"""Pulumi program: the spec named by `ramstack:spec` becomes RAM users, groups and roles."""

from ramstack.components.program import main

main()
'''


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_endpoint_arguments(parser)
    parser.add_argument(
        "--out", "-o", type=Path, required=True, metavar="DIR", help="project folder to write"
    )
    parser.add_argument(
        "--stack",
        "-s",
        default=os.environ.get("PULUMI_STACK", "dev"),
        help="stack whose Pulumi.<stack>.yaml to write (default: $PULUMI_STACK or dev)",
    )
    add_project_argument(parser, help="a relative --out is taken from this folder (default: .)")
    parser.add_argument("--force", action="store_true", help="overwrite files that already exist in DIR")


def run(args: argparse.Namespace) -> int:
    from ramstack.account.transport import TransportError
    from ramstack.commands.live import open_transport, read_failure

    bad_stack = stack_name_error(args.stack)  # the stack names a file to write: never a path
    if bad_stack is not None:
        raise InvalidInput([bad_stack])
    target = target_from(args, None)  # the region also becomes the stack's alicloud:region
    transport = open_transport(target)
    try:
        return import_account(
            transport, args.cwd / args.out, stack_short_name(args.stack), target.region, force=args.force
        )
    except TransportError as exc:
        raise read_failure(exc) from None


def import_account(
    transport: Transport,
    out: Path,
    stack: str,
    region: str,
    *,
    force: bool = False,
    account_id: str | None = None,
) -> int:
    """Read, write the project, check it; 0 when the written spec validates and plans to the live
    account's effective permissions, 2 otherwise (the files stay, with what to fix)."""
    from ramstack.account.export import export_account
    from ramstack.account.reader import read_account
    from ramstack.commands.live import counted
    from ramstack.fileio import make_folder, write_text_atomic

    with progress.task("import: reading the account", unit="API calls"):
        account = read_account(counted(transport), account_id)
    export = export_account(account, stack, region)
    files = dict(export.files)
    for name, text in (
        ("Pulumi.yaml", PROJECT_FILE.format(account=account.account_id)),
        ("__main__.py", PROGRAM_FILE),
    ):
        if not (out / name).exists():
            files[name] = text
    existing = sorted(n for n in files if (out / n).exists() and n not in ("Pulumi.yaml", "__main__.py"))
    existing += [IMPORT_FILE] if (out / IMPORT_FILE).exists() else []
    if existing and not force:
        raise InvalidInput(
            [
                Diagnostic(
                    Location(str(out / existing[0])),
                    Level.ERROR,
                    "IMP001",
                    f"{len(existing)} file(s) to write already exist in {out}: {', '.join(existing)}",
                    "import into an empty folder, or pass --force to overwrite them",
                )
            ]
        )
    for name, text in sorted(files.items()):
        make_folder((out / name).parent)
        write_text_atomic(out / name, text)
    code = _check_and_write_import_file(out, stack, account, export.notes)
    from ramstack.ui.summary import plural

    written = len(files) + (out / IMPORT_FILE).is_file()
    verdict = "the spec matches the account" if code == 0 else "the spec needs the fixes above"
    output.summary(f"Import: {plural(written, 'file')} written to {out}; {verdict}.")
    return code


def _check_and_write_import_file(out: Path, stack: str, account: LiveAccount, notes: list[str]) -> int:
    from ramstack.account.as_spec import live_as_spec
    from ramstack.account.import_file import import_file
    from ramstack.effective import compute_effective
    from ramstack.fileio import write_text_atomic
    from ramstack.permdiff import diff_permissions
    from ramstack.permdiff import text as permdiff_text
    from ramstack.spec.config import load_stack_config
    from ramstack.spec.load import load_spec

    diags = Diagnostics()
    config = load_stack_config(out, stack, diags)
    spec = None
    if config is not None:
        diags.levels.update(config.grammar_levels)
        try:
            spec = load_spec(config, diags)
        except InvalidInput:
            spec = None
    print_diagnostics(diags, sys.stderr)
    if config is None or spec is None:
        output.error(f"ramstack import: the written spec in {out} does not validate; fix the errors above")
        return 2
    from ramstack.components.offline_plan import run_offline

    with progress.task("import: planning the written spec", unit="resources"):
        result = run_offline(out.resolve(), stack, spec)
    if result["error"] or result["failures"]:
        problem = result["error"] or "; ".join(
            f"{f['name']}: {f['code']} {f['message']}" for f in result["failures"]
        )
        output.error(f"ramstack import: the stack program failed on the written spec: {problem}")
        return 2
    document, skipped = import_file(result["resources"], account)
    write_text_atomic(out / IMPORT_FILE, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    live_spec, not_evaluated = live_as_spec(account, config.region)
    changes = diff_permissions(compute_effective(live_spec), compute_effective(spec))
    # what was written and what to do next are about the run (stderr); the result is the files
    output.summary(
        f"imported account {account.account_id} into {out} (stack {stack}): {len(spec.users)} users, "
        f"{len(spec.groups)} groups, {len(spec.roles)} roles, "
        f"{sum(1 for p in spec.policies if p.generated_for is None)} custom policies, "
        f"{len(spec.oidc_providers)} OIDC providers; {len(document['resources'])} entries in {IMPORT_FILE}"
    )
    for name in [*notes, *skipped]:
        output.note(f"  not imported: {name}")
    for name in not_evaluated:
        output.note(f"  not evaluated: {name} (ramstack's grammar rejects the live document)")
    output.note(
        f"next: cd {out} && pulumi stack select --create {stack} && "
        f"pulumi import --file {IMPORT_FILE} --generate-code=false --yes; then ramstack drift"
    )
    if not changes.empty:
        from ramstack.ui.layout import fold_text

        output.result(
            fold_text(permdiff_text.render(changes, "the written spec differs from the account")), "diff"
        )
        return 2
    return 0

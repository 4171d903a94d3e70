"""`ramstack validate [--stack NAME]`: stack config + access spec + every policy it references."""

from __future__ import annotations

import argparse

from ramstack.commands.common import (
    add_format_argument,
    add_stack_arguments,
    diagnostics_json,
    emit_json,
    load_stack,
    print_diagnostics,
)
from ramstack.diagnostics import Diagnostics
from ramstack.ui import output
from ramstack.ui.summary import diagnostic_counts


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    add_format_argument(parser, ("text", "json", "github"))


def run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    config, spec = load_stack(args, diags, deploy_warnings=True)
    if config is not None and spec is not None:
        # policies/lint.yaml is stack input too: `validate` checks it as `lint` and `plan` do
        from ramstack.lint.stackfile import check_stack_lint_file

        check_stack_lint_file(spec, config, diags)
        if diags.has_errors:
            spec = None
    if args.format == "json":
        summary = None
        if spec is not None:
            summary = {
                "users": len(spec.users),
                "groups": len(spec.groups),
                "roles": len(spec.roles),
                "policies": len(spec.policies),
                "oidc_providers": len(spec.oidc_providers),
            }
        emit_json(
            {
                "valid": spec is not None,
                "stack": args.stack,
                "summary": summary,
                "diagnostics": diagnostics_json(diags),
            }
        )
    elif args.format == "github":  # workflow commands are read from stdout
        from ramstack.report import github

        output.result(github.diagnostics(diags))
    else:
        print_diagnostics(diags)
    if spec is not None:
        output.summary(
            f"stack {args.stack}: {spec.file} valid: {len(spec.users)} users, {len(spec.groups)} groups, "
            f"{len(spec.roles)} roles, {len(spec.policies)} custom policies, "
            f"{len(spec.oidc_providers)} OIDC providers"
        )
    else:
        output.summary(f"stack {args.stack}: invalid: {diagnostic_counts(diags)}")
    return 0 if spec is not None else 2

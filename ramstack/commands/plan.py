"""`ramstack plan [--stack NAME] [--format text|json]`: run the real stack program in-process against
the built-in fake cloud; report resources, documents, cloud refusals and effective permissions."""

from __future__ import annotations

import argparse
import json
import sys

from ramstack.commands.common import (
    add_format_argument,
    add_stack_arguments,
    diagnostics_json,
    emit_json,
    load_stack,
    print_diagnostics,
)
from ramstack.diagnostics import Diagnostics
from ramstack.effective import compute_effective
from ramstack.plan.report import PLAN_FORMAT, build_plan, failure_diagnostics
from ramstack.plan.text import render
from ramstack.ui import output
from ramstack.ui.summary import plan_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    add_format_argument(parser)
    parser.add_argument(
        "--documents", action="store_true", help="text format: also print every policy and trust document"
    )


def run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    config, spec = load_stack(args, diags)
    if config is None or spec is None:
        if args.format == "json":
            emit_json(
                {
                    "format": PLAN_FORMAT,
                    "stack": args.stack,
                    "valid": False,
                    "diagnostics": diagnostics_json(diags),
                }
            )
        else:
            print_diagnostics(diags)
        return 2
    try:
        # Pulumi is imported here only, for plan only
        from ramstack.components.offline_plan import run_offline
    except ImportError as exc:
        sys.stderr.write(
            f"ramstack plan runs the Pulumi program and needs the Pulumi SDK ({exc.name} is missing): "
            "pip install 'ramstack[pulumi]' (or `make setup`)\n"
        )
        return 2
    from ramstack.lint import gate
    from ramstack.lint.finding import sort_findings
    from ramstack.report.text import format_finding

    # The gate runs here, so the plan is shown even when the gate would stop `pulumi up`.
    findings = sort_findings(gate(spec, config))
    result = run_offline(config.project_dir.resolve(), args.stack, spec)
    refusals = failure_diagnostics(spec, result)
    if result["error"]:
        sys.stderr.write(f"ramstack plan: the stack program failed: {result['error']}\n")
        return 2
    plan = build_plan(spec, args.stack, result, compute_effective(spec))
    gate_text = [format_finding(f) for f in findings]
    if args.format == "json":
        plan["diagnostics"] = [
            d.to_json() for d in sorted(diags.items + refusals, key=lambda d: d.sort_key())
        ]
        plan["gate"] = {"fail_on": config.fail_on, "findings": gate_text}
        output.result(json.dumps(plan, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    else:
        print_diagnostics(diags.items + refusals)
        output.result(render(plan, documents=args.documents))
        if gate_text:
            output.result(
                f"\nLint gate: {len(gate_text)} finding(s) at or above ramstack:failOn={config.fail_on}; "
                "pulumi up would register nothing:\n" + "".join(f"  {line}\n" for line in gate_text)
            )
    tail = f" Lint gate: {len(findings)} at or above {config.fail_on}." if findings else ""
    output.summary(plan_line(len(plan["resources"])) + tail)
    if refusals:
        return 2
    return 1 if findings else 0

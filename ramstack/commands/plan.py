"""`ramstack plan [--stack NAME] [--format text|json|html]`: run the real stack program in-process against
the built-in fake cloud; report resources, documents, cloud refusals and effective permissions (html:
the self-contained report of ramstack.graph.html, with the plan's summary on top)."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from typing import TYPE_CHECKING, Any

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
from ramstack.heap import collector_off
from ramstack.jsontext import dumps_indented
from ramstack.plan.report import PLAN_FORMAT, build_plan, failure_diagnostics
from ramstack.plan.text import render
from ramstack.ui import output, progress
from ramstack.ui.summary import plan_line

if TYPE_CHECKING:
    from ramstack.diagnostics import Diagnostic
    from ramstack.effective import EffectivePermissions
    from ramstack.spec.config import StackConfig
    from ramstack.spec.model import Spec


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    add_format_argument(parser, ("text", "json", "html"))
    parser.add_argument(
        "--documents", action="store_true", help="text format: also print every policy and trust document"
    )


def run(args: argparse.Namespace) -> int:
    # Plan's one heap setting (bench/replay.py's bare-gc side uses it too): what it builds, from the
    # spec to the program's registrations, outputs and futures, lives until the report is written and
    # is bounded by the spec, so no cycle collection at all (ramstack.heap.collector_off). With the
    # collector's young collections alone around the program run, 3,000 users took 28.7 s CPU and grew
    # with exponent 1.11 from 1,000; without, 23.4 s and 0.96, at the same peak memory (issue 15).
    with collector_off():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    diags = Diagnostics()
    config, spec = load_stack(args, diags, deploy_warnings=True)
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
    # The program imports pulumi and pulumi_alicloud lazily, deep inside the run: look them up first
    # so a missing extra is one sentence, not a traceback from the middle of the program.
    missing = [name for name in ("pulumi", "pulumi_alicloud") if importlib.util.find_spec(name) is None]
    if missing:
        sys.stderr.write(
            f"ramstack plan runs the Pulumi program and needs the Pulumi SDK ({', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} missing): "
            "pip install 'ramstack[pulumi]' (or `make setup`)\n"
        )
        return 2
    from ramstack.components.offline_plan import run_offline  # Pulumi is imported here only
    from ramstack.lint import gate
    from ramstack.lint.finding import sort_findings
    from ramstack.report.text import format_finding

    # The gate runs here, so the plan is shown even when the gate would stop `pulumi up`.
    findings = sort_findings(gate(spec, config))
    with progress.task("plan: registering resources", unit="resources"):
        result = run_offline(config.project_dir.resolve(), args.stack, spec, validated_with=config)
    refusals = failure_diagnostics(spec, result)
    if result["error"]:
        output.error(f"ramstack plan: the stack program failed: {result['error']}")
        return 2
    effective = compute_effective(spec)
    plan = build_plan(spec, args.stack, result, effective, rendered=args.format == "json")
    gate_text = [format_finding(f) for f in findings]
    if args.format == "html":
        sys.stdout.write(_html(args.stack, config, spec, effective, plan, diags.items + refusals, gate_text))
    elif args.format == "json":
        plan["diagnostics"] = [
            d.to_json() for d in sorted(diags.items + refusals, key=lambda d: d.sort_key())
        ]
        plan["gate"] = {"fail_on": config.fail_on, "findings": gate_text}
        output.result(dumps_indented(plan) + "\n")  # json.dumps(indent=2, sort_keys=True), byte for byte
    else:
        print_diagnostics(diags.items + refusals)
        output.result(render(plan, documents=args.documents), "plan")
        if gate_text:
            output.result(
                f"\nLint gate: {len(gate_text)} finding(s) at or above ramstack:failOn={config.fail_on}; "
                "pulumi up would register nothing:\n" + "".join(f"  {line}\n" for line in gate_text),
                "plan",
            )
    tail = f" Lint gate: {len(findings)} at or above {config.fail_on}." if findings else ""
    output.summary(plan_line(len(plan["resources"])) + tail)
    if refusals:
        return 2
    return 1 if findings else 0


def _html(
    stack: str,
    config: StackConfig,
    spec: Spec,
    effective: EffectivePermissions,
    plan: dict[str, Any],
    diagnostics: list[Diagnostic],
    gate: list[str],
) -> str:
    from dataclasses import replace

    from ramstack.diagnostics import sort_diagnostics
    from ramstack.graph.html import render
    from ramstack.graph.model import build_graph
    from ramstack.graph.report import stack_report

    graph = build_graph(effective, [p.name for p in spec.oidc_providers])
    parts = stack_report(config, spec, effective, graph, f"ramstack plan: stack {stack}")
    notes = [f"{len(plan['resources'])} resources planned against the built-in fake cloud."]
    notes += [d.format() for d in sort_diagnostics(diagnostics)]
    if gate:
        notes.append(
            f"Lint gate: {len(gate)} finding(s) at or above ramstack:failOn={config.fail_on}; "
            "pulumi up would register nothing."
        )
    return render(replace(parts, notes=[*notes, *parts.notes]))

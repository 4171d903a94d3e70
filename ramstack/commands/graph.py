"""`ramstack graph [--stack NAME] [--format mermaid|dot|svg|html] [--focus user/N|role/N] [--depth N]
[--output FILE]`: who can become whom and reach what, as a picture.

Mermaid and DOT are text (always available); svg is laid out by Graphviz `dot` when it is on PATH,
else by the built-in column layout (said on stderr); html is one self-contained page (graph, lint
findings, the change against the lock file, effective permissions) that needs no network."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ramstack.commands.common import COMMAND_LINE, add_stack_arguments, load_stack, print_diagnostics
from ramstack.diagnostics import Diagnostics
from ramstack.ui import output

if TYPE_CHECKING:
    from ramstack.effective.model import EffectivePermissions
    from ramstack.graph.model import Graph
    from ramstack.spec.config import StackConfig
    from ramstack.spec.model import Spec

FORMATS = ("mermaid", "dot", "svg", "html")
FOCUS_KINDS = ("user", "group", "role")
DEFAULT_DEPTH = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_stack_arguments(parser)
    parser.add_argument("--format", "-f", choices=FORMATS, default="mermaid", help="output format")
    parser.add_argument(
        "--focus", metavar="KIND/NAME", help="only this principal's neighbourhood (user/N, group/N, role/N)"
    )
    parser.add_argument(
        "--depth",
        type=int,
        metavar="N",
        help=f"with --focus: membership/assume steps to follow from it (default {DEFAULT_DEPTH})",
    )
    parser.add_argument("--output", "-o", type=Path, metavar="FILE", help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    from ramstack.effective import compute_effective
    from ramstack.graph.focus import neighbourhood
    from ramstack.graph.model import build_graph

    diags = Diagnostics()
    if args.depth is not None and args.focus is None:
        diags.error(COMMAND_LINE, "GRAPH002", "--depth needs --focus", "add --focus user/NAME (or role/NAME)")
    elif args.depth is not None and args.depth < 0:
        diags.error(COMMAND_LINE, "GRAPH002", f"--depth {args.depth} is negative", "pass 0 or more")
    if diags.has_errors:
        print_diagnostics(diags, sys.stderr)
        return 2
    config, spec = load_stack(args, diags)
    if config is None or spec is None:
        print_diagnostics(diags)
        return 2
    print_diagnostics(diags, sys.stderr)  # warnings stay out of the picture on stdout
    effective = compute_effective(spec)
    graph = build_graph(effective, [p.name for p in spec.oidc_providers])
    title = f"ramstack graph: stack {args.stack}"
    if args.focus is not None:
        principals = sorted(p.subject for p in effective.principals)
        if args.focus not in principals:
            kind = args.focus.partition("/")[0]
            hint = ", ".join(principals[:8]) + (", ..." if len(principals) > 8 else "")
            fix = f"one of: {hint}" if principals else "declare it in the spec first"
            if kind not in FOCUS_KINDS:
                fix = f"write KIND/NAME with KIND one of {', '.join(FOCUS_KINDS)} ({fix})"
            usage = Diagnostics()  # the spec's warnings are printed already
            usage.error(
                COMMAND_LINE,
                "GRAPH001",
                f"--focus {args.focus!r} is not a principal of stack {args.stack}",
                fix,
            )
            print_diagnostics(usage, sys.stderr)
            return 2
        depth = DEFAULT_DEPTH if args.depth is None else args.depth
        graph = neighbourhood(graph, {args.focus}, depth)
        title += f", around {args.focus} (depth {depth})"
    text = _render(args.format, graph, title, config, spec, effective)
    if args.output is not None:
        from ramstack.fileio import write_text_atomic

        write_text_atomic(args.output, text)
    else:
        output.result(text)
    from ramstack.ui.summary import graph_line

    where = f" Written to {args.output}." if args.output is not None else ""
    output.summary(graph_line((n.kind for n in graph.nodes), (e.kind for e in graph.edges)) + where)
    return 0


def _render(
    fmt: str, graph: Graph, title: str, config: StackConfig, spec: Spec, effective: EffectivePermissions
) -> str:
    from ramstack.graph import dot, html, mermaid, svg
    from ramstack.graph.report import stack_report

    if fmt == "mermaid":
        return mermaid.render(graph, title)
    if fmt == "dot":
        return dot.render(graph, title)
    if fmt == "svg":
        text, engine = svg.render(graph, title)
        if engine != "graphviz":
            output.note(
                f"ramstack graph: SVG laid out by the {engine} layout (install Graphviz for dot's layout)"
            )
        return text
    return html.render(stack_report(config, spec, effective, graph, title))

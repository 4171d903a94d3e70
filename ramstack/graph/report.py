"""What the HTML report of a stack shows, gathered once for `graph --format html` and
`plan --format html`: the graph, lint findings, each principal's effective permissions, and the
change against the stack's lock file when there is one."""

from __future__ import annotations

from ramstack.diagnostics import Diagnostics
from ramstack.effective.model import EffectivePermissions
from ramstack.graph.change import change_graph
from ramstack.graph.html import ReportParts
from ramstack.graph.model import Graph
from ramstack.spec.config import StackConfig
from ramstack.spec.model import Spec


def stack_report(
    config: StackConfig, spec: Spec, effective: EffectivePermissions, graph: Graph, title: str
) -> ReportParts:
    from ramstack.effective.lockfile import read
    from ramstack.effective.lockpath import lock_path_for_reading
    from ramstack.lint.finding import sort_findings
    from ramstack.lint.runner import lint_stack
    from ramstack.permdiff import diff_permissions
    from ramstack.report.text import format_finding

    findings = sort_findings(lint_stack(spec, config).findings)
    shown = {n.id for n in graph.nodes}
    principals = tuple(p for p in effective.principals if p.subject in shown)
    notes: list[str] = []
    quiet = Diagnostics()
    path = lock_path_for_reading(config, quiet)
    before = read(path, quiet) if path.exists() else None
    diff = change = None
    label = ""
    if before is None:
        notes.append(f"No readable lock file ({path.name}): run `ramstack lock` to review changes here.")
    else:
        diff = diff_permissions(before, effective)
        change = change_graph(before, effective, diff)
        label = f"against {path.name}"
    return ReportParts(
        title=title,
        graph=graph,
        effective=EffectivePermissions(effective.account_id, principals, effective.notes),
        findings=[(str(f.severity), format_finding(f)) for f in findings],
        diff=diff,
        diff_label=label,
        change=change,
        notes=notes,
    )

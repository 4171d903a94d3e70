"""The self-contained HTML report of `graph --format html` and `plan --format html`: one file that loads
nothing, with the graph, lint findings, the change against the lock file and effective permissions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.effective import EffectivePermissions, Grant, PrincipalPermissions
from ramstack.graph import html
from ramstack.graph.model import build_graph

ROOT = Path(__file__).resolve().parents[2]


def page_of(capsys: pytest.CaptureFixture[str], *argv: str, code: int = 0) -> str:
    capsys.readouterr()
    assert main(list(argv)) == code
    return capsys.readouterr().out


def assert_self_contained(page: str) -> None:
    assert page.startswith("<!DOCTYPE html>")
    # Nothing to fetch: no src/href attributes, no url() in CSS, no imports; the CSP forbids them too.
    assert not re.search(r"\b(src|href)\s*=", page)
    assert "url(" not in page.replace("url(#arrow-", "") and "@import" not in page
    assert "default-src 'none'" in page


def test_plan_html_has_graph_permissions_and_plan_summary(
    dev: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = page_of(capsys, "plan", "--format", "html")
    assert_self_contained(page)
    assert "<title>ramstack plan: stack dev</title>" in page
    assert "16 resources planned against the built-in fake cloud." in page
    assert 'data-source="user/ims-app" data-target="role/ims-sts-role"' in page
    assert '<section class="principal" id="p-role/ims-sts-role"' in page
    assert "<code>ice:GetMediaInfo</code>" in page
    assert "No permission changes." in page and "No findings." in page
    assert "warning SPEC018" in page  # the plan's diagnostics are on the page too


def test_html_shows_the_change_and_findings(dev: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = dev / "policies" / "imm-doc-conversion.yaml"
    policy.write_text(policy.read_text().replace("Action: imm:ListProjects", "Action: ram:*"))
    page = page_of(capsys, "graph", "--format", "html")
    assert_self_contained(page)
    change = page[page.index('<h2 id="diff">') : page.index('<h2 id="findings">')]
    assert (
        'class="edge reach added escalation"' not in change
    )  # classes are ordered kind, half, escalation, status
    assert re.search(
        r'class="edge reach escalation added" data-source="role/imm-task-role" data-target="api/ram"', change
    )
    assert "⚠ escalation" in change
    findings = page[page.index('<h2 id="findings">') : page.index('<h2 id="principals">')]
    assert "LP" in findings and "role/imm-task-role" in page
    # The whole graph marks the path: ims-app can become the role that administers RAM.
    assert re.search(r'<g class="node user escalation" data-id="user/ims-app">', page)
    assert re.search(
        r'<g class="edge assume escalation" data-source="user/ims-app" data-target="role/imm-task-role"', page
    )


def test_focus_limits_the_report_to_the_neighbourhood(dev: Path, capsys: pytest.CaptureFixture[str]) -> None:
    page = page_of(capsys, "graph", "--format", "html", "--focus", "user/alice", "--depth", "1")
    sections = re.findall(r'<section class="principal" id="p-([^"]+)"', page)
    assert sections == ["group/media-readers", "user/alice"]
    assert "around user/alice (depth 1)" in page


def test_names_are_escaped_in_html() -> None:
    # Spec names cannot hold markup (the loader refuses them), but a lock file read for a diff is
    # only JSON: whatever it names is text on the page, never markup.
    name = 'user/x"><script>alert(1)</script>'
    effective = EffectivePermissions(
        "1", (PrincipalPermissions(name, "user", ((Grant("Allow", "oss:<b>", "*"), ("p#0",)),)),)
    )
    graph = build_graph(effective)
    page = html.render(html.ReportParts(title="t", graph=graph, effective=effective, findings=()))
    assert "<script>alert" not in page and "<b>" not in page
    assert 'data-id="user/x&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page


def test_output_file_is_written_and_stdout_stays_empty(
    dev: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "out" / "report.html"
    target.parent.mkdir()
    assert page_of(capsys, "graph", "--format", "html", "--output", str(target)) == ""
    first = target.read_text()
    page_of(capsys, "graph", "--format", "html", "--output", str(target))
    assert target.read_text() == first  # byte-stable

"""The HTML report in a real headless browser (Chromium): the DOM after the page's own script ran, the
search filter, and a screenshot. Skipped where no Chromium is installed (apt-get install chromium)."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from ramstack.cli import main

ROOT = Path(__file__).resolve().parents[2]
BROWSER = next(
    (shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None
)
pytestmark = pytest.mark.skipif(BROWSER is None, reason="no headless Chromium installed")


def browse(tmp_path: Path, url: str, *flags: str) -> subprocess.CompletedProcess[bytes]:
    assert BROWSER is not None
    return subprocess.run(
        [
            BROWSER,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            *flags,
            url,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Path:
    monkeypatch.chdir(ROOT)
    page = tmp_path / "report.html"
    assert main(["graph", "--format", "html", "--output", str(page)]) == 0
    capsys.readouterr()
    return page


def test_graph_nodes_and_edges_in_the_rendered_dom(report: Path, tmp_path: Path) -> None:
    dom = browse(tmp_path, report.as_uri(), "--dump-dom").stdout.decode()
    nodes = set(re.findall(r'<g class="node [^"]*" data-id="([^"]+)"', dom))
    assert {
        "user/ims-app",
        "user/alice",
        "group/media-readers",
        "role/ims-sts-role",
        "role/imm-task-role",
    } <= nodes
    edges = set(re.findall(r'<g class="edge ([a-z]+)[^"]*" data-source="([^"]+)" data-target="([^"]+)"', dom))
    assert ("assume", "user/ims-app", "role/ims-sts-role") in edges
    assert ("assume", "user/ims-app", "role/imm-task-role") in edges
    assert ("member", "user/alice", "group/media-readers") in edges
    assert ("reach", "role/ims-sts-role", "api/ice") in edges
    principals = re.findall(r'<section class="principal( hidden)?" id="p-([^"]+)"', dom)
    assert [p for _, p in principals] == sorted(p for _, p in principals) and len(principals) == 5
    assert not any(hidden for hidden, _ in principals)
    assert "Changes against permissions.dev.lock.json" in dom and "No permission changes." in dom


def test_search_filters_principals_and_highlights_nodes(report: Path, tmp_path: Path) -> None:
    dom = browse(tmp_path, report.as_uri() + "#q=alice", "--dump-dom").stdout.decode()
    shown = re.findall(r'<section class="principal" id="p-([^"]+)"', dom)
    assert shown == ["user/alice"]
    assert '<g class="node user match" data-id="user/alice">' in dom
    assert '<g class="node user dim" data-id="user/ims-app">' in dom
    # A search by action finds who holds it.
    dom = browse(tmp_path, report.as_uri() + "#q=imm:createoffice", "--dump-dom").stdout.decode()
    assert re.findall(r'<section class="principal" id="p-([^"]+)"', dom) == ["role/imm-task-role"]


def test_screenshot_shows_a_drawn_page(report: Path, tmp_path: Path) -> None:
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body></body></html>")
    sizes = {}
    for name, page in (("report", report), ("blank", blank)):
        shot = tmp_path / f"{name}.png"
        browse(tmp_path, page.as_uri(), f"--screenshot={shot}", "--window-size=1200,800")
        data = shot.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (1200, 800)
        sizes[name] = len(data)
    assert sizes["report"] > 5 * sizes["blank"]  # text, boxes and arrows, not an empty page

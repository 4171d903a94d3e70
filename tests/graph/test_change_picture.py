"""The change as a picture: `ramstack diff --format markdown` embeds a Mermaid graph of what the change
adds (green) and removes (red) around the principals it touches; `--format html` draws the same."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.graph import mermaid

ROOT = Path(__file__).resolve().parents[2]
GREEN, RED = "stroke:#2da44e", "stroke:#cf222e"


def diff(capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    capsys.readouterr()
    assert main(["diff", "--format", fmt]) == 0
    return capsys.readouterr().out


def mermaid_block(markdown: str) -> str:
    found = re.search(r"```mermaid\n(.*?)```", markdown, re.S)
    assert found, markdown
    return found.group(1)


def link_styles(block: str) -> dict[str, str]:
    """Edge line -> its linkStyle (Mermaid numbers edges in the order they are written)."""
    edges = [line.strip() for line in block.splitlines() if re.search(r" (-->|==>|-\.->)", line)]
    styles = dict(re.findall(r"linkStyle (\d+) (\S+)", block))
    return {edge: styles.get(str(i), "") for i, edge in enumerate(edges)}


def test_no_change_no_picture(dev: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = diff(capsys, "markdown")
    assert "No permission changes." in out and "```mermaid" not in out


def test_a_role_gaining_an_action_is_a_green_edge(dev: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = dev / "policies" / "imm-doc-conversion.yaml"
    policy.write_text(
        policy.read_text().replace(
            "Action: imm:CreateOfficeConversionTask",
            "Action: [imm:CreateOfficeConversionTask, imm:GetOfficeConversionTask]",
        )
    )
    out = diff(capsys, "markdown")
    block = mermaid_block(out)
    role, imm = mermaid.node_id("role/imm-task-role"), mermaid.node_id("api/imm")
    styles = link_styles(block)
    added = [e for e in styles if e.startswith(f"{role} -->") and e.endswith(imm)]
    assert len(added) == 1 and "+ added imm:GetOfficeConversionTask" in added[0]
    assert styles[added[0]].startswith(GREEN)
    # Context: who can become the role, drawn plainly; the untouched role and alice stay out.
    plain = f"{mermaid.node_id('user/ims-app')} --> {role}"
    assert plain in styles and styles[plain] == ""
    assert mermaid.node_id("role/ims-sts-role") not in block and mermaid.node_id("user/alice") not in block
    assert out.index("```mermaid") < out.index("#### `role/imm-task-role`")  # picture first, then the table


def test_removed_access_is_red_and_a_new_principal_green(
    dev: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = dev / "access.yaml"
    text = spec.read_text().replace("groups: [media-readers]", "groups: []")
    text = text.replace("roles:\n", "roles:\n  auditor:\n    trust:\n      users: [alice]\n", 1)
    spec.write_text(
        text.replace("    console_login:\n", "    assume_roles: [auditor]\n    console_login:\n", 1)
    )
    block = mermaid_block(diff(capsys, "markdown"))
    styles = link_styles(block)
    alice, group = mermaid.node_id("user/alice"), mermaid.node_id("group/media-readers")
    auditor = mermaid.node_id("role/auditor")
    member = next(e for e in styles if e.startswith(f"{alice} -->") and e.endswith(group))
    assert "− member of" in member and styles[member].startswith(RED)
    assume = next(e for e in styles if e.startswith(f"{alice} -->") and e.endswith(auditor))
    assert styles[assume].startswith(GREEN)
    assert re.search(rf"class \S*{auditor}\S* added", block)


def test_html_diff_draws_the_change(dev: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = dev / "policies" / "imm-doc-conversion.yaml"
    policy.write_text(policy.read_text().replace("imm:ListProjects", "imm:List*"))
    page = diff(capsys, "html")
    assert page.startswith("<!DOCTYPE html>") and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    widened = re.search(
        r'<g class="edge reach added" data-source="role/imm-task-role" data-target="api/imm">.*?</g>', page
    )
    assert widened and "widened imm:List*" in widened.group()
    assert 'class="edge reach removed"' not in page  # widening is one change, not a removal


def test_a_group_change_is_drawn_on_the_group_not_on_each_member(
    dev: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = dev / "access.yaml"
    spec.write_text(
        spec.read_text().replace(
            "AliyunIMMReadOnlyAccess]", "AliyunIMMReadOnlyAccess, AliyunOSSReadOnlyAccess]"
        )
    )
    out = diff(capsys, "markdown")
    assert "via group/media-readers" in out  # the table still lists alice's inherited grants
    styles = link_styles(mermaid_block(out))
    oss = mermaid.node_id("api/oss")
    added = [e for e in styles if e.endswith(oss)]
    assert len(added) == 1 and added[0].startswith(mermaid.node_id("group/media-readers"))
    assert styles[added[0]].startswith(GREEN)
    assert f'{mermaid.node_id("user/alice")} -->|"member of"|' in "\n".join(styles)

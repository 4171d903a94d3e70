"""`ramstack graph`: nodes and edges of the dev stack, the examples and hand-made specs (half-configured
assume edges, escalation paths, cross-account), focus/depth, escaping, determinism, formats."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.commands.common import load_stack
from ramstack.diagnostics import Diagnostics
from ramstack.effective import EffectivePermissions, compute_effective
from ramstack.graph import dot, layout, mermaid, svg
from ramstack.graph.focus import neighbourhood
from ramstack.graph.model import Graph, build_graph

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/Pulumi.yaml"))
DOT_EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)"(?: \[(.*)\])?;$', re.M)

HALF_SPEC = """users:
  dev.ops:
    policies: [assume-deployer]
  ci_bot:
    assume_roles: [admin]
  bystander: {}
  trusted-only: {}
roles:
  deployer:
    trust:
      users: [trusted-only]
  admin:
    trust:
      users: [ci_bot]
      services: [ecs.aliyuncs.com]
    policies: [admin-ram]
"""
HALF_POLICIES = {
    "assume-deployer.yaml": (
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: sts:AssumeRole\n'
        "    Resource: acs:ram::${accountId}:role/deployer\n"
    ),
    "admin-ram.yaml": (
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: ram:AttachPolicyToUser\n    Resource: "*"\n'
    ),
}


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def dot_edges(text: str) -> dict[tuple[str, str], str]:
    return {(m[0], m[1]): m[2] or "" for m in DOT_EDGE.findall(text)}


def stack_graph(folder: Path, stack: str) -> tuple[EffectivePermissions, Graph]:
    import argparse

    args = argparse.Namespace(cwd=folder, stack=stack, stack_given=True)
    _, spec = load_stack(args, Diagnostics())
    assert spec is not None
    effective = compute_effective(spec)
    return effective, build_graph(effective, [p.name for p in spec.oidc_providers])


def test_dev_stack_dot_has_the_assume_membership_and_reach_edges(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run(capsys, "graph", "--format", "dot")
    assert code == 0
    edges = dot_edges(out)
    assert ("user/ims-app", "role/ims-sts-role") in edges
    assert ("user/ims-app", "role/imm-task-role") in edges
    assert "member of" in edges[("user/alice", "group/media-readers")]
    # What each role reaches, per service with counts (ims-read-only: five ice actions, each only
    # from the application's source IP).
    assert 'label="5 actions (conditional)"' in edges[("role/ims-sts-role", "api/ice")]
    assert 'label="2 actions"' in edges[("role/imm-task-role", "api/imm")]
    # ims-app's own grants are the two scoped assume grants: drawn as assume edges, not as reach.
    assert not [e for e in edges if e[0] == "user/ims-app" and e[1].startswith("api/")]
    # alice reaches through her group; her own node draws no copy of the group's grants.
    assert not [e for e in edges if e[0] == "user/alice" and e[1].startswith("api/")]
    assert "dashed" not in out and "⚠" not in out  # the dev stack is fully configured, no escalation


def test_dev_stack_mermaid_names_the_same_edges(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run(capsys, "graph")
    assert code == 0 and out.startswith("flowchart LR\n")
    ims, sts = mermaid.node_id("user/ims-app"), mermaid.node_id("role/ims-sts-role")
    assert f"  {ims} --> {sts}\n" in out
    assert (
        f'  {mermaid.node_id("user/alice")} -->|"member of"| {mermaid.node_id("group/media-readers")}' in out
    )
    sts_role, ice = mermaid.node_id("role/ims-sts-role"), mermaid.node_id("api/ice")
    assert f'{sts_role} -->|"5 actions (conditional)"| {ice}' in out


def test_half_configured_assume_edges_are_drawn_distinctly(
    project, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = project(HALF_SPEC, HALF_POLICIES)
    code, out, _ = run(capsys, "graph", "-C", str(folder), "-s", "test", "--format", "dot")
    assert code == 0
    edges = dot_edges(out)
    grant_only = edges[("user/dev.ops", "role/deployer")]
    trust_only = edges[("user/trusted-only", "role/deployer")]
    assert "half: grant-only" in grant_only and "dashed" in grant_only
    assert "half: trust-only" in trust_only and "dashed" in trust_only
    full = edges[("user/ci_bot", "role/admin")]
    assert "half" not in full and "dashed" not in full
    assert not [e for e in edges if e[0] == "user/bystander"]
    code, out, _ = run(capsys, "graph", "-C", str(folder), "-s", "test")
    assert f'{mermaid.node_id("user/dev.ops")} -.->|"half: grant-only' in out
    assert f'{mermaid.node_id("user/trusted-only")} -.->|"half: trust-only' in out


def test_escalation_paths_are_highlighted_back_to_who_can_assume(project) -> None:
    _, graph = stack_graph(project(HALF_SPEC, HALF_POLICIES), "test")
    risky = {n.id for n in graph.nodes if n.escalation}
    # admin holds ram:AttachPolicyToUser on *; ci_bot and ECS can become admin; nobody else.
    assert risky == {"role/admin", "user/ci_bot", "service/ecs.aliyuncs.com", "api/ram"}
    edges = {(e.source, e.target): e for e in graph.edges}
    assert edges[("user/ci_bot", "role/admin")].escalation
    assert edges[("role/admin", "api/ram")].escalation
    assert "ram:AttachPolicyToUser" in edges[("role/admin", "api/ram")].label
    assert not edges[("user/dev.ops", "role/deployer")].escalation  # a half edge leads nowhere
    text = mermaid.render(graph)
    assert f"{mermaid.node_id('user/ci_bot')} ==> {mermaid.node_id('role/admin')}" in text
    assert re.search(r"class (\S*,)?" + mermaid.node_id("user/ci_bot") + r"\b.* escalation", text)
    assert mermaid.node_id("user/bystander") not in text.split("classDef")[-1]
    assert 'color="#cf222e", penwidth=3' in dot.render(graph)


def test_not_action_reaches_every_service_and_is_an_escalation(project) -> None:
    policy = 'Version: "1"\nStatement:\n  - Effect: Allow\n    NotAction: ram:*\n    Resource: "*"\n'
    _, graph = stack_graph(project("users:\n  u:\n    policies: [most]\n", {"most.yaml": policy}), "test")
    assert graph.node_map["api/*"].label == "every service (*)"
    edge = next(e for e in graph.edges if e.source == "user/u")
    assert (edge.target, edge.escalation) == ("api/*", True)


def test_assume_any_role_is_an_escalation(project) -> None:
    spec = (
        "users:\n  wide:\n    allow_assume_any_role: true\n    system_policies: [AliyunSTSAssumeRoleAccess]\n"
        "roles:\n  r:\n    trust:\n      users: [wide]\n"
    )
    _, graph = stack_graph(project(spec), "test")
    nodes = graph.node_map
    assert nodes["user/wide"].escalation
    assert any(e.source == "user/wide" and e.target == "api/sts" and e.escalation for e in graph.edges)


def test_focus_and_depth_keep_one_neighbourhood(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    _, out, _ = run(capsys, "graph", "--format", "dot", "--focus", "user/alice")
    assert set(dot_edges(out)) == {
        ("user/alice", "group/media-readers"),
        ("group/media-readers", "api/ice"),
        ("group/media-readers", "api/imm"),
    }
    _, out, _ = run(capsys, "graph", "--format", "dot", "--focus", "role/ims-sts-role", "--depth", "1")
    edges = set(dot_edges(out))
    assert ("user/ims-app", "role/ims-sts-role") in edges
    assert "role/imm-task-role" not in out  # two steps away
    _, out, _ = run(capsys, "graph", "--format", "dot", "--focus", "role/ims-sts-role", "--depth", "2")
    assert ("user/ims-app", "role/imm-task-role") in set(dot_edges(out))
    assert "user/alice" not in out  # shares only a service node with it: services are leaves


def test_focus_and_depth_usage_errors(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run(capsys, "graph", "--focus", "user/nobody")
    assert code == 2 and out == ""
    assert "error GRAPH001: --focus 'user/nobody' is not a principal of stack dev" in err
    assert "user/ims-app" in err  # the fix names the principals there are
    assert "SPEC018" not in err  # a deploy warning: validate and plan show it
    code, _, err = run(capsys, "graph", "--depth", "1")
    assert code == 2 and "GRAPH002: --depth needs --focus" in err
    code, _, err = run(capsys, "graph", "--focus", "user/alice", "--depth", "-1")
    assert code == 2 and "GRAPH002" in err


def test_bad_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["graph", "--format", "png"])
    assert exc.value.code == 2


def test_ids_are_escaped_for_mermaid_and_dot() -> None:
    names = ["user/a.b", "user/a-b", "user/a_b", "user/a@b", "user/end", "acs:ram::1:user/x y"]
    ids = [mermaid.node_id(n) for n in names]
    assert len(set(ids)) == len(names)
    assert all(re.fullmatch(r"n_[A-Za-z0-9_]+", i) for i in ids)
    assert mermaid.label('a"b<c>#d`e') == "a#quot;b#lt;c#gt;#35;d#96;e"
    assert dot.quote('x" ] ; "y\\') == '"x\\" ] ; \\"y\\\\"'
    assert dot.quote("line\nbreak") == '"line break"'


def test_output_is_byte_stable_whatever_the_input_order(project) -> None:
    effective, graph = stack_graph(project(HALF_SPEC, HALF_POLICIES), "test")
    shuffled = list(effective.principals)
    random.Random(7).shuffle(shuffled)
    again = build_graph(EffectivePermissions(effective.account_id, tuple(shuffled)), [])
    assert again == graph
    for render in (mermaid.render, dot.render, layout.render):
        assert render(again) == render(graph)


def test_cross_account_edges_are_half_with_the_other_side_elsewhere() -> None:
    folder = ROOT / "examples" / "iot-cross-account"
    _, iot = stack_graph(folder, "example")
    alice = "acs:ram::1000000000000719:user/Alice"
    assert iot.node_map[alice].kind == "outside"
    edge = next(e for e in iot.edges if e.source == alice)
    assert (edge.target, edge.kind, edge.half) == ("role/iotstsrole", "assume", "other-account")
    _, partner = stack_graph(folder, "partner")
    role = "acs:ram::1234567890123456:role/iotstsrole"
    edge = next(e for e in partner.edges if e.target == role)
    assert (edge.source, edge.half) == ("user/Alice", "other-account")
    assert partner.node_map[role].label == "role/iotstsrole @ 1234567890123456"


@pytest.mark.parametrize("folder", EXAMPLES, ids=lambda p: p.name)
def test_every_example_draws_every_principal(folder: Path) -> None:
    for stack_file in sorted(folder.glob("Pulumi.*.yaml")):
        stack = stack_file.name.split(".")[1]
        effective, graph = stack_graph(folder, stack)
        ids = {n.id for n in graph.nodes}
        assert {p.subject for p in effective.principals} <= ids
        assert all(e.source in ids and e.target in ids for e in graph.edges)
        text = dot.render(graph)
        assert len(DOT_EDGE.findall(text)) == len(graph.edges)
        assert layout.render(graph).count('class="node ') == len(graph.nodes)


def test_github_deploy_role_is_reached_from_its_oidc_provider() -> None:
    _, graph = stack_graph(ROOT / "examples" / "github-deploy", "example")
    oidc = [n for n in graph.nodes if n.kind == "oidc"]
    assert oidc
    edge = next(e for e in graph.edges if e.source == oidc[0].id)
    assert edge.target == "role/ci-deployer" and not edge.half
    assert edge.label == "OIDC token (repo:example-org/access-infra:ref:refs/heads/main)"


def test_large_stacks_collapse_reach_per_service(project) -> None:
    users = "".join(f"  u{i:03}:\n    groups: [g{i % 5}]\n" for i in range(300))
    groups = "".join(f"  g{i}:\n    system_policies: [AliyunOSSReadOnlyAccess]\n" for i in range(5))
    _, graph = stack_graph(project(f"users:\n{users}groups:\n{groups}"), "test")
    reach = [e for e in graph.edges if e.kind == "reach"]
    assert len({e.target for e in reach}) <= 5  # a handful of service nodes, not one per action
    assert all(e.source.startswith("group/") for e in reach)  # users reach through their groups
    focused = neighbourhood(graph, {"user/u007"}, 1)
    assert {n.id for n in focused.nodes if n.kind == "user"} == {"user/u007"}


def test_svg_without_graphviz_uses_the_built_in_layout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr(svg.shutil, "which", lambda _: None)
    out_file = tmp_path / "g.svg"
    code, out, err = run(capsys, "graph", "--format", "svg", "--output", str(out_file))
    assert code == 0 and out == ""
    assert "built-in layout" in err
    text = out_file.read_text()
    assert text.startswith("<svg ") and 'data-id="user/ims-app"' in text
    assert 'data-source="user/ims-app" data-target="role/ims-sts-role"' in text


@pytest.mark.skipif(svg.graphviz() is None, reason="Graphviz dot is not installed")
def test_svg_with_graphviz(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, err = run(capsys, "graph", "--format", "svg")
    assert code == 0 and "built-in" not in err
    assert "<svg" in out and "<title>user/ims&#45;app&#45;&gt;role/ims&#45;sts&#45;role</title>" in out

"""`ramstack lint` and `ramstack rules`: exit codes, formats, --policy, --baseline, README table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.lint.registry import ALL_RULES
from tests.conftest import ROOT

RISKY = """\
users:
  bob:
    console_login: {mfa_required: false}
roles:
  export:
    max_session_duration: 7200
    trust:
      services: [ecs.aliyuncs.com]
"""
LINE = re.compile(r"^[^:]+:\d+:\d+: (INFO|LOW|MEDIUM|HIGH|CRITICAL) LP\d{3}: .+$")


def test_dev_stack_lints_clean(monkeypatch, capsys) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["lint", "--stack", "dev"]) == 0
    out = capsys.readouterr()
    assert out.out == "" and "no findings" in out.err


def test_exit_1_at_or_above_fail_on(project, monkeypatch, capsys) -> None:
    monkeypatch.chdir(project(RISKY))
    assert main(["lint", "--stack", "test"]) == 1  # LP501 is high, the default threshold
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "access.yaml:3:35: HIGH LP501: user/bob signs in to the console without MFA"
        " (see: ramstack rules LP501)",
        "access.yaml:6:27: MEDIUM LP507: role/export allows sessions of 7200 s (2 h)"
        " (see: ramstack rules LP507)",
    ]
    assert all(LINE.match(line) for line in lines)
    assert main(["lint", "--stack", "test", "--fail-on", "critical"]) == 0
    assert main(["lint", "-s", "test", "--fail-on", "medium", "-f", "json"]) == 1


def test_fail_on_defaults_to_the_stack_config(project, monkeypatch) -> None:
    stack = (
        'config:\n  alicloud:region: cn-hangzhou\n  ramstack:accountId: "1234567890123456"\n'
        "  ramstack:failOn: critical\n"
    )
    monkeypatch.chdir(project(RISKY, stack_file=stack))
    assert main(["lint", "--stack", "test"]) == 0
    assert main(["lint", "--stack", "test", "--fail-on", "high"]) == 1


@pytest.mark.parametrize("fmt", ["json", "sarif", "markdown"])
def test_formats(fmt: str, project, monkeypatch, capsys) -> None:
    monkeypatch.chdir(project(RISKY))
    main(["lint", "--stack", "test", "--format", fmt])
    out = capsys.readouterr().out
    if fmt == "markdown":
        assert out.startswith("### ramstack lint") and "**LP501**" in out
    else:
        data = json.loads(out)
        assert data["runs"][0]["results"] if fmt == "sarif" else data["findings"]


def test_invalid_input_exits_2(project, monkeypatch, capsys) -> None:
    monkeypatch.chdir(project(RISKY, {"lint.yaml": "severity:\n  LP501: severe\n"}))
    assert main(["lint", "--stack", "test"]) == 2
    assert "policies/lint.yaml:2:10: error LINT004" in capsys.readouterr().err
    monkeypatch.chdir(project("users:\n  bob: {unknown: 1}\n"))
    assert main(["lint", "--stack", "test"]) == 2
    with pytest.raises(SystemExit) as usage:
        main(["lint", "--stack", "test", "--fail-on", "severe"])
    assert usage.value.code == 2


def test_baseline(project, monkeypatch, capsys) -> None:
    folder = project("users:\n  reader:\n    system_policies: [AliyunOSSReadOnlyAccess]\n")
    monkeypatch.chdir(folder)
    assert main(["lock", "--stack", "test"]) == 0
    capsys.readouterr()
    assert main(["lint", "--stack", "test", "--baseline", "permissions.test.lock.json"]) == 0
    (folder / "access.yaml").write_text(
        "users:\n  reader:\n    system_policies: [AliyunOSSReadOnlyAccess, AliyunIMMReadOnlyAccess]\n"
    )
    assert main(["lint", "--stack", "test", "--baseline", "permissions.test.lock.json"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(" HIGH LP003: user/reader gains Allow imm:" in line for line in lines)
    assert all(line.startswith("access.yaml:3:48:") for line in lines)
    assert main(["lint", "--stack", "test", "--baseline", "missing.lock.json"]) == 2


def test_policy_files(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    Path("session.json").write_text(
        '{"Version": "1", "Statement": [\n'
        '  {"Effect": "Allow", "Action": ["oss:*"], "Resource": "acs:oss:*:*:${bucket}/*"}\n'
        "]}\n"
    )
    Path("trust.yaml").write_text(
        'Version: "1"\nStatement:\n  - Effect: Allow\n    Action: sts:AssumeRole\n    Principal: {RAM: "*"}\n'
    )
    assert main(["lint", "--policy", "session.json", "--var", "bucket=media"]) == 0  # LP202 is medium
    expected = (
        "session.json:2:34: MEDIUM LP202: policy/session statement 1 allows every oss action ('oss:*')"
        " (see: ramstack rules LP202)"
    )
    assert capsys.readouterr().out.splitlines() == [expected]
    assert main(["lint", "--policy", "trust.yaml", "--kind", "trust"]) == 1
    assert "trust.yaml:5:22: CRITICAL LP102:" in capsys.readouterr().out
    assert main(["lint", "--policy", "trust.yaml"]) == 2  # a trust policy is not a permission policy


def test_rules_lists_every_rule(capsys) -> None:
    assert main(["rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == sorted(r.id for r in ALL_RULES)
    assert all(re.match(r"^(LP|ACT)\d{3}  (info|low|medium|high|critical) +\S", line) for line in lines)


def test_readme_rule_table_is_current(capsys) -> None:
    assert main(["rules", "--format", "markdown"]) == 0
    table = capsys.readouterr().out
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- BEGIN RULES -->\n(.*?)<!-- END RULES -->", readme, re.DOTALL)
    assert match, "README.md lacks the <!-- BEGIN RULES --> ... <!-- END RULES --> block"
    assert match.group(1) == table, "README rule table is stale: paste `ramstack rules --format markdown`"


def test_sarif_fingerprints_tell_findings_of_one_subject_apart(tmp_path, capsys) -> None:
    import json as _json

    from ramstack.cli import main as cli

    policy = tmp_path / "wide.json"
    policy.write_text(
        _json.dumps(
            {
                "Version": "1",
                "Statement": [{"Effect": "Allow", "Action": ["oss:*", "vod:*", "ice:*"], "Resource": "*"}],
            }
        )
    )
    cli(["lint", "--policy", str(policy), "--format", "sarif", "--fail-on", "critical"])
    results = _json.loads(capsys.readouterr().out)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["ramstackFinding/v1"] for r in results if r["ruleId"] == "LP202"]
    assert len(prints) == 3 and len(set(prints)) == 3

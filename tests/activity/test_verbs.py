"""The top-level activity verbs: `unused`, `lint --events`, `generate-policy`, `diff --replay`
(issue 14, items 2-5), over events of the seed flows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ramstack.activity.log import ActivityLog, load_activity
from ramstack.activity.synthetic import seed_flow_events, vod_upload_events
from ramstack.cli import main
from ramstack.diagnostics import Diagnostics
from ramstack.evaluate.compile import NamedPolicy
from ramstack.evaluate.evaluator import PolicySet
from ramstack.evaluate.request import Request
from ramstack.policy.load import load_policy_file
from ramstack.spec.config import load_stack_config
from tests.activity.conftest import git_commit, samples_as_array
from tests.activity.test_activity import ACCOUNT, _spec, _vod_project, _write_jsonl

SINCE = ["--since", "2026-01-01"]  # the synthetic events are of November 2026


def _events(tmp_path: Path) -> Path:
    """The three seed flows: the IMS application and its role sessions, the console user, the VOD
    uploader."""
    return _write_jsonl(tmp_path / "trail.jsonl", [*seed_flow_events(600), *vod_upload_events(40)])


def _log(path: Path) -> ActivityLog:
    diags = Diagnostics()
    log = load_activity([path], diags, account_id=ACCOUNT)
    assert not diags.items
    return log


# -- the done-when test ---------------------------------------------------------------------------


def test_seed_flows_unused_generated_policy_and_replay(project: Path, tmp_path: Path, capsys) -> None:
    _vod_project(project)
    trail = _events(tmp_path)
    log = _log(trail)

    # 1. the unused FullAccess actions of a role: only PutObject of every oss action was called
    assert main(["unused", "--events", str(trail), *SINCE, "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)["findings"]
    (oss,) = [f for f in findings if f["rule_id"] == "ACT110" and f["subject"] == "role/vod-uploader"]
    assert "oss:* on * (from AliyunOSSFullAccess)" in oss["message"]
    assert "called: oss:PutObject;" in oss["message"] and oss["location"]["file"] == "access.yaml"
    never = int(oss["message"].split(": ", 2)[2].split(" of its ")[0])
    assert never > 100  # every other OSS action of the catalog

    # 2. a generated policy allows every recorded call (the evaluator decides) and lints clean
    config = load_stack_config(project, "dev", Diagnostics())
    assert config is not None
    variables = config.policy_variables()
    for subject in (
        "role/vod-uploader",
        "role/ims-sts-role",
        "role/imm-task-role",
        "user/alice",
        "user/ims-app",
    ):
        name = subject.replace("/", "-")
        argv = ["generate-policy", "--principal", subject, "--events", str(trail), *SINCE, "--name", name]
        assert main(argv) == 0, capsys.readouterr().err
        written = project / "policies" / f"{name}.yaml"
        text = written.read_text(encoding="utf-8")
        assert ACCOUNT not in text  # portable: the stack's account is ${accountId}
        diags = Diagnostics()
        document = load_policy_file(written, "permission", diags, variables=variables)
        assert document is not None and not diags.items
        policies = PolicySet([NamedPolicy(name, document, "file")])
        uses = log.of(subject)
        assert uses
        for (_, action, resource, context), _use in uses:
            assert policies.is_allowed(Request.of(action, resource, dict(context))), (subject, action)
        assert not policies.is_allowed(Request("ram:CreateUser", f"acs:ram::{ACCOUNT}:user/x"))
        capsys.readouterr()
        assert main(["lint", "--policy", str(written)]) == 0
        assert "no findings" in capsys.readouterr().err
        written.unlink()

    # 3. a replay flags exactly the recorded calls a narrowing denies
    git_commit(project)
    policy = project / "policies" / "ims-read-only.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("      - ice:GetMediaInfo\n", ""), encoding="utf-8"
    )
    argv = ["diff", "--base-ref", "HEAD", "--replay", "--events", str(trail), *SINCE, "--format", "json"]
    assert main([*argv, "--fail-on-breakage"]) == 1
    replayed = json.loads(capsys.readouterr().out)["replay"]
    recorded = {
        (k[0], k[1], k[2]): u.count
        for k, u in log.uses.items()
        if (k[0], k[1]) == ("role/ims-sts-role", "ice:GetMediaInfo")
    }
    assert {(b["principal"], b["action"], b["resource"]): b["count"] for b in replayed["breaks"]} == recorded
    assert replayed["broken_calls"] == sum(recorded.values()) > 0
    assert main(argv) == 0  # a report, not a gate, without --fail-on-breakage


# -- unused and lint --events --------------------------------------------------------------------


def test_unused_is_a_lint_gate_with_suppressions(project: Path, tmp_path: Path, capsys) -> None:
    trail = _write_jsonl(tmp_path / "t.jsonl", vod_upload_events(10))  # ims-app never used its key
    args = ["unused", "--events", str(trail), *SINCE]
    assert main([*args, "--fail-on", "medium"]) == 1
    captured = capsys.readouterr()
    out = captured.out
    assert "access.yaml:12:17: MEDIUM ACT102: user ims-app's AccessKey was never used" in out
    assert "ACT101: role ims-sts-role was never assumed" in out
    assert "the spec does not declare (not judged): role/vod-uploader (10)" in captured.err
    assert main([*args, "--fail-on", "high"]) == 0
    capsys.readouterr()
    (project / "policies" / "lint.yaml").write_text(
        "suppressions:\n  - rule: ACT102\n    subject: user/ims-app\n    reason: rotated monthly by a job\n",
        encoding="utf-8",
    )
    assert main([*args, "--format", "sarif"]) == 0
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    rules = {(r["ruleId"], r["properties"]["subject"]) for r in results if "suppressions" not in r}
    assert ("ACT102", "user/ims-app") not in rules and ("ACT101", "role/ims-sts-role") in rules
    # a plain lint of the stack does not judge that suppression without events (no LP002)
    assert main(["lint", "--format", "json"]) == 0
    assert "LP002" not in capsys.readouterr().out


def test_lint_events_runs_the_activity_rules_with_the_others(project: Path, tmp_path: Path, capsys) -> None:
    trail = _events(tmp_path)
    assert main(["lint", "--format", "json"]) == 0
    plain = {f["rule_id"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert not any(rule.startswith("ACT") for rule in plain)
    assert main(["lint", "--events", str(trail), *SINCE, "--format", "json"]) == 0
    rules = {f["rule_id"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert plain < rules and {"ACT110", "ACT111"} <= rules
    assert main(["lint", "--policy", "policies/ims-read-only.yaml", "--events", str(trail)]) == 2
    assert "ACT032" in capsys.readouterr().err


def test_lint_activity_reads_the_store_and_plain_lint_never_needs_one(
    project: Path, tmp_path: Path, capsys
) -> None:
    trail = _events(tmp_path)
    assert main(["lint", "--activity", *SINCE]) == 2  # asked for, and nothing loaded
    assert "ACT020: no activity store" in capsys.readouterr().err
    assert main(["lint", "--format", "json"]) == 0  # not asked for: no store needed
    plain = json.loads(capsys.readouterr().out)["findings"]
    assert main(["activity", "load", str(trail)]) == 0
    capsys.readouterr()
    assert main(["lint", "--format", "json"]) == 0  # a store appeared: plain lint is unchanged
    assert json.loads(capsys.readouterr().out)["findings"] == plain
    assert main(["lint", "--events", str(trail), *SINCE, "--format", "json"]) == 0
    from_files = json.loads(capsys.readouterr().out)["findings"]
    assert main(["lint", "--activity", *SINCE, "--format", "json"]) == 0
    from_store = json.loads(capsys.readouterr().out)["findings"]
    assert from_store == from_files and {"ACT110", "ACT111"} <= {f["rule_id"] for f in from_store}
    db = project / ".ramstack" / "activity.sqlite"
    moved = tmp_path / "elsewhere.sqlite"
    db.rename(moved)
    assert main(["lint", "--db", str(moved), *SINCE, "--format", "json"]) == 0  # --db implies --activity
    assert json.loads(capsys.readouterr().out)["findings"] == from_files
    assert main(["lint", "--policy", "policies/ims-read-only.yaml", "--activity"]) == 2
    assert "ACT032" in capsys.readouterr().err


def test_relative_windows_count_back_from_the_clock(
    project: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ramstack import clock

    trail = _events(tmp_path)  # 2026-11-01
    argv = ["unused", "--events", str(trail), "--format", "json"]
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 1, tzinfo=UTC))
    assert main(argv) == 0
    assert "ACT031" not in capsys.readouterr().err  # 90 days back from December: November counts
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 3, 1, tzinfo=UTC))
    assert main(argv) == 0
    assert "ACT031: no event in the window since 90d" in capsys.readouterr().err  # 90 days from March
    assert main([*argv, "--since", "200d"]) == 0
    assert "ACT031" not in capsys.readouterr().err


def test_default_window_is_90_days_and_an_empty_window_is_said(project: Path, tmp_path: Path, capsys) -> None:
    old = datetime(2020, 1, 1, tzinfo=UTC)
    trail = _write_jsonl(tmp_path / "old.jsonl", seed_flow_events(50, start=old))
    assert main(["unused", "--events", str(trail), "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert "warning ACT031: no event in the window since 90d (50 read)" in captured.err
    subjects = {f["subject"] for f in json.loads(captured.out)["findings"] if f["rule_id"] == "ACT101"}
    assert subjects == {"role/ims-sts-role", "role/imm-task-role"}
    assert main(["unused"]) == 2
    assert "ACT020: no activity store" in capsys.readouterr().err  # no --events, nothing loaded


# -- generate-policy ----------------------------------------------------------------------------


def test_generate_policy_json_lists_lint_findings_as_lint_json_does(
    project: Path, tmp_path: Path, capsys
) -> None:
    _vod_project(project)
    events = list(vod_upload_events(5))
    attach = dict(
        events[-1], serviceName="Ram", eventSource="ram.aliyuncs.com", eventName="AttachPolicyToRole"
    )
    trail = _write_jsonl(tmp_path / "trail.jsonl", [*events, dict(attach, eventId="ATTACH-1")])
    args = ["generate-policy", "--principal", "role/vod-uploader", "--events", str(trail), *SINCE]
    assert main([*args, "--format", "json"]) == 0
    (found,) = json.loads(capsys.readouterr().out)["lint"]
    assert main(["lint", "--policy", "policies/vod-uploader-from-use.yaml", "--format", "json"]) in (0, 1)
    (linted,) = [f for f in json.loads(capsys.readouterr().out)["findings"] if f["rule_id"] == "LP204"]
    assert found == linted  # one JSON shape for a finding: "rule_id", a structured location
    assert found["rule_id"] == "LP204" and found["location"]["file"] == "policies/vod-uploader-from-use.yaml"


def test_generate_policy_suggests_the_principal_meant(project: Path, tmp_path: Path, capsys) -> None:
    trail = _events(tmp_path)
    for asked, fix in (
        ("role/ims-sts-rol", "did you mean role/ims-sts-role?"),
        ("user/ims-sts-role", "did you mean role/ims-sts-role?"),
        ("role/nope", "name a user or role of the stack: role/imm-task-role, role/ims-sts-role, user/alice"),
    ):
        assert main(["generate-policy", "--principal", asked, "--events", str(trail), *SINCE]) == 2
        err = capsys.readouterr().err
        assert f"error ACT003: {asked} is not declared in the spec (fix: {fix}" in err, err


def test_generate_policy_writes_the_spec_format_and_refuses_to_overwrite(
    project: Path, tmp_path: Path, capsys
) -> None:
    _vod_project(project)
    trail = _events(tmp_path)
    args = ["generate-policy", "--principal", "role/vod-uploader", "--events", str(trail), *SINCE]
    assert main([*args, "--stdout"]) == 0
    printed = capsys.readouterr().out
    assert not (project / "policies" / "vod-uploader-from-use.yaml").exists()
    assert printed.startswith("# Generated by `ramstack generate-policy --principal role/vod-uploader`")
    assert "  # oss: 1 action\n  - Effect: Allow\n" in printed and "  # vod: 1 action\n" in printed
    assert main([*args, "--diff", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["file"] == "policies/vod-uploader-from-use.yaml" and data["lint"] == []
    assert (project / data["file"]).read_text(encoding="utf-8") == printed
    (lost,) = data["would_remove"]
    assert (
        lost["action"] == "oss:*"
        and lost["used"] == ["oss:PutObject"]
        and "oss:DeleteBucket" in lost["unused"]
    )
    assert [s["Action"] for s in data["document"]["Statement"]] == [
        ["oss:PutObject"],
        ["vod:CreateUploadVideo"],
    ]
    assert main(args) == 2
    assert "ACT033" in capsys.readouterr().err
    assert main([*args, "--force"]) == 0
    # the written policy, attached in place of the FullAccess grant, keeps the stack valid
    spec = project / "access.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "system_policies: [AliyunOSSFullAccess]", "policies: [vod-uploader-from-use]"
        ),
        encoding="utf-8",
    )
    assert _spec(project).role_map["vod-uploader"].policies[0].name == "vod-uploader-from-use"
    capsys.readouterr()
    for bad, code in (("group/x", "ACT003"), ("role/nobody", "ACT003")):
        assert main(["generate-policy", "--principal", bad, "--events", str(trail)]) == 2
        assert code in capsys.readouterr().err


# -- diff --replay --------------------------------------------------------------------------------


def test_replay_in_every_diff_format_against_the_lock_file(project: Path, tmp_path: Path, capsys) -> None:
    trail = _events(tmp_path)
    assert main(["lock"]) == 0
    args = ["diff", "--replay", "--events", str(trail), *SINCE, "--fail-on-breakage"]
    assert main(args) == 0  # nothing changed: nothing breaks
    assert "0 would now be denied" in capsys.readouterr().out
    spec = project / "access.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("policies: [imm-doc-conversion]", "policies: []"),
        encoding="utf-8",
    )
    expected = {
        "text": "BREAKS role/imm-task-role: imm:ListProjects on acs:imm:cn-shanghai:1234567890123456:*",
        "markdown": "| `role/imm-task-role` | `imm:ListProjects` | `acs:imm:cn-shanghai:1234567890123456:*`",
        "html": "<td><code>role/imm-task-role</code></td><td><code>imm:ListProjects</code></td>",
        "github": "::error title=BREAKS RECORDED CALLS::role/imm-task-role: imm:ListProjects on",
        "json": '"action": "imm:ListProjects"',
    }
    for fmt, line in expected.items():
        assert main([*args, "--format", fmt]) == 1, fmt
        captured = capsys.readouterr()
        assert line in captured.out, fmt
        assert "replay: " in captured.err and "recorded calls would be denied" in captured.err
    assert main(["diff", "--fail-on-breakage"]) == 2
    assert "ACT032: --fail-on-breakage goes with --replay" in capsys.readouterr().err
    assert main(["diff", "--events", str(trail)]) == 2
    assert "ACT032" in capsys.readouterr().err


def test_a_call_only_a_documentless_system_policy_may_grant_is_undecided_not_a_breakage(
    project: Path, tmp_path: Path, capsys
) -> None:
    # imm-task-role trades its custom policy for a system policy the bundled catalog has no document
    # for: whether its recorded calls still work is unknown, so they are listed apart, never counted as
    # breakages, and --fail-on-breakage does not block on them (a false positive would block a deploy).
    trail = _events(tmp_path)
    assert main(["lock"]) == 0
    git_commit(project)
    spec = project / "access.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace(
            "    policies: [imm-doc-conversion]", "    system_policies: [AliyunECSFullAccess]"
        ),
        encoding="utf-8",
    )
    args = ["diff", "--replay", "--events", str(trail), *SINCE, "--fail-on-breakage"]
    assert main([*args, "--format", "json"]) == 0
    captured = capsys.readouterr()
    replayed = json.loads(captured.out)["replay"]
    assert replayed["breaks"] == [] and replayed["broken_calls"] == 0
    count = len(replayed["undecided"])
    assert f"recorded calls would be denied, {count} undecided." in captured.err
    undecided = {(c["principal"], c["action"]) for c in replayed["undecided"]}
    assert ("role/imm-task-role", "imm:ListProjects") in undecided
    assert {p for p, _ in undecided} == {"role/imm-task-role"}
    assert all(
        c["reason"].startswith("permissions unknown: no document for AliyunECSFullAccess")
        for c in replayed["undecided"]
    )
    expected = {
        "text": "undecided, permissions unknown (",
        "markdown": "| `role/imm-task-role` | `imm:ListProjects` | `acs:imm:cn-shanghai:1234567890123456:*`",
        "html": "recorded uses are undecided (not counted as breakage)",
        "github": "::warning title=RECORDED CALLS UNDECIDED::role/imm-task-role: imm:ListProjects on",
    }
    for fmt, line in expected.items():
        assert main([*args, "--format", fmt]) == 0, fmt
        out = capsys.readouterr().out
        assert line in out, fmt
        assert "BREAKS" not in out and "::error" not in out, fmt
    # the replay verb (against the spec at HEAD) says the same and does not fail
    assert main(["activity", "replay", "--events", str(trail), *SINCE]) == 0
    captured = capsys.readouterr()
    assert "undecided, permissions unknown (" in captured.out
    assert ", 0 would be denied (0 distinct), " in captured.err and " undecided." in captured.err


def test_replay_window_leaves_out_older_calls(
    project: Path, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ramstack import clock

    trail = _events(tmp_path)  # 2026-11-01
    assert main(["lock"]) == 0
    spec = project / "access.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("policies: [imm-doc-conversion]", "policies: []"),
        encoding="utf-8",
    )
    # the default window is 30 days back from the clock: these calls are in it, then older than it
    argv = ["diff", "--replay", "--events", str(trail), "--fail-on-breakage", "--format", "json"]
    for now, recent in (
        (datetime(2026, 11, 20, tzinfo=UTC), True),
        (datetime(2026, 12, 5, tzinfo=UTC), False),
    ):
        monkeypatch.setattr(clock, "now", lambda now=now: now)
        code = main(argv)
        data = json.loads(capsys.readouterr().out)["replay"]
        assert code == (1 if recent else 0) and bool(data["breaks"]) == recent, now


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_activity_alias_still_answers(project: Path, tmp_path: Path, capsys, fmt: str) -> None:
    trail = _events(tmp_path)
    assert main(["activity", "unused", "--events", str(trail), "--format", fmt]) == 0
    assert "role/ims-sts-role" in capsys.readouterr().out


def test_credentials_in_events_never_reach_the_new_verbs(project: Path, tmp_path: Path, capsys) -> None:
    secret = "Ss7sq2j0ZoJujZnmVgXcu6QT9eSECRET"
    events = list(seed_flow_events(60))
    for event in events:
        event["responseElements"] = {"Credentials": {"AccessKeySecret": secret, "SecurityToken": secret}}
    trail = _write_jsonl(tmp_path / "t.jsonl", events)
    assert main(["lock"]) == 0
    runs = [
        ["unused", "--format", "json"],
        ["unused", "--format", "sarif"],
        ["lint", "--format", "markdown"],
        ["generate-policy", "--principal", "user/ims-app", "--stdout"],
        ["generate-policy", "--principal", "role/ims-sts-role", "--diff", "--format", "json"],
        ["diff", "--replay", "--format", "html"],
    ]
    for argv in runs:
        main([*argv, "--events", str(trail), *SINCE])
        captured = capsys.readouterr()
        assert secret not in captured.out + captured.err, argv
    assert secret not in "".join(p.read_text(encoding="utf-8") for p in (project / "policies").glob("*.yaml"))


def test_many_addresses_of_one_network_become_its_range() -> None:
    from ramstack.activity.generate import stable_ranges

    few = {"203.0.113.10", "198.51.100.7"}
    assert stable_ranges(few) == ["198.51.100.7", "203.0.113.10"]
    many = {f"203.0.113.{n}" for n in range(1, 40)} | {f"198.51.100.{n}" for n in range(1, 5)}
    assert stable_ranges(many) == ["198.51.100.0/24", "203.0.113.0/24"]
    scattered = {f"10.{n}.0.1" for n in range(20)}
    assert stable_ranges(scattered) is None


def test_generate_policy_output_forms(project: Path, tmp_path: Path, capsys) -> None:
    trail = _events(tmp_path)
    args = ["generate-policy", "--principal", "role/imm-task-role", "--events", str(trail), *SINCE]
    as_json = tmp_path / "out" / "imm.json"
    assert main([*args, "--output", str(as_json)]) == 0
    assert json.loads(as_json.read_text(encoding="utf-8"))["Statement"][0]["Action"] == ["imm:ListProjects"]
    assert main([*args, "--output", str(tmp_path / "imm.txt")]) == 2
    assert "ACT003: --output" in capsys.readouterr().err
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    assert main([*args, "--output", str(folder), "--force"]) == 2  # written atomically, or not at all
    assert "IO010" in capsys.readouterr().err and folder.is_dir()


def test_published_samples_through_the_new_verbs(project: Path, tmp_path: Path, capsys) -> None:
    """Alibaba's sample events (several not valid JSON as published) are read or reported, located,
    by every verb that reads events; none stops on them."""

    path = tmp_path / "samples.json"
    path.write_text(samples_as_array(), encoding="utf-8")
    assert main(["lock"]) == 0
    capsys.readouterr()
    for argv in (["unused"], ["lint"], ["diff", "--replay"]):
        assert main([*argv, "--events", str(path), "--since", "2000-01-01"]) == 0, argv
        err = capsys.readouterr().err
        assert err.count("warning ACT001") == 7 and "Traceback" not in err
    assert main(["unused", "--events", str(path), "--since", "2000-01-01", "--strict"]) == 2
    assert f"{path}:13:" in capsys.readouterr().err


def test_the_store_is_the_default_source_of_the_new_verbs(project: Path, tmp_path: Path, capsys) -> None:
    trail = _events(tmp_path)
    assert main(["lock"]) == 0
    assert main(["activity", "load", str(trail)]) == 0
    capsys.readouterr()
    for argv in (["unused", "--format", "json"], ["diff", "--replay", "--format", "json"]):
        assert main([*argv, "--events", str(trail), *SINCE]) == 0
        from_files = json.loads(capsys.readouterr().out)
        assert main([*argv, *SINCE]) == 0
        assert json.loads(capsys.readouterr().out) == from_files, argv
    args = ["generate-policy", "--principal", "role/imm-task-role", "--stdout", *SINCE]
    assert main([*args, "--events", str(trail)]) == 0
    from_files_text = capsys.readouterr().out
    assert main(args) == 0
    assert capsys.readouterr().out == from_files_text

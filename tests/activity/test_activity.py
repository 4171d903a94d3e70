"""Activity from ActionTrail events: reading, mapping, unused access, generated policies, replay."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from ramstack.activity.calls import map_event
from ramstack.activity.generate import generate_policy
from ramstack.activity.log import ActivityLog, load_activity
from ramstack.activity.reader import CHUNK_CHARS, read_events
from ramstack.activity.replay import replay
from ramstack.activity.synthetic import seed_flow_events, vod_upload_events
from ramstack.activity.unused import unused_access
from ramstack.cli import main
from ramstack.diagnostics import Diagnostics, Location
from ramstack.effective.compute import compute_effective
from ramstack.evaluate.compile import NamedPolicy
from ramstack.evaluate.evaluator import PolicySet
from ramstack.evaluate.request import Request
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec
from ramstack.spec.model import Spec
from tests.activity.conftest import actiontrail_samples, git_commit, samples_as_array

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "1234567890123456"


def _spec(project: Path) -> Spec:
    diags = Diagnostics()
    config = load_stack_config(project, "dev", diags)
    assert config is not None
    spec = load_spec(config, diags)
    assert spec is not None, diags.items
    return spec


def _write_jsonl(path: Path, events: object) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")  # type: ignore[attr-defined]
    return path


# -- reading ----------------------------------------------------------------------------------


def test_published_samples_parse_or_are_reported_at_their_line(tmp_path: Path) -> None:
    text = samples_as_array()
    path = tmp_path / "samples.json"
    path.write_text(text, encoding="utf-8")
    diags = Diagnostics()
    events = list(read_events([path], diags))
    complete_valid = [s for s in actiontrail_samples()["samples"] if s["valid_json"] and s["complete"]]
    assert {e.data.get("eventId") or e.data.get("EventId") for e in events} == {
        json.loads(s["raw"]).get("eventId") or json.loads(s["raw"]).get("EventId") for s in complete_valid
    }
    # each invalid sample costs a located warning (never an exception), the first one at its trailing comma
    assert all(d.code == "ACT001" and d.level == "warning" for d in diags)
    assert diags.sorted()[0].location.line == 13
    # six invalid or cut events, then the three bare `"userIdentity": {...}` fragments: one warning
    assert len(diags.items) == 7


def test_samples_map_to_their_annotated_action_and_principal() -> None:
    by_id = {s["id"]: s for s in actiontrail_samples()["samples"]}
    loc = Location("x")
    for sample_id, action, principal in [
        ("ram-CreateGroup-cli-ram-user", "ram:CreateGroup", "user/Alice"),
        ("ecs-DescribeInstances-ram-user", "ecs:DescribeInstances", "user/alice"),
        ("oss-PutBucket-console-root", "oss:PutBucket", "root-account/189217171671****"),
        ("resourcemanager-CreateResourceGroup-root", "resourcemanager:CreateResourceGroup", None),
    ]:
        call = map_event(json.loads(by_id[sample_id]["raw"]), loc)
        assert call.actions == (action,)
        if principal:
            assert call.principal == principal
    create_group = map_event(json.loads(by_id["ram-CreateGroup-cli-ram-user"]["raw"]), loc)
    assert create_group.resource == "acs:ram:*:43274:group/grp1"
    assert create_group.access_key == "f6IzzFZMmzNwEI4d"
    console = map_event(json.loads(by_id["oss-ListUserRegions-consoleoperation-assumed-role"]["raw"]), loc)
    assert console.principal == "role/GLOCHNALI-Cloud-Contributor" and console.actions == ()
    assert console.reason and "not an API that RAM authorises" in console.reason
    pascal = map_event(json.loads(by_id["realtimecompute-AppendVSwitchId-root-PascalCase"]["raw"]), loc)
    assert pascal.principal == "root-account/1187xxxxxxxx4544" and pascal.event_name == "AppendVSwitchId"


def test_gzip_jsonl_and_one_line_arrays_across_chunk_boundaries(tmp_path: Path) -> None:
    events = list(seed_flow_events(3000))
    assert sum(len(json.dumps(e)) for e in events) > 4 * CHUNK_CHARS
    (tmp_path / "d").mkdir()
    with gzip.open(tmp_path / "d" / "Actiontrail_cn-shanghai_1.gz", "wt", encoding="utf-8") as out:
        out.write(json.dumps(events[:1500]))  # one line, one array
    _write_jsonl(tmp_path / "d" / "rest.jsonl", events[1500:])
    diags = Diagnostics()
    read = [e.data["eventId"] for e in read_events([tmp_path / "d"], diags)]
    assert read == [e["eventId"] for e in events] and not diags.items


def test_malformed_lines_are_located_and_reading_resumes(tmp_path: Path) -> None:
    good = list(seed_flow_events(3))
    lines = [
        json.dumps(good[0]),
        '{"eventName": "x",',
        "[[[" * 10,
        json.dumps(good[1]),
        '{"n": NaN}',
        json.dumps(good[2]),
    ]
    path = tmp_path / "e.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    diags = Diagnostics()
    read = [e.data["eventId"] for e in read_events([path], diags)]
    assert read == [e["eventId"] for e in good]
    # the cut event of line 2 breaks where line 3 begins: reported there, naming where it started
    assert sorted(d.location.line for d in diags) == [3, 5]
    assert "starts at line 2" in diags.sorted()[0].message


def test_missing_path_is_an_error_and_strict_fails_on_malformed(
    project: Path, tmp_path: Path, capsys
) -> None:
    assert main(["activity", "load", "--events", str(tmp_path / "nope")]) == 2
    assert "ACT002" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    assert main(["activity", "load", "--events", str(bad), "--strict"]) == 2
    assert f"{bad}:1:2: error ACT001" in capsys.readouterr().err
    assert main(["activity", "load", "--events", str(bad)]) == 2  # no valid event in it: said, not stored
    err = capsys.readouterr().err
    assert f"{bad}:1:2: warning ACT001" in err and f"error ACT005: no event could be read from {bad}" in err
    assert not (project / ".ramstack" / "activity.sqlite").exists()
    empty = tmp_path / "empty.json"
    empty.write_text("[]\n", encoding="utf-8")
    good = _write_jsonl(tmp_path / "good.jsonl", seed_flow_events(5))
    assert main(["activity", "load", str(empty), str(good)]) == 0  # an empty file is a warning
    assert f"warning ACT006: {empty} holds no event" in capsys.readouterr().err


# -- the seed flows -----------------------------------------------------------------------------


def _vod_project(project: Path) -> Path:
    spec = (project / "access.yaml").read_text(encoding="utf-8")
    spec += (
        "  vod-uploader:\n    description: VOD upload sessions\n    trust:\n      users: [ims-app]\n"
        "    system_policies: [AliyunOSSFullAccess]\n"
    )
    (project / "access.yaml").write_text(spec, encoding="utf-8")
    return project


def _log(spec: Spec, tmp_path: Path, *events: object) -> ActivityLog:
    path = _write_jsonl(tmp_path / "events.jsonl", [e for batch in events for e in batch])  # type: ignore[attr-defined]
    diags = Diagnostics()
    log = load_activity([path], diags, account_id=spec.account_id)
    assert not diags.items
    return log


def test_unused_full_access_of_a_role_and_never_assumed_roles(project: Path, tmp_path: Path) -> None:
    spec = _spec(_vod_project(project))
    log = _log(spec, tmp_path, vod_upload_events(40))
    report = {p.subject: p for p in unused_access(spec, log).principals}
    (oss,) = report["role/vod-uploader"].grants
    assert oss.action == "oss:*" and oss.used == ("oss:PutObject",)
    assert "oss:DeleteBucket" in oss.unused and "oss:PutObject" not in oss.unused
    assert ("ACT101", "role ims-sts-role was never assumed in the window") in report[
        "role/ims-sts-role"
    ].findings
    assert not any(code == "ACT101" for code, _ in report["role/vod-uploader"].findings)
    assert ("ACT102", "user ims-app's AccessKey was never used in the window") in report[
        "user/ims-app"
    ].findings
    assert any(code == "ACT103" for code, _ in report["user/alice"].findings)


def test_activity_rules_share_one_grant_usage_per_lint_run(
    project: Path, tmp_path: Path, monkeypatch
) -> None:
    import ramstack.activity.unused as unused
    from ramstack.lint.registry import ACTIVITY_RULES
    from ramstack.lint.runner import lint_spec

    spec = _spec(_vod_project(project))
    log = _log(spec, tmp_path, vod_upload_events(40))
    calls: list[int] = []
    real = unused.grant_usages

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(unused, "grant_usages", counted)
    rules = {f.rule_id for f in lint_spec(spec, rules=ACTIVITY_RULES, activity=log).findings}
    assert {"ACT110", "ACT111"} <= rules
    assert len(calls) == 1  # ACT110 and ACT111 both read it: computed once, on the lint context
    lint_spec(spec, rules=ACTIVITY_RULES, activity=log)
    assert len(calls) == 2  # a new run, a new context: nothing kept between runs


def test_unused_access_reports_what_the_credential_rules_find(project: Path, tmp_path: Path) -> None:
    from ramstack.lint.registry import ACTIVITY_RULES
    from ramstack.lint.runner import lint_spec

    spec = _spec(_vod_project(project))
    log = _log(spec, tmp_path, vod_upload_events(40))
    report = unused_access(spec, log)
    reported = {(code, p.subject, message) for p in report.principals for code, message in p.findings}
    linted = {
        (f.rule_id, f.subject, f.message)
        for f in lint_spec(spec, rules=ACTIVITY_RULES, activity=log).findings
        if f.rule_id in ("ACT101", "ACT102", "ACT103")
    }
    assert reported == linted and {code for code, _, _ in reported} == {"ACT101", "ACT102", "ACT103"}


def test_generated_policy_allows_exactly_the_recorded_calls(project: Path, tmp_path: Path) -> None:
    spec = _spec(_vod_project(project))
    log = _log(spec, tmp_path, seed_flow_events(500), vod_upload_events(40))
    for subject in ("role/vod-uploader", "role/ims-sts-role", "user/alice"):
        generated = generate_policy(log, subject)
        assert generated is not None
        policies = PolicySet([NamedPolicy("generated", generated.document, "custom")])
        for (_, action, resource, context), _use in log.of(subject):
            request = Request.of(action, resource, dict(context))
            assert policies.is_allowed(request), (subject, action, resource)
        assert not policies.is_allowed(Request("oss:DeleteBucket", f"acs:oss:*:{ACCOUNT}:vod-uploads"))
    # every session of ims-sts-role called from the application's address: the policy keeps to it
    sts = generate_policy(log, "role/ims-sts-role")
    assert sts is not None
    ice = PolicySet([NamedPolicy("g", sts.document, "custom")])
    target = f"acs:ice:cn-shanghai:{ACCOUNT}:*"
    assert ice.is_allowed(Request.of("ice:GetMediaInfo", target, {"acs:SourceIp": "203.0.113.10"}))
    assert not ice.is_allowed(Request.of("ice:GetMediaInfo", target, {"acs:SourceIp": "192.0.2.1"}))
    assert not ice.is_allowed(Request.of("ice:GetEditingProject", target, {"acs:SourceIp": "203.0.113.10"}))
    vod = generate_policy(log, "role/vod-uploader")
    assert vod is not None
    puts = [s for s in vod.document.statements if "oss:PutObject" in s.actions]
    assert puts and all(
        r.startswith(f"acs:oss:*:{ACCOUNT}:vod-uploads/videos/") for r in puts[0].resources or ()
    )
    # objects never written stay denied
    other = f"acs:oss:*:{ACCOUNT}:vod-uploads/other.mp4"
    assert not PolicySet([NamedPolicy("g", vod.document, "custom")]).is_allowed(
        Request("oss:PutObject", other)
    )


def test_replay_flags_exactly_the_calls_a_narrowing_denies(project: Path, tmp_path: Path) -> None:
    base = _spec(project)
    log = _log(base, tmp_path, seed_flow_events(600))
    assert replay(log, base, base).breaks == ()
    policy = project / "policies" / "ims-read-only.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace("      - ice:GetMediaInfo\n", ""), encoding="utf-8"
    )
    result = replay(log, base, _spec(project))
    recorded = sum(
        u.count for (s, a, _, _), u in log.uses.items() if (s, a) == ("role/ims-sts-role", "ice:GetMediaInfo")
    )
    assert {(b.principal, b.action) for b in result.breaks} == {("role/ims-sts-role", "ice:GetMediaInfo")}
    assert result.broken_calls == recorded > 0


def test_replay_cli_is_a_gate_against_the_base_ref(project: Path, tmp_path: Path, capsys) -> None:
    events = _write_jsonl(tmp_path / "events.jsonl", seed_flow_events(300))
    git_commit(project)
    assert main(["activity", "replay", "--events", str(events)]) == 0
    capsys.readouterr()
    spec = project / "access.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("policies: [imm-doc-conversion]", "policies: []")
    )
    assert main(["activity", "replay", "--events", str(events), "--format", "markdown"]) == 1
    out = capsys.readouterr().out
    assert "| `role/imm-task-role` | `imm:ListProjects` |" in out
    assert main(["activity", "replay", "--events", str(events), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert {(b["principal"], b["action"]) for b in data["breaks"]} == {
        ("role/imm-task-role", "imm:ListProjects")
    }


def test_window_and_generate_cli(project: Path, tmp_path: Path, capsys) -> None:
    events = _write_jsonl(tmp_path / "events.jsonl", seed_flow_events(300))
    out_file = tmp_path / "out" / "policy.json"
    args = ["activity", "generate", "--events", str(events), "--principal", "role/imm-task-role"]
    assert main([*args, "--output", str(out_file)]) == 0
    assert json.loads(out_file.read_text())["Statement"][0]["Action"] == ["imm:ListProjects"]
    capsys.readouterr()
    for subject in ("user/ims-app", "role/ims-sts-role", "role/imm-task-role"):
        written = tmp_path / "out" / f"{subject.replace('/', '-')}.json"
        assert (
            main(
                [
                    "activity",
                    "generate",
                    "--events",
                    str(events),
                    "--principal",
                    subject,
                    "--output",
                    str(written),
                ]
            )
            == 0
        )
        assert main(["lint", "--policy", str(written)]) == 0  # the generated policy lints clean
        captured = capsys.readouterr()
        assert "no findings" in captured.err and "LP" not in captured.out + captured.err
    assert main([*args, "--since", "2030-01-01"]) == 2
    assert "ACT004" in capsys.readouterr().err
    assert main([*args, "--since", "yesterday"]) == 2
    assert "ACT003" in capsys.readouterr().err


def test_credentials_in_events_never_reach_any_output(project: Path, tmp_path: Path, capsys) -> None:
    secret = "Ss7sq2j0ZoJujZnmVgXcu6QT9eSECRET"
    events = list(seed_flow_events(40))
    for event in events:
        if event["eventName"] == "AssumeRole":
            event["responseElements"] = {"Credentials": {"AccessKeySecret": secret, "SecurityToken": secret}}
    path = _write_jsonl(tmp_path / "events.jsonl", events)
    with path.open("a", encoding="utf-8") as out:  # a malformed event carrying the secret too
        out.write('{"responseElements": {"AccessKeySecret": "' + secret + '"}, oops\n')
    for verb in (["load"], ["unused"], ["replay"], ["generate", "--principal", "user/ims-app"]):
        for fmt in ("text", "json"):
            main(["activity", *verb, "--events", str(path), "--format", fmt])
            captured = capsys.readouterr()
            assert secret not in captured.out + captured.err


def test_generate_diff_shows_what_a_full_access_grant_would_lose(
    project: Path, tmp_path: Path, capsys
) -> None:
    events = _write_jsonl(tmp_path / "events.jsonl", vod_upload_events(20))
    _vod_project(project)
    args = ["activity", "generate", "--events", str(events), "--principal", "role/vod-uploader", "--diff"]
    assert main([*args, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    (lost,) = data["would_remove"][0]["unused_grants"]
    assert (
        lost["action"] == "oss:*"
        and lost["used"] == ["oss:PutObject"]
        and "oss:DeleteBucket" in lost["unused"]
    )
    assert any("oss:PutObject" in s["Action"] for s in data["document"]["Statement"])


def test_unused_as_sarif_findings_located_at_the_principal(project: Path, tmp_path: Path, capsys) -> None:
    events = _write_jsonl(tmp_path / "events.jsonl", vod_upload_events(20))
    _vod_project(project)
    assert main(["activity", "unused", "--events", str(events), "--format", "sarif", "--exit-code"]) == 1
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    by_rule = {(r["ruleId"], r["properties"]["subject"]): r for r in results}
    oss = by_rule[("ACT110", "role/vod-uploader")]
    assert oss["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "access.yaml"
    assert by_rule[("ACT102", "user/ims-app")]["properties"]["severity"] == "medium"
    assert ("ACT101", "role/vod-uploader") not in by_rule and ("ACT101", "role/ims-sts-role") in by_rule


def test_unused_as_sarif_reads_the_stack_config_once(
    project: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    import ramstack.commands.common as common
    import ramstack.spec.config as config

    events = _write_jsonl(tmp_path / "events.jsonl", vod_upload_events(20))
    _vod_project(project)
    loads: list[str] = []
    real = config.load_stack_config

    def counted(*args: object, **kwargs: object) -> object:
        loads.append(str(args[1]))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(config, "load_stack_config", counted)
    monkeypatch.setattr(common, "load_stack_config", counted)
    assert main(["activity", "unused", "--events", str(events), "--format", "sarif"]) == 0
    assert json.loads(capsys.readouterr().out)["runs"][0]["results"]
    assert loads == ["dev"]  # the config load_stack read is the one the SARIF findings use


def test_replay_flags_assume_role_calls_a_trust_narrowing_denies(project: Path, tmp_path: Path) -> None:
    base = _spec(project)
    log = _log(base, tmp_path, seed_flow_events(300))
    spec = project / "access.yaml"
    text = spec.read_text(encoding="utf-8")
    # imm-task-role now requires MFA of the principals it trusts: the application has none
    head, _, tail = text.partition("  imm-task-role:")
    tail = tail.replace("users: [ims-app]", "users: [ims-app]\n      require_mfa: true", 1)
    spec.write_text(head + "  imm-task-role:" + tail, encoding="utf-8")
    result = replay(log, base, _spec(project))
    target = f"acs:ram::{ACCOUNT}:role/imm-task-role"
    assert {(b.principal, b.action, b.resource) for b in result.breaks} == {
        ("user/ims-app", "sts:AssumeRole", target)
    }
    assert "trust" in result.breaks[0].reason


def test_replay_says_permissions_unknown_where_a_system_policy_lacks_its_document(
    project: Path, tmp_path: Path
) -> None:
    # imm-task-role's calls are granted only through a system policy the bundled catalog has no document
    # for: neither the lock nor the spec can tell, and the replay must say so, not "not granted".
    spec_file = project / "access.yaml"
    spec_file.write_text(
        spec_file.read_text(encoding="utf-8").replace(
            "    policies: [imm-doc-conversion]", "    system_policies: [AliyunECSFullAccess]"
        ),
        encoding="utf-8",
    )
    spec = _spec(project)
    log = _log(spec, tmp_path, seed_flow_events(300))
    lock = compute_effective(spec)
    for base in (lock, spec):
        result = replay(log, base, spec)
        reasons = {c.reason for c in result.unexplained if c.principal == "role/imm-task-role"}
        assert reasons == {
            "permissions unknown: no document for AliyunECSFullAccess in the bundled catalog, "
            "so what it grants was not evaluated (ramstack catalog AliyunECSFullAccess)"
        }
        # a principal with every document known still says what the lock or spec lacks
        assert all(
            "permissions unknown" not in c.reason
            for c in result.unexplained
            if c.principal != "role/imm-task-role"
        )

"""Snapshot tests of each verb's text output on the dev stack and the examples: the command line,
exit code, stdout and stderr of each, against tests/snapshots/golden/<case>.txt (regenerate with
`pytest tests/snapshots --update-snapshots`, then review `git diff`). Output is captured, not a
terminal, so every layout is the fixed 100 columns of ui.layout; temporary paths read <tmp>.

The live verbs are covered through their report functions over the fake cloud (import, drift);
serve, assume and verify print a port or credentials of the run and are tested in tests/live."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from ramstack.activity.synthetic import seed_flow_events
from ramstack.cli import main
from tests.conftest import ROOT, copy_root_project
from tests.snapshots.golden import Golden, transcript

RISKY = """\
users:
  bob:
    console_login: {mfa_required: false}
    access_key: true
    system_policies: [AliyunRAMFullAccess]
"""
WINDOW = ["--since", "2026-11-01", "--until", "2026-12-01"]


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the dev stack as the working directory, with ActionTrail events of its flows."""
    folder = tmp_path / "dev"
    folder.mkdir()
    copy_root_project(folder)
    events = tmp_path / "events.jsonl"
    events.write_text("".join(json.dumps(e) + "\n" for e in seed_flow_events(200)), encoding="utf-8")
    monkeypatch.chdir(folder)
    return folder


def _run(argv: list[str], capsys: pytest.CaptureFixture[str], tmp: Path) -> str:
    try:
        code = main(argv)
    except SystemExit as exc:  # usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    text = transcript(argv, code, captured.out, captured.err)
    # relative paths only: a temporary folder's name would move where long lines fold
    assert str(tmp) not in text, text
    return text


def _old_lock(folder: Path) -> None:
    """A lock file from before alice existed and before ims-app could assume imm-task-role."""
    data = json.loads((folder / "permissions.dev.lock.json").read_text())
    del data["principals"]["user/alice"]
    (folder / "old.lock.json").write_text(json.dumps(data))


def _requests(folder: Path) -> None:
    lines = [
        {
            "principal": "user/ims-app",
            "action": "sts:AssumeRole",
            "resource": "acs:ram::1234567890123456:role/ims-sts-role",
        },
        {"principal": "user/alice", "action": "ice:GetMediaInfo", "resource": "*"},
        {"principal": "user/alice", "action": "ram:CreateUser", "resource": "*"},
    ]
    (folder / "requests.jsonl").write_text("".join(json.dumps(r) + "\n" for r in lines))


def _git(folder: Path) -> None:
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q"], cwd=folder, check=True)
    subprocess.run(["git", "add", "."], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-qm", "base"], cwd=folder, check=True)
    policy = folder / "policies" / "ims-read-only.yaml"  # the change under review: narrower IMS reads
    policy.write_text(policy.read_text().replace("      - ice:GetMediaInfo\n", ""))


def _risky(folder: Path) -> None:
    (folder / "risky").mkdir()
    (folder / "risky" / "Pulumi.test.yaml").write_text(
        'config:\n  alicloud:region: cn-hangzhou\n  ramstack:accountId: "1234567890123456"\n'
        "  ramstack:spec: access.yaml\n"
    )
    (folder / "risky" / "access.yaml").write_text(RISKY)


def _examples(folder: Path) -> None:
    shutil.copytree(ROOT / "examples", folder / "examples")


EVENTS = "../events.jsonl"
Setup = Callable[[Path], None] | None
CASES: dict[str, tuple[list[str], Setup]] = {
    "usage-verb": (["lnt"], None),
    "usage-option": (["lint", "--formt", "json"], None),
    "usage-subverb": (["activity", "unsed"], None),
    "validate": (["validate"], None),
    "validate-missing-stack": (["validate", "--stack", "staging"], None),
    "validate-github": (["validate", "--format", "github"], None),
    "check-policy": (["check-policy", "policies"], None),
    "schema-output": (["schema", "--output", "schema-out"], None),
    "plan": (["plan"], None),
    "plan-quiet": (["plan", "--quiet"], None),
    "plan-example-iot": (["plan", "-C", "examples/iot-cross-account", "--stack", "example"], _examples),
    "lint-example-vod": (["lint", "-C", "examples/vod-upload", "--stack", "example"], _examples),
    "lock-check": (["lock", "--check"], None),
    "diff": (["diff"], None),
    "diff-changes": (["diff", "--against", "old.lock.json"], _old_lock),
    "diff-github": (["diff", "--against", "old.lock.json", "--format", "github"], _old_lock),
    "graph": (["graph"], None),
    "simulate": (
        [
            "simulate",
            "--principal",
            "user/ims-app",
            "--assume",
            "role/ims-sts-role",
            "--action",
            "ice:GetMediaInfo",
            "--resource",
            "*",
            "--context",
            "acs:SourceIp=203.0.113.10",
        ],
        None,
    ),
    "simulate-requests": (["simulate", "--requests", "requests.jsonl"], _requests),
    "lint": (["lint"], None),
    "lint-findings": (["lint", "-C", "risky", "--stack", "test"], _risky),
    "lint-github": (["lint", "-C", "risky", "--stack", "test", "--format", "github"], _risky),
    "rules": (["rules"], None),
    "rules-explain": (["rules", "LP204"], None),
    "rules-unknown": (["rules", "LP2O4"], None),
    "catalog": (["catalog"], None),
    "catalog-action": (["catalog", "oss:GetObjectVersion"], None),
    "catalog-policy": (["catalog", "AliyunOSSReadOnlyAccess"], None),
    "catalog-typo": (["catalog", "AliyunOSSReadOnlyAcess"], None),
    "init-list": (["init", "--list"], None),
    "completion": (["completion", "fish"], None),
    "init": (["init", "--template", "ims-sts", "--account-id", "5012345678901234", "new-project"], None),
    "activity-load": (["activity", "load", "--events", EVENTS, *WINDOW], None),
    "activity-unused": (["activity", "unused", "--events", EVENTS, *WINDOW], None),
    "activity-generate": (
        ["activity", "generate", "--events", EVENTS, *WINDOW, "--principal", "role/ims-sts-role", "--diff"],
        None,
    ),
    "activity-replay": (["activity", "replay", "--events", EVENTS, *WINDOW], _git),
    "unused": (["unused", "--events", EVENTS, *WINDOW], None),
    "generate-policy": (
        ["generate-policy", "--events", EVENTS, *WINDOW, "--principal", "role/ims-sts-role", "--stdout"],
        None,
    ),
    "diff-replay": (["diff", "--replay", "--events", EVENTS, *WINDOW, "--base-ref", "HEAD"], _git),
    "lint-events": (["lint", "--events", EVENTS, *WINDOW], None),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_verb_output(case: str, dev: Path, tmp_path: Path, capsys, snapshot: Golden) -> None:
    argv, setup = CASES[case]
    if setup is not None:
        setup(dev)
    snapshot(case, _run(argv, capsys, tmp_path))


def test_import_and_drift(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, snapshot: Golden) -> None:
    from ramstack.account.transport import FakeCloudTransport
    from ramstack.commands.drift import report
    from ramstack.commands.import_account import import_account
    from tests.account.conftest import ACCOUNT, console_account
    from tests.account.test_drift import deployed_dev_stack

    monkeypatch.chdir(tmp_path)  # relative paths: the layout does not depend on where tmp_path is
    out = Path("adopted")
    code = import_account(
        FakeCloudTransport(console_account()), out, "dev", "cn-hangzhou", account_id=ACCOUNT
    )
    captured = capsys.readouterr()
    text = transcript(
        ["import", "--out", "adopted", "--region", "cn-hangzhou"], code, captured.out, captured.err
    )
    assert str(tmp_path) not in text, text
    snapshot("import", text)

    monkeypatch.chdir(ROOT)
    cloud, spec = deployed_dev_stack()
    cloud.call(
        "ram",
        "AttachPolicyToUser",
        {"UserName": "alice", "PolicyType": "System", "PolicyName": "AdministratorAccess"},
    )
    cloud.call("ram", "CreateUser", {"UserName": "mallory"})
    code = report(FakeCloudTransport(cloud), spec, "dev", "text")
    captured = capsys.readouterr()
    snapshot("drift", transcript(["drift"], code, captured.out, captured.err))


def test_every_verb_has_a_snapshot() -> None:
    from ramstack.cli import VERBS

    covered = {argv[0] for argv, _ in CASES.values()} | {"import", "drift"}
    live_only = {"serve", "assume", "verify"}  # a port or credentials of the run: tests/live
    assert set(VERBS) - live_only <= covered, set(VERBS) - live_only - covered


def test_a_changed_output_fails_and_update_rewrites(tmp_path: Path) -> None:
    Golden(tmp_path, update=True)("case", "one\n")
    assert (tmp_path / "case.txt").read_text() == "one\n"
    Golden(tmp_path)("case", "one\n")
    with pytest.raises(pytest.fail.Exception, match=r"(?s)differs.*-one\n\+two"):
        Golden(tmp_path)("case", "two\n")
    with pytest.raises(pytest.fail.Exception, match="--update-snapshots"):
        Golden(tmp_path)("missing", "x")
    Golden(tmp_path, update=True)("case", "two\n")
    assert (tmp_path / "case.txt").read_text() == "two\n"


NO_SUMMARY = {"plan-quiet", "rules-explain", "rules-unknown", "validate-missing-stack"}
QUIETABLE = sorted(c for c in CASES if not c.startswith("usage-") and c not in NO_SUMMARY)


@pytest.mark.parametrize("case", QUIETABLE)
def test_quiet_drops_the_summary_line_only(case: str, dev: Path, tmp_path: Path, capsys) -> None:
    argv, setup = CASES[case]
    if setup is not None:
        setup(dev)
    if case == "init":
        argv = [*argv[:-1], "quiet-project"]
    loud = _run(argv, capsys, tmp_path)
    if case == "init":
        shutil.rmtree(dev / "quiet-project")
    summary = loud.rstrip("\n").rsplit("\n", 1)[-1]
    assert loud.split("--- stderr\n")[1].rstrip("\n").endswith(summary)
    quiet = _run(["--quiet", *argv], capsys, tmp_path)
    assert summary not in quiet.split("--- stderr\n")[1], case
    if case == "activity-load":  # the second load finds its events already in the project's store
        return
    assert (
        quiet.split("--- stdout\n")[1].split("--- stderr\n")[0]
        == loud.split("--- stdout\n")[1].split("--- stderr\n")[0]
    )

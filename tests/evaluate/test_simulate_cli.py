"""`ramstack simulate`: stack, policy-file and batch modes; JSON and text output; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ramstack.cli import main

from ._helpers import ACCOUNT, REPO_ROOT, SPEC, STACK_FILE

ICE = f"acs:ice:*:{ACCOUNT}:*"


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    (tmp_path / "Pulumi.test.yaml").write_text(STACK_FILE)
    (tmp_path / "access.yaml").write_text(SPEC)
    (tmp_path / "session.json").write_text(
        '{"Version": "1", "Statement": [{"Action": "vod:CreateUploadVideo", "Resource": "*",'
        ' "Effect": "Allow"}]}'
    )
    return tmp_path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["simulate", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_stack_mode_json_user_cannot_call_ice_directly(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "-C",
            str(REPO_ROOT),
            "--stack",
            "dev",
            "--principal",
            "user/ims-app",
            "--action",
            "ice:GetMediaInfo",
            "--resource",
            ICE,
            "--context",
            "acs:SourceIp=203.0.113.10",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    result = json.loads(out)
    assert result["decision"] == "ImplicitDeny"
    assert result["matched"] == []
    assert result["principal"] == "user/ims-app"
    assert result["request"] == {
        "action": "ice:GetMediaInfo",
        "resource": ICE,
        "context": {"acs:SourceIp": ["203.0.113.10"]},
    }


def test_stack_mode_assume_then_act(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "-C",
            str(REPO_ROOT),
            "--stack",
            "dev",
            "--principal",
            "user/ims-app",
            "--assume",
            "role/ims-sts-role",
            "--action",
            "ice:GetMediaInfo",
            "--resource",
            ICE,
            "--context",
            "acs:SourceIp=203.0.113.10",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    result = json.loads(out)
    assert result["assume"]["decision"] == "Allow"
    assert result["assume"]["failed"] == []
    assert result["decision"] == "Allow"
    assert [(m["policy"], m["statement"], m["effect"]) for m in result["matched"]] == [
        ("ims-read-only", 0, "Allow")
    ]
    assert result["matched"][0]["file"] == "policies/ims-read-only.yaml"


def test_stack_mode_text_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        [
            "-C",
            str(REPO_ROOT),
            "--stack",
            "dev",
            "--principal",
            "user/ims-app",
            "--assume",
            "ims-sts-role",
            "--action",
            "ice:GetMediaInfo",
            "--resource",
            ICE,
        ],
        capsys,
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("assume acs:ram::1234567890123456:role/ims-sts-role as user/ims-app: Allow")
    assert any(line.startswith("ImplicitDeny: ice:GetMediaInfo on") for line in lines)
    assert "acs:SourceIp absent from the request context" in " ".join(out.split())  # folded at 100


@pytest.mark.parametrize(
    ("principal", "failed", "decision"),
    [("user/lurker", ["identity"], "ImplicitDeny"), ("user/roamer", ["trust"], "ImplicitDeny")],
)
def test_stack_mode_assume_failure_says_which_side(
    stack: Path, capsys: pytest.CaptureFixture[str], principal: str, failed: list, decision: str
) -> None:
    code, out, _ = run(
        [
            "-C",
            str(stack),
            "--stack",
            "test",
            "--principal",
            principal,
            "--assume",
            "role/vod-upload-role",
            "--action",
            "vod:CreateUploadVideo",
            "--resource",
            "*",
            "-f",
            "json",
        ],
        capsys,
    )
    result = json.loads(out)
    assert code == 0
    assert result["assume"]["failed"] == failed
    assert result["decision"] == decision
    assert result["reason"].startswith("could not assume role/vod-upload-role")


@pytest.mark.parametrize(
    ("action", "expected"), [("vod:CreateUploadVideo", "Allow"), ("vod:DeleteVideo", "ImplicitDeny")]
)
def test_stack_mode_session_policy(
    stack: Path, capsys: pytest.CaptureFixture[str], action: str, expected: str
) -> None:
    code, out, _ = run(
        [
            "-C",
            str(stack),
            "--stack",
            "test",
            "--principal",
            "user/uploader",
            "--assume",
            "vod-upload-role",
            "--session-policy",
            str(stack / "session.json"),
            "--action",
            action,
            "--resource",
            "*",
            "--json",
        ],
        capsys,
    )
    assert code == 0
    result = json.loads(out)
    assert result["decision"] == expected
    assert set(result["parts"]) == {"session", "role"}
    assert result["parts"]["role"]["decision"] == "Allow"


def test_policy_file_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "grant.yaml").write_text(
        'Version: "1"\nStatement:\n  - {Effect: Allow, Action: "oss:*", Resource: "*"}\n'
    )
    (tmp_path / "guard.json").write_text(
        '{"Version": "1", "Statement": [{"Effect": "Deny", "Action": "oss:DeleteBucket", "Resource": "*"}]}'
    )
    base = [
        "--policy",
        str(tmp_path / "grant.yaml"),
        "--policy",
        str(tmp_path / "guard.json"),
        "--json",
        "--resource",
        "acs:oss:*:*:b",
    ]
    code, out, _ = run([*base, "--action", "oss:DeleteBucket"], capsys)
    result = json.loads(out)
    assert (code, result["decision"]) == (0, "ExplicitDeny")
    assert result["matched"] == [
        {"policy": "guard", "statement": 0, "effect": "Deny", "file": str(tmp_path / "guard.json"), "line": 1}
    ]
    code, out, _ = run([*base, "--action", "oss:GetObject"], capsys)
    assert (code, json.loads(out)["decision"]) == (0, "Allow")
    code, out, _ = run([*base, "--action", "ecs:StartInstance"], capsys)
    assert (code, json.loads(out)["decision"]) == (0, "ImplicitDeny")


def test_policy_file_mode_variables_and_session(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    policy = REPO_ROOT / "policies" / "ims-read-only.yaml"
    session = tmp_path / "session.yaml"
    session.write_text('Version: "1"\nStatement:\n  - {Effect: Allow, Action: "ice:List*", Resource: "*"}\n')
    args = [
        "--policy",
        str(policy),
        "--var",
        "appSourceIp=10.1.2.3",
        "--context",
        "acs:SourceIp=10.1.2.3",
        "--resource",
        "*",
        "--json",
    ]
    code, out, _ = run([*args, "--action", "ice:GetMediaInfo"], capsys)
    assert (code, json.loads(out)["decision"]) == (0, "Allow")
    code, out, _ = run([*args, "--session-policy", str(session), "--action", "ice:GetMediaInfo"], capsys)
    assert (code, json.loads(out)["decision"]) == (0, "ImplicitDeny")
    code, out, _ = run(
        [*args, "--session-policy", str(session), "--action", "ice:ListMediaBasicInfos"], capsys
    )
    assert (code, json.loads(out)["decision"]) == (0, "Allow")


def test_batch_mode_stack(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    requests = stack / "requests.jsonl"
    lines = [
        {
            "principal": "user/uploader",
            "assume": "role/vod-upload-role",
            "action": "vod:DeleteVideo",
            "resource": "*",
        },
        {"principal": "user/lurker", "action": "oss:GetObject", "resource": "acs:oss:*:*:b/k"},
        {
            "principal": "user/roamer",
            "assume": "deploy",
            "action": "oss:GetObject",
            "resource": "acs:oss:*:*:b/k",
            "context": {"acs:MFAPresent": True},
        },
        {
            "principal": "user/roamer",
            "assume": "deploy",
            "action": "oss:GetObject",
            "resource": "acs:oss:*:*:b/k",
        },
    ]
    requests.write_text(
        "\n".join(json.dumps(x) for x in lines[:2])
        + "\n\n"
        + "\n".join(json.dumps(x) for x in lines[2:])
        + "\n"
    )
    code, out, _ = run(["-C", str(stack), "--stack", "test", "--requests", str(requests)], capsys)
    assert code == 0
    results = [json.loads(line) for line in out.splitlines()]
    assert [(r["line"], r["decision"]) for r in results] == [
        (1, "Allow"),
        (2, "Allow"),
        (4, "Allow"),
        (5, "ImplicitDeny"),
    ]
    assert results[2]["request"]["context"] == {"acs:MFAPresent": ["true"]}


def test_batch_mode_policy_files_default_principal_free(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "p.json").write_text(
        '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:Get*", "Resource": "*",'
        ' "Condition": {"IpAddress": {"acs:SourceIp": "10.0.0.0/8"}}}]}'
    )
    requests = tmp_path / "r.jsonl"
    requests.write_text(
        '{"action": "oss:GetObject", "resource": "*", "context": {"acs:SourceIp": "10.0.0.1"}}\n'
        '{"action": "oss:GetObject", "resource": "*", "context": {"acs:SourceIp": ["1.1.1.1"]}}\n'
        '{"action": "oss:GetObject", "resource": "*"}\n'
    )
    code, out, _ = run(["--policy", str(tmp_path / "p.json"), "--requests", str(requests)], capsys)
    results = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [r["decision"] for r in results] == ["Allow", "ImplicitDeny", "ImplicitDeny"]
    assert results[2]["missing_keys"] == ["acs:SourceIp"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"action": "oss:GetObject"}', "field 'resource' must be a string"),
        ('{"action": "oss:GetObject", "resource": "*", "context": "x"}', "'context' must be an object"),
        ('{"action": "oss:GetObject", "resource": "*", "context": {"k": {"a": 1}}}', "context value of 'k'"),
        ('{"action": "oss:GetObject", "resource": "*", "principal": "user/x"}', "unknown field 'principal'"),
        ('{"action": "GetObject", "resource": "*"}', "must be '<service>:<Operation>'"),
        ('{"action": "oss:Get*", "resource": "*"}', "has a wildcard"),
        ('{"action": "oss:GetObject", "resource": "arn:aws:s3:::b"}', "AWS-style ARN"),
    ],
)
def test_batch_mode_bad_line_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    (tmp_path / "p.json").write_text(
        '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
    )
    requests = tmp_path / "r.jsonl"
    requests.write_text('{"action": "oss:GetObject", "resource": "*"}\n' + line + "\n")
    code, out, err = run(["--policy", str(tmp_path / "p.json"), "--requests", str(requests)], capsys)
    assert code == 2
    assert out == ""
    assert err.startswith(f"{requests}:2:1: error SIM006:") or err.startswith(f"{requests}:2:1: error SIM00")
    assert message in err
    assert "Traceback" not in err


def test_batch_mode_unknown_principal_is_located(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    requests = stack / "r.jsonl"
    requests.write_text('{"principal": "user/ghost", "action": "oss:GetObject", "resource": "*"}\n')
    code, _, err = run(["-C", str(stack), "--stack", "test", "--requests", str(requests)], capsys)
    assert code == 2
    assert f"{requests}:1:1: error SIM005: user 'ghost' is not in the spec" in err


@pytest.mark.parametrize(
    ("args", "code_text"),
    [
        ("--action oss:GetObject --resource *", "SIM002"),  # nothing to simulate for
        ("--principal user/uploader --resource *", "SIM002"),  # --action missing
        ("--principal user/uploader --action oss:GetObject --resource * --context novalue", "SIM001"),
        ("--principal user/ghost --action oss:GetObject --resource *", "SIM005"),
        ("--principal group/viewers --action oss:GetObject --resource *", "SIM005"),
        ("--principal robot/x --action oss:GetObject --resource *", "SIM005"),
        ("--principal user/uploader --session-policy session.json --action vod:X --resource *", "SIM002"),
        ("--principal service/ecs.aliyuncs.com --action oss:GetObject --resource *", "SIM002"),
        ("--principal user/uploader --policy x.json --action oss:A --resource *", "SIM002"),
        ("--principal user/uploader --action oss:GetObject --resource * --requests r", "SIM002"),
        ("--policy x.json --var novalue --action oss:A --resource *", "SIM001"),
        ("--principal user/uploader --var a=b --action oss:A --resource *", "SIM002"),
        ("--principal user/uploader --assume role/nope --action oss:A --resource *", "SIM005"),
        ("--principal user/uploader --action oss:GetObject --resource acs:oss", "SIM004"),
    ],
)
def test_invalid_input_exits_2(
    stack: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: str,
    code_text: str,
) -> None:
    monkeypatch.chdir(stack)
    code, out, err = run(["--stack", "test", *args.split()], capsys)
    assert code == 2
    assert out == ""
    assert f"error {code_text}:" in err
    assert "Traceback" not in err


def test_bad_policy_file_exits_2_with_located_diagnostic(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:GetObject"}]}')
    code, out, err = run(["--policy", str(bad), "--action", "oss:GetObject", "--resource", "*"], capsys)
    assert code == 2
    assert out == ""
    assert f"{bad}:1:" in err and "POL009" in err


def test_missing_key_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "p.json").write_text(
        '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"},'
        ' {"Effect": "Deny", "Action": "*", "Resource": "*",'
        ' "Condition": {"NotIpAddress": {"acs:SourceIp": "10.0.0.0/8"}}}]}'
    )
    base = ["--policy", str(tmp_path / "p.json"), "--action", "oss:GetObject", "--resource", "*", "--json"]
    _, out, _ = run(base, capsys)
    assert json.loads(out)["decision"] == "Allow"
    _, out, _ = run([*base, "--missing-key", "aws"], capsys)
    assert json.loads(out)["decision"] == "ExplicitDeny"


@pytest.mark.parametrize(
    ("action", "expected"), [("vod:CreateUploadVideo", "Allow"), ("vod:DeleteVideo", "ImplicitDeny")]
)
def test_role_principal_is_a_session_of_that_role(
    stack: Path, capsys: pytest.CaptureFixture[str], action: str, expected: str
) -> None:
    args = (
        f"-C {stack} --stack test --principal role/vod-upload-role --session-policy {stack / 'session.json'}"
    )
    code, out, _ = run([*args.split(), "--action", action, "--resource", "*", "--json"], capsys)
    result = json.loads(out)
    assert (code, result["decision"]) == (0, expected)
    assert "assume" not in result
    code, out, _ = run([*args.split()[:6], "--action", action, "--resource", "*", "--json"], capsys)
    assert (code, json.loads(out)["decision"]) == (0, "Allow")  # no session policy: all of the role

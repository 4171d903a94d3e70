"""`simulate --requests` reads each line with the located JSON reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from ramstack.cli import main

POLICY = '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
GOOD = '{"action": "oss:GetObject", "resource": "*"}'


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ('{"action": "oss:GetObject", "resource": "*", "context": {"acs:MFAPresent": NaN}}', "NaN"),
        ('{"action": "oss:GetObject", "resource": "*", "context": {"k": Infinity}}', "Infinity"),
        ('{"action": "oss:GetObject", "action": "oss:PutObject", "resource": "*"}', "duplicate key 'action'"),
        ('{"action": "oss:GetObject", "resource": "*", "context": {"k": ' + "9" * 5001 + "}}", "too long"),
        (
            '{"action": "oss:GetObject", "resource": "*", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
            "deeper",
        ),
    ],
)
def test_a_hostile_request_line_is_located(tmp_path: Path, capsys, line: str, words: str) -> None:
    (tmp_path / "p.json").write_text(POLICY)
    requests = tmp_path / "r.jsonl"
    requests.write_text(GOOD + "\n\n" + line + "\n")
    assert main(["simulate", "--policy", str(tmp_path / "p.json"), "--requests", str(requests)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [error] = captured.err.splitlines()
    assert error.startswith(f"{requests}:3:1: error SIM006: not valid JSON: ") and words in error


def test_the_fake_cloud_refuses_a_deeply_nested_document_as_malformed() -> None:
    """6,144 bytes are enough to nest past the json module's recursion limit: still a cloud error."""
    from ramstack.fakecloud import CloudError
    from ramstack.fakecloud.documents import load_document

    text = '{"Version": "1", "Statement": ' + "[" * 3000 + "]" * 3000 + "}"
    with pytest.raises(CloudError) as info:
        load_document(text, kind="permission", field="PolicyDocument", max_bytes=6144, length_code="X")
    assert info.value.code == "MalformedPolicyDocument"


def test_stack_variables_nested_too_deeply_are_a_config_error() -> None:
    from ramstack.diagnostics import Diagnostics
    from ramstack.spec.config import config_from_values

    diags = Diagnostics()
    values = {
        "ramstack:accountId": "1234567890123456",
        "alicloud:region": "cn-hangzhou",
        "ramstack:vars": "[" * 100_000 + "]" * 100_000,  # as the engine passes an object: JSON text
    }
    assert config_from_values(Path("."), "dev", values, diags) is None
    assert [d.code for d in diags] == ["CFG003"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"access_key_ids": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested deeper"),
        ('{"access_key_ids": {}, "n": ' + "9" * 5001 + "}", "too long"),
        ('{"access_key_ids": {}, "access_key_ids": {}}', "duplicate key"),
        ('{"access_key_ids": NaN}', "NaN"),
    ],
)
def test_verify_outputs_file_is_read_with_the_located_reader(tmp_path: Path, text: str, words: str) -> None:
    from ramstack.diagnostics import Diagnostics
    from ramstack.live.verify import read_outputs

    path = tmp_path / "outputs.json"
    path.write_text(text)
    diags = Diagnostics()
    assert read_outputs(path, diags) is None
    [error] = diags.errors
    assert error.code == "VERIFY001" and words in error.message


def test_verify_outputs_from_a_pipe_do_not_block(tmp_path: Path) -> None:
    import os

    from ramstack.diagnostics import Diagnostics
    from ramstack.live.verify import read_outputs

    os.mkfifo(tmp_path / "outputs.json")
    diags = Diagnostics()
    assert read_outputs(tmp_path / "outputs.json", diags) is None
    assert [d.code for d in diags.errors] == ["IO003"]

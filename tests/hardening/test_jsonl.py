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

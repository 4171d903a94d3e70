"""The lock file is read like every other file: nothing malformed is accepted, nothing is a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ramstack.cli import main


def _lock(dev: Path) -> dict:
    return json.loads((dev / "permissions.dev.lock.json").read_text())


def _first_grant(data: dict) -> dict:
    return next(p for p in data["principals"].values() if p["grants"])["grants"][0]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda g: g.update(action=5), "'action' must be a string, not a number"),
        (lambda g: g.update(effect=None), "'effect' must be a string, not null"),
        (lambda g: g.update(not_action=1), "'not_action' must be true or false, not a number"),
        (lambda g: g.pop("resource"), "has no 'resource'"),
        (lambda g: g.update(sources=[1]), "'sources' must be a list of strings"),
    ],
)
def test_a_lock_grant_of_the_wrong_type_is_malformed(dev: Path, capsys, mutate, message: str) -> None:
    data = _lock(dev)
    mutate(_first_grant(data))
    (dev / "permissions.dev.lock.json").write_text(json.dumps(data, indent=2))
    assert main(["diff"]) == 2
    out = capsys.readouterr().err
    [line] = [line for line in out.splitlines() if "LOCK001" in line]
    assert message in line
    assert line.startswith("permissions.dev.lock.json:") and ":1:1:" not in line  # at the offending value


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('{"format": 1,\n "format": 1, "principals": {}}', ":2:2:", "duplicate key 'format'"),
        ('{"format": 1, "principals": ' + "[" * 5000 + "]" * 5000 + "}", ":1:", "nested deeper"),
        ('{"format": 1, "principals": {}, "x": ' + "9" * 5001 + "}", ":1:", "number too long"),
        ('{"format": NaN, "principals": {}}', ":1:12:", "NaN is not a JSON number"),
    ],
)
def test_a_malformed_lock_is_a_located_error(dev: Path, capsys, text: str, where: str, words: str) -> None:
    (dev / "permissions.dev.lock.json").write_text(text)
    for argv in (["diff"], ["lock", "--check"], ["lint", "--baseline", "permissions.dev.lock.json"]):
        assert main(argv) == 2, argv
        out = capsys.readouterr().err
        assert f"permissions.dev.lock.json{where}" in out and "error LOCK001" in out and words in out, out


def test_lock_check_reports_a_corrupt_lock_as_malformed_not_out_of_date(dev: Path, capsys) -> None:
    (dev / "permissions.dev.lock.json").write_text('{"format": 1, "principals": {')
    assert main(["lock", "--check"]) == 2
    out = capsys.readouterr().err
    assert "error LOCK001" in out and "out of date" not in out


def test_lock_check_of_a_valid_but_stale_lock_is_out_of_date(dev: Path, capsys) -> None:
    data = _lock(dev)
    data["principals"].pop(sorted(data["principals"])[0])
    (dev / "permissions.dev.lock.json").write_text(json.dumps(data))
    assert main(["lock", "--check"]) == 1
    assert "out of date" in capsys.readouterr().err


@pytest.mark.parametrize(("levels", "accepted"), [(64, True), (65, False)])
def test_nesting_the_fast_reader_accepts_is_the_located_readers(
    dev: Path, capsys, levels: int, accepted: bool
) -> None:
    """The C-parser fast path refuses what the located reader refuses: a lock nested 65 deep (the
    attributes object is the 4th container) is a located error, 64 deep is read."""
    data = _lock(dev)
    body = next(iter(data["principals"].values()))
    body["attributes"] = {"x": json.loads("[" * (levels - 4) + "]" * (levels - 4))}
    (dev / "permissions.dev.lock.json").write_text(json.dumps(data))
    assert main(["lock", "--check"]) == (1 if accepted else 2)
    err = capsys.readouterr().err
    assert ("nested deeper" in err) is not accepted, err


def test_fields_of_a_future_format_version_are_still_read(dev: Path, capsys) -> None:
    """Fields `ramstack lock` does not write leave the fast path, and the located reader accepts them."""
    data = _lock(dev)
    _first_grant(data)["future"] = {"deep": [[{"a": 1}]]}
    data["principals"][next(iter(data["principals"]))]["future"] = True
    (dev / "permissions.dev.lock.json").write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    assert main(["diff", "--exit-code"]) == 0
    captured = capsys.readouterr()
    assert "LOCK" not in captured.err and "no permission changes" in captured.out + captured.err

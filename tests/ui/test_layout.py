"""ui.layout: the output width, folding and tables that fit it."""

from __future__ import annotations

import io
import json
import re

import pytest

from ramstack.ui import layout
from ramstack.ui.layout import bullets, fold, table, wrap

CONDITION = '{"IpAddress":{"acs:SourceIp":["203.0.113.10"]}}'
ARN = "acs:imm:cn-shanghai:1234567890123456:project/imm-test-doc-proj"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_width_is_fixed_when_not_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "57")  # ignored: only a terminal's size counts
    monkeypatch.setattr("sys.stdout", io.StringIO())
    assert layout.width() == layout.PIPE_WIDTH == 100


def test_width_follows_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout", _Tty())
    monkeypatch.setenv("COLUMNS", "132")
    assert layout.width() == 132
    monkeypatch.setenv("COLUMNS", "12")
    assert layout.width() == layout.MIN_WIDTH


def test_fold_breaks_after_separators_and_keeps_every_character() -> None:
    value = "oss:bucket/imm-test-doc-proj:cn-shanghai:1234567890123456"
    lines = fold(value, 24)
    assert lines == ["oss:bucket/imm-test-doc-", "proj:cn-shanghai:", "1234567890123456"]
    assert "".join(lines) == value
    assert fold("a" * 45, 20) == ["a" * 20, "a" * 20, "a" * 5]
    assert fold("", 10) == [""]
    assert fold("short", 10) == ["short"]


def test_fold_drops_the_space_it_breaks_at() -> None:
    assert fold("one two three four", 9) == ["one two", "three", "four"]


def test_wrap_hangs_continuations_under_the_text() -> None:
    lines = wrap("through role/x: " + "Allow ice:Get* on * " * 6, indent="  ", limit=40)
    assert lines[0].startswith("  through") and all(line.startswith("    ") for line in lines[1:])
    assert max(len(line) for line in lines) <= 40


def test_bullets_are_a_nested_list() -> None:
    lines = bullets(
        [f"Allow ice:GetMediaInfo on * when {CONDITION}", "Allow imm:ListProjects on *"], limit=50
    )
    assert lines == [
        "  - Allow ice:GetMediaInfo on * when",
        '    {"IpAddress":{"acs:SourceIp":',  # a value longer than a line breaks at its punctuation
        '    ["203.0.113.10"]}}',
        "  - Allow imm:ListProjects on *",
    ]


def test_words_are_not_split_when_a_space_will_do() -> None:
    assert fold("reason: no statement allows vod:DeleteVideo on *", 40) == [
        "reason: no statement allows",
        "vod:DeleteVideo on *",
    ]


def test_a_table_that_fits_is_padded_not_folded() -> None:
    assert table(["a", "bb"], [["xxx", "y"]], limit=100) == ["a    bb", "---  --", "xxx  y"]


def test_a_wide_table_folds_its_widest_columns_to_fit() -> None:
    rows = [["Allow", "ice:GetEditingProject", "1", "oss:bucket/" + "x" * 40, CONDITION]]
    lines = table(["effect", "action", "#", "resource", "conditions"], rows, indent="  ", limit=80)
    assert max(len(line) for line in lines) <= 80
    assert len(lines) > 3  # the row took continuation lines
    assert lines[2].startswith("  Allow   ice:GetEditingProject  1  oss:bucket/")
    # the narrow columns keep their natural width; the folded cells keep every character
    resource_col = lines[0].index("resource")
    folded = "".join(line[resource_col:].split("  ")[0].strip() for line in lines[2:])
    assert folded == "oss:bucket/" + "x" * 40


def test_urls_arns_and_quoted_strings_are_never_cut() -> None:
    assert fold(ARN, 24) == [ARN]  # longer than the line: it overflows, whole
    assert fold("see https://example.com/a/very/long/path and more", 20) == [
        "see",
        "https://example.com/a/very/long/path",
        "and more",
    ]
    trust = (
        '{"StringEquals":{"oidc:aud":["sts.aliyuncs.com"],"oidc:iss":["https://token.actions.githubuser'
        'content.com"],"oidc:sub":["repo:example-org/access-infra:ref:refs/heads/main"]}}'
    )
    lines = fold(trust, 60)
    assert lines == [
        '{"StringEquals":{"oidc:aud":["sts.aliyuncs.com"],"oidc:iss":',
        '["https://token.actions.githubusercontent.com"],"oidc:sub":',
        '["repo:example-org/access-infra:ref:refs/heads/main"]}}',
    ]
    assert json.loads("\n    ".join(lines)) == json.loads(trust)  # pasted back, the same JSON
    # in a table the column holding an ARN is never narrower than it: the table overflows instead
    rows = [["Allow", "ice:GetEditingProject", "1", ARN, CONDITION]]
    lines = table(["effect", "action", "#", "resource", "conditions"], rows, indent="  ", limit=80)
    assert f"  1  {ARN}  " in lines[2] and not any("imm-test" in line for line in lines[3:])


def test_a_table_too_wide_for_its_floors_overflows_rather_than_break_headers() -> None:
    lines = table(["effect", "conditions"], [["Allow", "x" * 30]], limit=10)
    assert lines[0] == "effect  conditions"


def test_fold_never_loses_a_character() -> None:
    import random

    rng = random.Random(13)
    for _ in range(2000):
        text = "".join(rng.choice("ab1 -,:/|=\t") for _ in range(rng.randrange(60)))
        limit = rng.randrange(1, 25)
        lines = fold(text, limit)
        assert all(len(line) <= limit for line in lines), (text, limit, lines)
        assert "".join(lines).replace(" ", "").replace("\t", "") == text.replace(" ", "").replace("\t", "")


def test_an_option_is_not_split_at_its_dashes() -> None:
    assert fold("pulumi import --generate-code=false --yes", 30) == [
        "pulumi import",
        "--generate-code=false --yes",
    ]
    assert fold("x --generate-code=false", 12) == ["x", "--generate-", "code=false"]


def test_wide_characters_take_two_columns() -> None:
    path = "cn.zh-CN/开发指南/数据安全/RAM Policy概述.md"
    assert layout.cells("开发") == 4 and layout.cells("ab") == 2
    lines = fold(path, 16)
    assert all(layout.cells(line) <= 16 for line in lines), lines
    assert "".join(lines).replace(" ", "") == path.replace(" ", "")
    padded = table(["name", "n"], [["开发指南", "1"], ["abc", "2"]], limit=100)
    assert padded[2] == "开发指南  1" and padded[3] == "abc       2"


def _run_in_terminal(columns: int, *argv: str) -> str:
    """`ramstack ARGV` with stdout on a pseudo-terminal `columns` wide; what it printed there."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import sys
    import termios

    from tests.conftest import ROOT

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    process = subprocess.Popen(
        [sys.executable, "-m", "ramstack", *argv],
        cwd=ROOT,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;]*m", "", text)  # colour, if any, takes no columns


def test_on_a_terminal_the_layout_follows_its_width() -> None:
    narrow = _run_in_terminal(60, "rules", "LP204")
    assert max(len(line) for line in narrow.splitlines()) <= 60
    wide = _run_in_terminal(200, "rules", "LP204")
    why = next(line for line in wide.splitlines() if line.startswith("Why: "))
    assert len(why) > 100  # one line on a wide terminal, folded at 100 in a pipe

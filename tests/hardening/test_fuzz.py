"""Fuzzing every file ramstack reads, as an attacker and a careless user would write them.

Each example takes a valid file of the dev stack (spec, a policy, the stack config, lint.yaml, the lock
file, a --requests JSONL file), applies structural mutations (aliases, deep nesting, huge scalars,
other encodings, duplicated lines, truncation) and character mutations, then runs the verb that reads
it, in-process. Every run must end with exit 0, 1 or 2, without an exception or a traceback, with
every diagnostic well formed, and within generous bounds on peak memory and time (bounds that only an
unbounded blow-up, never an ordinary run, could exceed). The example counts keep the whole file well
under a minute.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ramstack.cli import main
from tests.conftest import copy_root_project

ROOT = Path(__file__).resolve().parents[2]
DIAGNOSTIC = re.compile(r"^.+:[1-9][0-9]*:[1-9][0-9]*: (error|warning) [A-Z]+[0-9]{3}: \S.*$")
CODE = re.compile(r"^[A-Z]+[0-9]{3}$")
PEAK_BYTES = 300 * 1024 * 1024  # an ordinary run of the dev stack peaks near 10 MB
SECONDS = 60.0  # an ordinary run takes well under a second; only a blow-up comes near this

LINT_YAML = (
    "suppressions:\n  - rule: LP507\n    subject: role/ims-sts-role\n    reason: reviewed\n"
    "severity:\n  LP301: low\n"
)
POLICY_JSON = '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:Get*", "Resource": "*"}]}'
REQUESTS = (
    '{"action": "oss:GetObject", "resource": "acs:oss:*:*:b/k", "context": {"acs:SourceIp": "1.2.3.4"}}\n'
    '{"action": "oss:PutObject", "resource": "*"}\n'
)

# file -> the command lines that read it (JSON output where a machine reads diagnostics)
TARGETS: dict[str, list[list[str]]] = {
    "access.yaml": [["validate", "--format", "json"], ["lint", "--format", "json"]],
    "policies/ims-read-only.yaml": [["validate", "--format", "json"]],
    "Pulumi.dev.yaml": [["validate", "--format", "json"], ["lock", "--check"]],
    "policies/lint.yaml": [["validate", "--format", "json"], ["lint", "--format", "json"]],
    "permissions.dev.lock.json": [["diff", "--format", "json"], ["lock", "--check"]],
    "requests.jsonl": [["simulate", "--policy", "p.json", "--requests", "requests.jsonl"]],
}

CHARS = st.sampled_from(
    [*"\x00\t\n\r \"'#&*!%@`:-?,[]{}|>~\\$", "\ufeff", "\u0085", "\u2028", "é", "😀", "\x7f", "\x1b"]
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-base")
    copy_root_project(folder)
    (folder / "policies" / "lint.yaml").write_text(LINT_YAML)
    (folder / "p.json").write_text(POLICY_JSON)
    (folder / "requests.jsonl").write_text(REQUESTS)
    return folder


# -- mutations ------------------------------------------------------------------------------------

Mutation = Callable[[str], str]


def _at(text: str, where: float) -> int:
    return int(where * len(text))


@st.composite
def character_mutation(draw: st.DrawFn) -> Mutation:
    kind = draw(st.sampled_from(["insert", "delete", "replace"]))
    where = draw(st.floats(0, 1))
    char = draw(CHARS)
    count = draw(st.integers(1, 3))

    def apply(text: str) -> str:
        i = _at(text, where)
        if kind == "insert":
            return text[:i] + char * count + text[i:]
        if kind == "delete":
            return text[:i] + text[i + count :]
        return text[:i] + char * count + text[i + count :]

    return apply


def _alias_bomb(text: str) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 9)]
    return text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"


@st.composite
def structural_mutation(draw: st.DrawFn) -> Mutation:
    kind = draw(
        st.sampled_from(
            [
                "alias",
                "anchor",
                "deep",
                "huge_number",
                "huge_text",
                "duplicate_line",
                "truncate",
                "swap_lines",
            ]
        )
    )
    where = draw(st.floats(0, 1))
    depth = draw(st.sampled_from([70, 1_000, 50_000]))

    def apply(text: str) -> str:
        i = _at(text, where)
        lines = text.splitlines(keepends=True)
        line = int(where * max(len(lines) - 1, 0))
        if kind == "alias":
            return _alias_bomb(text)
        if kind == "anchor":
            return text[:i] + " &x " + text[i:] + "\n*x\n"
        if kind == "deep":
            return text[:i] + "[" * depth + "]" * depth + text[i:]
        if kind == "huge_number":
            return text[:i] + "9" * 6_000 + text[i:]
        if kind == "huge_text":
            return text[:i] + "a" * 300_000 + text[i:]
        if kind == "duplicate_line" and lines:
            return "".join(lines[: line + 1] + lines[line:])
        if kind == "swap_lines" and len(lines) > 1:
            j = (line + 1) % len(lines)
            lines[line], lines[j] = lines[j], lines[line]
            return "".join(lines)
        return text[:i]  # truncate

    return apply


ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1-bytes", "invalid-bytes"])


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "latin-1-bytes":
        return text.encode("utf-8").replace(b"e", b"\xe9")
    if encoding == "invalid-bytes":
        data = text.encode("utf-8")
        return data[: len(data) // 2] + b"\xc3\x28\xff" + data[len(data) // 2 :]
    return text.encode(encoding, errors="surrogatepass")


# -- the run --------------------------------------------------------------------------------------


def _run(argv: list[str], cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    tracemalloc.start()
    started = time.monotonic()
    try:
        with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
        elapsed = time.monotonic() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES, f"{argv}: peak {peak} bytes"
    assert elapsed < SECONDS, f"{argv}: {elapsed:.1f} s"
    return code, out.getvalue(), err.getvalue()


def _check_json_diagnostics(items: list[dict[str, object]]) -> None:
    for d in items:
        assert isinstance(d["file"], str) and d["file"]
        assert isinstance(d["line"], int) and d["line"] >= 1
        assert isinstance(d["column"], int) and d["column"] >= 1
        assert d["level"] in ("error", "warning")
        assert isinstance(d["code"], str) and CODE.match(d["code"])
        assert isinstance(d["message"], str) and d["message"].strip()


def _check_output(argv: list[str], code: int, out: str, err: str) -> None:
    assert code in (0, 1, 2), (argv, code)
    assert "Traceback" not in out + err
    if "--format" in argv and argv[argv.index("--format") + 1] == "json" and out.strip():
        data = json.loads(out)  # a report for a machine stays parseable, whatever the input
        if isinstance(data, dict) and "diagnostics" in data:
            _check_json_diagnostics(data["diagnostics"])
        text = err
    else:
        text = out + err
    for line in text.splitlines():
        if ": error " in line or ": warning " in line:
            assert DIAGNOSTIC.match(line), line


def _fuzz(base: Path, tmp: Path, target: str, data: bytes) -> None:
    project = tmp / "project"
    if project.exists():
        shutil.rmtree(project)
    shutil.copytree(base, project, symlinks=True)
    (project / target).write_bytes(data)
    for argv in TARGETS[target]:
        code, out, err = _run(argv, project)
        _check_output(argv, code, out, err)


# CI runs a fixed, small sample; RAMSTACK_FUZZ_EXAMPLES=5000 makes a long, random campaign locally.
_CAMPAIGN = int(os.environ.get("RAMSTACK_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=_CAMPAIGN or 40,
    deadline=None,  # time is bounded by SECONDS per run instead (first runs import lazily)
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=not _CAMPAIGN,  # the same examples on every CI run: a failure reproduces
    database=None,
)


@FUZZ
@given(
    target=st.sampled_from(sorted(TARGETS)),
    mutations=st.lists(st.one_of(character_mutation(), structural_mutation()), min_size=1, max_size=3),
    encoding=ENCODINGS,
)
def test_mutated_inputs_never_crash(
    base: Path, tmp_path: Path, target: str, mutations: list[Mutation], encoding: str
) -> None:
    text = (base / target).read_text(encoding="utf-8")
    for mutate in mutations:
        text = mutate(text)
    _fuzz(base, tmp_path, target, _encode(text, encoding))


@FUZZ
@given(target=st.sampled_from(sorted(TARGETS)), junk=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(base: Path, tmp_path: Path, target: str, junk: bytes) -> None:
    _fuzz(base, tmp_path, target, junk)


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_the_worst_known_inputs_stay_bounded(base: Path, tmp_path: Path, target: str) -> None:
    """The classes of issue 9, on every file: each stays within the bounds and is refused cleanly."""
    text = (base / target).read_text(encoding="utf-8")
    for worst in (
        _alias_bomb(text),
        text + "[" * 100_000 + "]" * 100_000,
        text[:10] + "9" * 6_000 + text[10:],
        text.replace("\n", "\n\ufeff", 1),
    ):
        _fuzz(base, tmp_path, target, worst.encode("utf-8"))

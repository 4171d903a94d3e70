"""Shell completion: argcomplete's protocol answered by `ramstack`, and the code `ramstack completion`
prints driven by real bash and fish (zsh's is checked for syntax)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ramstack.cli import VERBS, build_parser
from ramstack.ui.complete import verb_under_cursor

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RAMSTACK = BIN / "ramstack"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_ARC", "COMP_", "PULUMI_STACK"))}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env.update(extra)
    return env


def complete(line: str, cwd: Path = ROOT, tmp: Path | None = None) -> tuple[list[str], str]:
    """The candidates argcomplete's protocol returns for `line` (cursor at its end), and stderr."""
    out = (tmp or cwd) / ".completion-out"
    result = subprocess.run(
        [str(RAMSTACK)],
        cwd=cwd,
        env=_env(
            _ARGCOMPLETE="1",
            COMP_LINE=line,
            COMP_POINT=str(len(line)),
            _ARGCOMPLETE_STDOUT_FILENAME=str(out),
            COMP_WORDBREAKS=" \t\n\"'><=;|&(",  # no ':' so catalog names come back whole
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    out.unlink()
    return [c.strip() for c in text.split("\v") if c.strip()], result.stderr


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    return tmp_path


def test_verbs_and_their_flags_are_offered(scratch: Path) -> None:
    candidates, _ = complete("ramstack ", tmp=scratch)
    assert set(candidates) == set(VERBS)
    for verb in ("plan", "lint", "diff", "simulate", "activity"):
        parser = build_parser([verb])
        sub = next(a for a in parser._actions if a.dest == "verb").choices[verb]  # type: ignore[attr-defined]
        long_options = {o for a in sub._actions for o in a.option_strings if o.startswith("--")}
        offered, _ = complete(f"ramstack {verb} --", tmp=scratch)
        assert long_options <= set(offered), (verb, long_options - set(offered))


def test_a_prefix_narrows_verbs(scratch: Path) -> None:
    assert complete("ramstack si", tmp=scratch)[0] == ["simulate"]


def test_stack_names_come_from_the_project(scratch: Path) -> None:
    assert complete("ramstack plan --stack ", tmp=scratch)[0] == ["dev", "prod"]
    assert complete("ramstack -C examples/ims-sts plan --stack ", tmp=scratch)[0] == ["example"]
    # the project options before the verb, as `ramstack --stack prod validate` runs
    assert complete("ramstack --stack ", tmp=scratch)[0] == ["dev", "prod"]
    assert complete("ramstack -C examples/ims-sts --stack ", tmp=scratch)[0] == ["example"]
    assert complete("ramstack -C examples/ims-sts lint --stack ", tmp=scratch)[0] == ["example"]
    assert (
        "user/ims-sts-user"
        in complete("ramstack --stack example -C examples/ims-sts simulate --principal ", tmp=scratch)[0]
    )


def test_principals_of_the_spec(scratch: Path) -> None:
    principals, _ = complete("ramstack simulate --principal ", tmp=scratch)
    assert {"user/ims-app", "user/alice", "role/ims-sts-role", "group/media-readers"} <= set(principals)
    roles, _ = complete("ramstack simulate --assume role/i", tmp=scratch)
    assert roles == ["role/ims-sts-role", "role/imm-task-role"]
    # a project with one stack that is not the default one: its principals, found through -C
    other, _ = complete("ramstack -C examples/ims-sts graph --focus ", tmp=scratch)
    assert "role/ims-sts-role" in other and "user/alice" not in other


def test_rule_ids_and_catalog_names(scratch: Path) -> None:
    rules, _ = complete("ramstack rules LP20", tmp=scratch)
    assert "LP204" in rules and all(r.startswith("LP20") for r in rules)
    policies, _ = complete("ramstack catalog AliyunECSRead", tmp=scratch)
    assert "AliyunECSReadOnlyAccess" in policies
    actions, _ = complete("ramstack catalog oss:GetObjectV", tmp=scratch)
    assert "oss:GetObjectVersion" in actions and all(a.startswith("oss:GetObjectV") for a in actions)


def test_a_broken_project_completes_nothing_and_stays_silent(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: broken\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config: [unclosed\n")
    (tmp_path / "access.yaml").write_text("users: {{\n")
    candidates, stderr = complete("ramstack simulate --principal ", cwd=tmp_path)
    assert candidates == [] and stderr == ""


def test_verb_under_cursor() -> None:
    verbs = list(VERBS)
    assert verb_under_cursor("ramstack -q plan --st", 21, verbs) == "plan"
    assert verb_under_cursor("ramstack pl", 11, verbs) is None  # still typing the verb
    assert verb_under_cursor("ramstack -C plan lint ", 22, verbs) == "lint"  # -C's value is a folder


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash not installed")
def test_bash_completes_through_the_printed_code() -> None:
    script = (
        "source <(ramstack completion bash)\n"
        'fn=$(complete -p ramstack | sed -E "s/.* -F ([^ ]+) .*/\\1/")\n'
        'COMP_LINE="ramstack simulate --pri"; COMP_POINT=${#COMP_LINE}\n'
        "COMP_WORDS=(ramstack simulate --pri); COMP_CWORD=2\n"
        '"$fn" ramstack --pri simulate\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(
        ["bash", "-c", script], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["--principal"]


FISH_SCRIPT = 'ramstack completion fish | source; complete -C "ramstack plan --stack "'


@pytest.mark.skipif(shutil.which("fish") is None, reason="fish not installed")
def test_fish_completes_through_the_printed_code() -> None:
    result = subprocess.run(
        ["fish", "--no-config", "-c", FISH_SCRIPT],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["dev", "prod"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh not installed")
def test_zsh_code_parses() -> None:
    code = subprocess.run(
        [str(RAMSTACK), "completion", "zsh"], env=_env(), capture_output=True, text=True, check=True
    ).stdout
    assert code.startswith("#compdef ramstack")
    result = subprocess.run(["zsh", "-n"], input=code, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr

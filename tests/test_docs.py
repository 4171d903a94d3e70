"""A guide that runs: every command shown in README.md, examples/README.md and docs/*.md is executed.

Conventions (docs/README.md states them for writers):
- ```sh blocks: every line is a command and must exit 0; `# ...` comments are fine.
- ```console blocks: `$ command` lines (a trailing `\\` continues a command), and the output shown
  under a command must appear in the real output, in order; a shown line ending in `...` is an
  excerpt that matches by prefix. A command expected to fail says so in a comment: `# exit 1`.
- ```sh manual blocks are shown, never run: pulumi, git push, make, anything that needs the cloud.

Each document runs in its own temporary copy of the repository (cwd = the copy's root; `cd` carries
over between blocks of a document). `ramstack` commands without shell syntax run in-process (fast);
anything else runs through bash with the virtualenv's bin/ on PATH.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.schema import spec_schema
from ramstack.schema_markdown import render as spec_reference

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [
    "README.md",
    "examples/README.md",
    *sorted(str(p.relative_to(ROOT)) for p in ROOT.glob("docs/*.md")),
]
FENCE = re.compile(r"^```([^\n]*)\n(.*?)^```\s*$", re.M | re.S)


@dataclass
class Command:
    text: str
    line: int
    shown: list[str] = field(default_factory=list)  # expected output lines (console blocks)

    @property
    def expected_exit(self) -> int:
        found = re.search(r"#\s*exit ([0-9])\s*$", self.text)
        return int(found.group(1)) if found else 0


def commands(doc: str, manual: bool = False) -> list[Command]:
    """The commands of the document's runnable blocks (with `manual`, of the manual blocks too)."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    out: list[Command] = []
    for block in FENCE.finditer(text):
        info, body = block.group(1).split(), block.group(2)
        first_line = text.count("\n", 0, block.start()) + 2
        if not info or info[0] not in ("sh", "console") or ("manual" in info[1:] and not manual):
            continue
        pending = ""
        for offset, raw in enumerate(body.splitlines()):
            line = raw.rstrip()
            if info[0] == "console" and not pending:
                if not line.startswith("$ "):
                    if out and line and out[-1].line >= first_line:
                        out[-1].shown.append(line)
                    continue
                line = line[2:]
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            if line.endswith("\\"):
                pending += line[:-1] + " "
                continue
            out.append(Command(pending + line, first_line + offset))
            pending = ""
    return out


def _steps(command: str) -> list[list[str]] | None:
    """`ramstack ...` and `cd DIR` joined by `&&`, with no other shell syntax: their argvs (run
    in-process, fast); None when the command needs a shell."""
    lexer = shlex.shlex(command, posix=True)
    lexer.whitespace_split, lexer.commenters = True, "#"
    try:
        body = shlex.join(list(lexer))  # the command without its trailing comment
    except ValueError:
        return None
    unquoted = re.sub(r"'[^']*'|\"[^\"$`\\]*\"", "''", command.split(" #", 1)[0]).replace("&&", " ")
    if re.search(r"[|&;<>()`$*?~]", unquoted):
        return None
    steps = [shlex.split(part) for part in body.split(" '&&' ")] if "&&" in body else [shlex.split(body)]
    ok = all(s and (s[0] == "ramstack" or (s[0] == "cd" and len(s) == 2)) for s in steps)
    return steps if ok else None


def run(command: str, cwd: Path) -> tuple[int, str, Path]:
    """(exit code, stdout+stderr, cwd after) of one documented command."""
    steps = _steps(command)
    if steps is not None:
        out, code = io.StringIO(), 0
        for argv in steps:
            if argv[0] == "cd":
                cwd = (cwd / argv[1]).resolve()
                continue
            with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                try:
                    code = main(argv[1:])
                except SystemExit as exc:
                    code = int(exc.code or 0)
            if code != 0:
                break
        return code, out.getvalue(), cwd
    env = {k: v for k, v in os.environ.items() if k not in ("PULUMI_STACK", "VIRTUAL_ENV")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    script = f'{command}\nstatus=$?\necho; echo "@@cwd=$PWD"\nexit $status'
    done = subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )
    output, _, after = done.stdout.rpartition("@@cwd=")
    return done.returncode, output.rstrip("\n") + "\n" + done.stderr, Path(after.strip() or cwd)


def shown_in(shown: list[str], output: str) -> str | None:
    """None when every shown line appears in `output` in order, else the first one that does not."""
    actual = [line.rstrip() for line in output.splitlines()]
    position = 0
    for expected in (line for line in shown if line.strip()):
        prefix = expected[:-3].rstrip() if expected.endswith("...") else None
        while position < len(actual):
            got = actual[position]
            position += 1
            if got == expected or (prefix is not None and got.startswith(prefix)):
                break
        else:
            return expected
    return None


def _copy_repo(dest: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for name in filter(None, listed.stdout.split("\0")):
        src = ROOT / name
        if src.is_file() and not name.startswith(("tests/", "bench/")):
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(src.read_bytes())
    return dest


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_shown_command_runs_and_prints_what_is_shown(doc: str, tmp_path: Path) -> None:
    cwd = _copy_repo(tmp_path / "repo")
    for command in commands(doc):
        code, output, cwd = run(command.text, cwd)
        where = f"{doc}:{command.line}: {command.text}"
        assert code == command.expected_exit, f"{where}\nexit {code}\n{output}"
        missing = shown_in(command.shown, output)
        assert missing is None, f"{where}\nshown but not printed: {missing!r}\n--- real output:\n{output}"


def test_the_docs_run_commands_at_all() -> None:
    counted = {doc: len(commands(doc)) for doc in DOCUMENTS}
    assert all(counted[f"docs/{page}"] > 0 for page in ("getting-started.md", "commands.md", "concepts.md"))
    assert sum(counted.values()) > 40


def test_the_checks_can_fail() -> None:
    assert shown_in(["a", "c"], "a\nb\nc\n") is None
    assert shown_in(["c", "a"], "a\nb\nc\n") == "a"
    assert shown_in(["through role/x: Allow ..."], "through role/x: Allow ice:Get on *\n") is None
    assert run("ramstack frobnicate", ROOT)[0] == 2
    assert run("false && echo never", ROOT)[0] == 1
    assert _steps("cd infra && ramstack plan --resource '*'  # note") == [
        ["cd", "infra"],
        ["ramstack", "plan", "--resource", "*"],
    ]
    assert _steps("ramstack lint > out.sarif") is None and _steps('ramstack diff -s "$S"') is None
    code, output, after = run("cd docs && echo here", ROOT)
    assert code == 0 and output.strip() == "here" and after == ROOT / "docs"
    assert Command("ramstack lint --fail-on info   # exit 1", 1).expected_exit == 1
    assert Command("ramstack lint   # exit 1 if a finding reaches --fail-on", 1).expected_exit == 0


def test_the_spec_reference_is_generated_from_the_schema() -> None:
    assert (ROOT / "docs/spec-reference.md").read_text(encoding="utf-8") == spec_reference(spec_schema())


def test_every_verb_has_an_example_in_the_docs() -> None:
    from ramstack.cli import VERBS

    def verbs(found: list[Command]) -> set[str]:
        words = [c.text.replace('eval "$(', "").split() for c in found]
        return {w[1] for w in words if len(w) > 1 and w[0] == "ramstack"}

    run = verbs(commands("docs/commands.md"))
    shown = verbs(commands("docs/commands.md", manual=True))
    assert sorted(set(VERBS) - shown) == [], "add an example of each verb to docs/commands.md"
    # only the verbs that need a live endpoint, or the user's own ActionTrail events, may be shown
    # without being run
    assert sorted(set(VERBS) - run) == [
        "activity",
        "assume",
        "drift",
        "generate-policy",
        "import",
        "serve",
        "unused",
        "verify",
    ]


def test_the_lint_page_rule_table_is_current() -> None:
    from ramstack.lint.registry import ALL_RULES
    from ramstack.report.markdown import rules_table

    page = (ROOT / "docs/lint.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- BEGIN RULES -->\n(.*?)<!-- END RULES -->", page, re.DOTALL)
    assert found and found.group(1) == rules_table(ALL_RULES), "paste `ramstack rules --format markdown`"


def test_every_rule_count_in_the_prose_is_the_registrys() -> None:
    from ramstack.lint.registry import ALL_RULES

    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    counts = {
        (page.name, int(n)) for page in pages for n in re.findall(r"\b(\d+) lint rules\b", page.read_text())
    }
    assert counts and all(n == len(ALL_RULES) for _, n in counts), counts


def test_help_names_the_per_stack_lock_file(capsys) -> None:
    from ramstack.cli import main

    for argv in (["--help"], ["lint", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        out = capsys.readouterr().out
        assert "permissions.lock.json" not in out and "permissions.<stack>.lock.json" in out, argv

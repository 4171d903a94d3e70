"""The CI files ramstack ships: the workflow of every `ramstack init` project, the pre-commit hooks and
the composite action. Every `ramstack` invocation in them must parse with the real CLI parser
(verbs and flags exist); verbs still being built elsewhere are listed in PENDING_VERBS and printed."""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from ramstack.cli import VERBS, build_parser
from ramstack.scaffold import Options, render

ROOT = Path(__file__).resolve().parents[1]
# Verbs the CI files may name before they are registered (built on other branches). Once a verb is
# in VERBS, its invocations are checked like every other.
PENDING_VERBS = ("verify", "serve", "assume", "import", "drift", "catalog")
SEPARATORS = {"&&", "||", ";", "|", "(", ")"}


def ramstack_commands(script: str) -> Iterator[list[str]]:
    """The argv of every `ramstack ...` command in a shell script (redirections dropped)."""
    script = re.sub(r"\$\{\{.*?\}\}", "EXPR", script).replace("\\\n", " ")
    for line in script.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        lexer.commenters = "#"
        command: list[str] = []
        redirected = False
        for token in [*lexer, ";"]:
            if token in SEPARATORS:
                if command and command[0] == "ramstack":
                    yield command
                command, redirected = [], False
            elif token[0] in "<>" or re.fullmatch(r"[0-9]>+&?[0-9]*", token):
                redirected = True
            elif not redirected or token[0] in "<>":
                command.append(token)


def problems(argv: list[str]) -> str | None:
    """Why the CLI would reject `argv` (ramstack ...), or None when it parses."""
    verb = argv[1] if len(argv) > 1 else ""
    if verb not in VERBS:
        return None if verb in PENDING_VERBS else f"unknown verb {verb!r}"
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err):
            build_parser().parse_args(argv[1:])
    except SystemExit:
        message = err.getvalue().strip().splitlines()[-1]
        # a shell variable or ${{ }} expression is only known at run time: any choice may be meant
        return None if re.search(r"invalid choice: '(\$\w+|EXPR)'", message) else message
    return None


def _workflow() -> dict[str, Any]:
    files = render(Options(template="github-deploy", stack="prod", account_id="5012345678901234"))
    data: dict[str, Any] = yaml.safe_load(files[".github/workflows/ramstack.yml"])
    return data


def _runs(steps: list[dict[str, Any]]) -> list[str]:
    return [step["run"] for step in steps if "run" in step]


def shipped_invocations() -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for job_name, job in _workflow()["jobs"].items():
        out[f"workflow:{job_name}"] = [c for run in _runs(job["steps"]) for c in ramstack_commands(run)]
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    out["action.yml"] = [c for run in _runs(action["runs"]["steps"]) for c in ramstack_commands(run)]
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    out[".pre-commit-hooks.yaml"] = [[*shlex.split(h["entry"]), *h.get("args", [])] for h in hooks]
    return out


def test_every_ramstack_invocation_parses_with_the_real_cli(capsys) -> None:
    invocations = shipped_invocations()
    bad = [
        (where, argv, why)
        for where, argvs in invocations.items()
        for argv in argvs
        if (why := problems(argv))
    ]
    assert bad == []
    pending = sorted({a[1] for argvs in invocations.values() for a in argvs if a[1] not in VERBS})
    with capsys.disabled():
        print(f"\nCI files: verbs not registered yet (allowed, PENDING_VERBS): {pending or 'none'}")
    assert set(pending) <= set(PENDING_VERBS)
    verbs = {a[1] for argvs in invocations.values() for a in argvs}
    assert {"validate", "lint", "lock", "diff", "verify"} <= verbs


def test_the_checker_rejects_unknown_verbs_and_flags() -> None:
    commands = list(
        ramstack_commands('ramstack lint --stack "$S" --frobnicate > out.sarif && ramstack vaildate')
    )
    assert commands == [["ramstack", "lint", "--stack", "$S", "--frobnicate"], ["ramstack", "vaildate"]]
    assert "unrecognized arguments: --frobnicate" in (problems(commands[0]) or "")
    assert problems(commands[1]) == "unknown verb 'vaildate'"
    assert problems(["ramstack", "diff", "--base-ref", "origin/main", "--format", "markdown"]) is None
    assert problems(["ramstack", "lint", "--fail-on", "$LEVEL"]) is None  # known at run time
    assert "invalid choice: 'hgih'" in (problems(["ramstack", "lint", "--fail-on", "hgih"]) or "")


def test_pull_requests_review_and_main_deploys_through_oidc() -> None:
    workflow = _workflow()
    assert set(workflow[True]) == {"pull_request", "push"}  # YAML 1.1 reads the key `on` as True
    review, deploy = workflow["jobs"]["review"], workflow["jobs"]["deploy"]
    uses = [step.get("uses", "").split("@")[0] for step in review["steps"]]
    assert "github/codeql-action/upload-sarif" in uses and "marocchino/sticky-pull-request-comment" in uses
    assert review["permissions"]["security-events"] == "write"
    preview = next(s for s in review["steps"] if s.get("uses", "").startswith("pulumi/actions@"))
    assert preview["with"]["command"] == "preview"
    assert deploy["permissions"] == {"contents": "read", "id-token": "write"}
    deploy_uses = [step.get("uses", "") for step in deploy["steps"]]
    login = next(
        i for i, u in enumerate(deploy_uses) if u.startswith("aliyun/configure-aliyun-credentials-action@")
    )
    up = next(i for i, u in enumerate(deploy_uses) if u.startswith("pulumi/actions@"))
    assert login < up and deploy["steps"][up]["with"]["command"] == "up"
    assert deploy["steps"][login]["with"]["role-to-assume"] == "acs:ram::5012345678901234:role/ci-deployer"
    verify = next(i for i, s in enumerate(deploy["steps"]) if "ramstack verify --stack" in s.get("run", ""))
    assert "--show-secrets" in deploy["steps"][verify]["run"]  # verify signs in with the users' keys
    cleanup = deploy["steps"][-1]
    assert verify < len(deploy["steps"]) - 1 and cleanup["if"] == "always()" and "rm -f" in cleanup["run"]
    assert workflow["env"]["STACK"] == "prod"


def test_no_long_lived_key_anywhere() -> None:
    texts = [
        render(Options())[".github/workflows/ramstack.yml"],
        (ROOT / "action.yml").read_text(),
        (ROOT / ".pre-commit-hooks.yaml").read_text(),
    ]
    for text in texts:
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        assert not re.search(r"ACCESS_KEY|access-key|AccessKey", code)


@pytest.mark.parametrize("hook", ["ramstack-validate", "ramstack-lint"])
def test_pre_commit_hooks_run_on_spec_and_policy_changes(hook: str) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    pattern = re.compile(hooks[hook]["files"])
    assert hooks[hook]["pass_filenames"] is False and hooks[hook]["language"] == "python"
    for path in ("access.yaml", "infra/Pulumi.prod.yaml", "policies/app.json", "infra/policies/x.yml"):
        assert pattern.search(path), path
    assert not pattern.search("README.md") and not pattern.search("Pulumi.yaml")


def test_the_action_is_composite_and_passes_inputs_through_env() -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), step["name"]  # no script injection through inputs
        assert step["shell"] == "bash"

"""`ramstack init`: every template becomes a project that validates, plans, lints, locks and diffs clean;
the repository's examples/ are those templates rendered; bad options and non-empty folders exit 2."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

from ramstack.cli import main
from ramstack.scaffold import DEFAULT_REGION, MAIN_PY, PLACEHOLDER_ACCOUNT_ID, Options, render, templates

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ["empty", "github-deploy", "imm", "ims-sts", "iot-cross-account", "vod-upload"]
SEED_TEMPLATES = [t for t in TEMPLATES if t != "empty"]


def test_list_names_every_template(capsys) -> None:
    assert main(["init", "--list"]) == 0
    # one template per line, its description folded under it at 100 columns
    listed = [line.split()[0] for line in capsys.readouterr().out.splitlines() if not line.startswith(" ")]
    assert listed == TEMPLATES == [t.name for t in templates()]


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_project_validates_plans_lints_locks_and_diffs_clean(
    template: str, tmp_path, capsys
) -> None:
    project = tmp_path / "infra"
    args = ["init", "--template", template, "--stack", "prod", "--account-id", "5012345678901234"]
    assert main([*args, "--region", "cn-shanghai", str(project)]) == 0
    assert {"Pulumi.yaml", "Pulumi.prod.yaml", "__main__.py", "requirements.txt", "access.yaml"} <= {
        p.name for p in project.iterdir()
    }
    assert (project / "policies/lint.yaml").is_file() and (project / ".gitignore").is_file()
    assert (project / ".github/workflows/ramstack.yml").is_file()
    assert (
        (project / "access.yaml")
        .read_text()
        .startswith("# yaml-language-server: $schema=schema/access.schema.json\n")
    )
    assert (project / "schema/access.schema.json").is_file()
    config = yaml.safe_load((project / "Pulumi.prod.yaml").read_text())["config"]
    assert config["ramstack:accountId"] == "5012345678901234" and config["alicloud:region"] == "cn-shanghai"
    runtime = yaml.safe_load((project / "Pulumi.yaml").read_text())["runtime"]
    assert runtime == {"name": "python", "options": {"toolchain": "pip", "virtualenv": ".venv"}}
    capsys.readouterr()
    for verb in (["validate"], ["plan"], ["lint", "--fail-on", "high"], ["lock"], ["diff", "--exit-code"]):
        assert main([*verb, "-C", str(project), "--stack", "prod"]) == 0, (verb, capsys.readouterr())
    out = capsys.readouterr().out
    assert "stack prod, account 5012345678901234, cn-shanghai" in out


def test_pins_come_from_the_distribution_metadata(tmp_path) -> None:
    files = render(Options(template="empty"))
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extra = pyproject["optional-dependencies"]["pulumi"]
    lines = [line for line in files["requirements.txt"].splitlines() if not line.startswith("#")]
    assert lines == [f"ramstack[pulumi]=={pyproject['version']}", *extra]
    workflow = files[".github/workflows/ramstack.yml"]
    pulumi_pin = next(p for p in extra if p.startswith("pulumi=="))
    assert f"PULUMI_VERSION: {pulumi_pin.split('==')[1]}" in workflow


def test_the_program_is_the_same_thin_file_everywhere() -> None:
    assert (ROOT / "__main__.py").read_text() == MAIN_PY
    assert len(MAIN_PY.splitlines()) < 12 and "from ramstack.components.program import main" in MAIN_PY


@pytest.mark.parametrize("template", SEED_TEMPLATES)
def test_each_example_is_its_template_rendered(template: str) -> None:
    """examples/<name> is `ramstack init --template <name> --stack example examples/<name>`:
    regenerate it with that command (and --force) after changing the template."""
    folder = ROOT / "examples" / template
    expected = render(Options(template, "example", PLACEHOLDER_ACCOUNT_ID, DEFAULT_REGION, template))
    actual = {
        str(p.relative_to(folder)): p.read_text()
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith("permissions.")
    }
    assert actual == expected


def test_a_non_empty_folder_is_refused_unless_forced(tmp_path, capsys) -> None:
    (tmp_path / "notes.txt").write_text("mine\n")
    assert main(["init", str(tmp_path)]) == 2
    assert "error INIT002: " in capsys.readouterr().err
    assert not (tmp_path / "access.yaml").exists()
    assert main(["init", "--force", "--template", "ims-sts", str(tmp_path)]) == 0
    assert (tmp_path / "notes.txt").read_text() == "mine\n" and (tmp_path / "access.yaml").is_file()


def test_bad_options_are_reported_together_and_nothing_is_written(tmp_path, capsys) -> None:
    target = tmp_path / "new"
    args = [
        "init",
        "-t",
        "ims",
        "--account-id",
        "12ab",
        "--region",
        "Shanghai",
        "--stack",
        "a b",
        str(target),
    ]
    assert main(args) == 2
    err = capsys.readouterr().err
    for code in ("INIT001", "INIT003", "INIT004", "INIT005"):
        assert f"error {code}: " in err
    assert "did you mean 'imm'?" in err and "Traceback" not in err
    assert not target.exists()


def test_a_folder_that_cannot_be_created_is_io010(tmp_path, capsys) -> None:
    (tmp_path / "file").write_text("")
    assert main(["init", str(tmp_path / "file" / "sub")]) == 2
    assert "error IO010: " in capsys.readouterr().err


def test_placeholder_account_is_announced(tmp_path, capsys) -> None:
    assert main(["init", str(tmp_path / "p")]) == 0
    assert f"placeholder {PLACEHOLDER_ACCOUNT_ID}" in capsys.readouterr().err


def test_a_template_with_two_accounts_writes_both_stacks(tmp_path, capsys) -> None:
    project = tmp_path / "iot"
    assert main(["init", "-t", "iot-cross-account", "--account-id", "5012345678901234", str(project)]) == 0
    partner = yaml.safe_load((project / "Pulumi.partner.yaml").read_text())["config"]
    assert partner["ramstack:accountId"] == "1000000000000719"
    assert partner["ramstack:spec"] == "partner/access.yaml"
    # the partner's grant names the role in the account given to init
    assert "acs:ram::5012345678901234:role/iotstsrole" in (project / "partner/access.yaml").read_text()
    assert main(["init", "-t", "iot-cross-account", "-s", "partner", str(tmp_path / "x")]) == 2
    assert main(["init"]) == 2
    err = capsys.readouterr().err
    assert "error INIT005: template iot-cross-account already has a stack named 'partner'" in err
    assert "error INIT007: " in err


@pytest.mark.parametrize("gitignore", [ROOT / ".gitignore", ROOT / "ramstack/templates/_project/gitignore"])
def test_secret_holding_default_files_are_git_ignored(gitignore: Path) -> None:
    # the serve ready file holds AccessKey secrets; outputs.json is the documented --show-secrets dump
    ignored = gitignore.read_text().splitlines()
    assert ".ramstack-serve.json" in ignored and "outputs.json" in ignored

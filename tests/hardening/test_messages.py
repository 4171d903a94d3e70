"""Messages that name the actual mistake."""

from __future__ import annotations

from pathlib import Path

from ramstack.cli import main


def test_an_account_arn_in_trust_accounts_is_named_not_mangled(dev: Path, capsys) -> None:
    spec = (dev / "access.yaml").read_text()
    (dev / "access.yaml").write_text(
        spec + "  cross-account-role:\n    trust:\n      accounts: ['acs:ram::1234567890123456:root']\n"
    )
    assert main(["validate"]) == 2
    out = capsys.readouterr().err
    assert (
        "takes an account id, not an ARN" in out and 'write the account id alone: "1234567890123456"' in out
    )
    assert "acs:ram::acs:ram::" not in out and "POL012" not in out


def test_an_invisible_byte_order_mark_in_the_spec_is_named(dev: Path, capsys) -> None:
    spec = (dev / "access.yaml").read_text()
    (dev / "access.yaml").write_text(spec.replace("users:\n", "users:\n\ufeff", 1))
    assert main(["validate"]) == 2
    out = capsys.readouterr().err
    assert "error YAML011: invisible character U+FEFF" in out


def test_plan_without_the_pulumi_sdk_names_the_extra(dev: Path, capsys, monkeypatch) -> None:
    import sys

    for module in ("pulumi", "pulumi_alicloud"):  # what an installed wheel without the extra lacks
        with monkeypatch.context() as patch:
            patch.setitem(sys.modules, module, None)
            assert main(["plan"]) == 2
        captured = capsys.readouterr()
        assert "pip install 'ramstack[pulumi]'" in captured.err and f"{module} is missing" in captured.err
        assert "Traceback" not in captured.err


def _both(capsys) -> str:
    """Diagnostics and results, wherever the verb writes them."""
    captured = capsys.readouterr()
    return captured.out + captured.err


def test_outside_any_project_the_message_says_so_and_points_at_init(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 2
    out = _both(capsys)
    assert "no Pulumi project (Pulumi.yaml) found in" in out and "ramstack init" in out and "-C DIR" in out


def test_stack_names_are_checked_as_pulumi_does(dev: Path, capsys) -> None:
    for bad in ("", "../x/Pulumi.dev", "a/b/c/d", "x y"):
        assert main(["validate", "--stack", bad]) == 2
        out = _both(capsys)
        assert "<command line>:1:1: error CLI002: stack name" in out and "fix: a stack name" in out
    # the qualified forms name the stack by its last segment, as Pulumi.<stack>.yaml does
    for qualified in ("org/dev", "org/project/dev"):
        assert main(["validate", "--stack", qualified]) == 0, _both(capsys)
    assert main(["validate", "--stack", "org/nosuch"]) == 2
    assert "error CFG001: stack 'nosuch' not found: no Pulumi.nosuch.yaml" in _both(capsys)


def test_plain_text_password_fix_names_the_user(dev: Path, capsys) -> None:
    config = (dev / "Pulumi.dev.yaml").read_text()
    (dev / "Pulumi.dev.yaml").write_text(config + "  ramstack:passwords:\n    alice: hunter2\n")
    assert main(["validate"]) == 2
    out = _both(capsys)
    assert "pulumi config set --secret --path 'ramstack:passwords.alice' <password>" in out
    assert "<user>" not in out and "hunter2" not in out


def test_a_missing_policy_file_names_the_path_looked_up(dev: Path, capsys) -> None:
    spec = (dev / "access.yaml").read_text()
    assert "\npolicies:" not in spec
    (dev / "access.yaml").write_text(spec + "policies:\n  ghost:\n    file: nope/ghost.json\n")
    assert main(["validate"]) == 2
    out = _both(capsys)
    assert "looked up" in out and "ghost.json" in out and "relative to the spec's folder" in out


def test_an_implausible_account_id_in_a_trust_or_assume_arn_is_a_located_warning(dev: Path, capsys) -> None:
    spec = (dev / "access.yaml").read_text()
    (dev / "access.yaml").write_text(
        spec
        + "  short-trust:\n    trust:\n      arns: ['acs:ram::12:user/bob']\n"
        + "  long-trust:\n    trust:\n      accounts: ['123456789012345678']\n"
    )
    assert main(["validate"]) == 0  # a warning: whether RAM rejects it is unconfirmed
    out = _both(capsys)
    lines = [line for line in out.splitlines() if "SPEC023" in line]
    assert len(lines) == 2 and all(
        line.startswith("access.yaml:") and "warning SPEC023" in line for line in lines
    )
    assert "account id '12' has 2 digits" in out and "account id '123456789012345678' has 18 digits" in out


def test_the_console_password_warning_is_shown_before_a_deploy_not_by_every_verb(dev: Path, capsys) -> None:
    # the dev stack has a console user without a configured password
    for verb in (["validate"],):
        main(verb)
        assert "warning SPEC018" in "".join(capsys.readouterr()), verb
    for verb in (["lock", "--check"], ["diff"], ["graph"]):
        main(verb)
        assert "SPEC018" not in "".join(capsys.readouterr()), verb


def test_an_implausible_account_id_in_a_cross_account_assume_role_is_a_located_warning(
    dev: Path, capsys
) -> None:
    spec = (dev / "access.yaml").read_text()
    old = "assume_roles: [ims-sts-role, imm-task-role]"
    assert old in spec
    (dev / "access.yaml").write_text(
        spec.replace(old, "assume_roles: [ims-sts-role, imm-task-role, 'acs:ram::12:role/x']")
    )
    assert main(["validate"]) == 0
    out = _both(capsys)
    assert "access.yaml:13:" in out and "warning SPEC023" in out and "account id '12' has 2 digits" in out


def test_minus_c_before_the_verb_works_as_in_git(tmp_path_factory, dev: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))  # outside the project: only -C finds it
    assert main(["-C", str(dev), "validate"]) == 0
    assert "valid" in _both(capsys)


def test_options_before_the_verb_are_read_as_their_parsers_define_them(
    tmp_path_factory, dev: Path, capsys, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path_factory.mktemp("elsewhere"))
    # the attached forms argparse itself accepts (-CDIR, -sNAME), and a global option's = form
    assert main([f"-C{dev}", "-sdev", "--colour=never", "validate"]) == 0
    assert "access.yaml valid" in _both(capsys)
    assert main(["--no-progress", f"--cwd={dev}", "--stack", "dev", "-q", "lint", "--fail-on", "none"]) == 0


def test_the_cli_keeps_no_module_state_and_no_hand_list_of_options() -> None:
    import ramstack.cli as cli

    assert not hasattr(cli, "_ARGV") and not hasattr(cli, "_GLOBAL_WITH_VALUE")
    options = cli.leading_options()
    assert options["--stack"] and options["-C"] and options["--color"] and not options["--quiet"]


def test_stack_before_the_verb_works_as_minus_c_does(dev: Path, capsys) -> None:
    # A new user's `ramstack --stack dev validate` was "invalid choice: 'dev'" (NAME taken for the verb).
    assert main(["--stack", "dev", "validate"]) == 0
    assert "stack dev: access.yaml valid" in _both(capsys)
    assert main(["-q", "--stack=nope", "--color", "never", "validate"]) == 2
    err = _both(capsys)
    assert "stack 'nope' not found" in err and "invalid choice" not in err
    assert main(["-s", "nope", "-C", str(dev), "lint"]) == 2
    assert "stack 'nope' not found" in _both(capsys)

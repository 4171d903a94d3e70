""" "Did you mean" for mistyped verbs and options: usage errors exit 2 and name the close match."""

from __future__ import annotations

import pytest

from ramstack.cli import main


def _usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    return capsys.readouterr().err


def test_mistyped_verb(capsys) -> None:
    assert "invalid choice: 'lnt'" in (err := _usage_error(["lnt"], capsys))
    assert err.rstrip().endswith("(did you mean 'lint'?)")


def test_mistyped_option_of_a_verb(capsys) -> None:
    err = _usage_error(["lint", "--formt", "json"], capsys)
    assert "ramstack lint: error: unrecognized arguments: --formt json (did you mean '--format'?)" in err


def test_mistyped_option_with_a_value(capsys) -> None:
    err = _usage_error(["validate", "--stak=prod"], capsys)
    assert "(did you mean '--stack'?)" in err


def test_mistyped_choice_value(capsys) -> None:
    err = _usage_error(["lint", "--fail-on", "hgh"], capsys)
    assert "(did you mean 'high'?)" in err


def test_nothing_close_means_no_suggestion(capsys) -> None:
    err = _usage_error(["zzzzzz"], capsys)
    assert "invalid choice" in err and "did you mean" not in err


def test_rules_explains_one_rule_with_its_examples(capsys) -> None:
    assert main(["rules", "lp204"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("LP204  high  Privilege-escalation actions\n")
    assert "\nWhy: " in out and "\nFix: " in out
    fails, passes = out.split("\nFails (")[1].split("\nPasses (")
    assert "NotResource" in fails or 'Resource: "*"' in fails
    assert "# expect:" not in out  # the harness's header lines are not part of the example
    assert passes.startswith("pass_")


def test_every_rule_has_an_explanation_with_both_examples(capsys) -> None:
    from ramstack.lint.registry import ALL_RULES

    for rule in ALL_RULES:
        assert main(["rules", rule.id]) == 0
        out = capsys.readouterr().out
        assert "\nFails (" in out and "\nPasses (" in out, rule.id


def test_unknown_rule_is_located_usage_error_with_a_suggestion(capsys) -> None:
    assert main(["rules", "LP2O4"]) == 2
    err = capsys.readouterr().err
    assert "error CLI002: no lint rule 'LP2O4' (did you mean 'LP204'" in err


def test_text_findings_name_their_explanation(capsys, project, monkeypatch) -> None:
    monkeypatch.chdir(project("users:\n  bob:\n    console_login: {mfa_required: false}\n"))
    assert main(["lint", "--stack", "test"]) == 1
    assert "(see: ramstack rules LP501)" in capsys.readouterr().out


def test_lint_examples_live_in_the_package_only() -> None:
    # fixtures are packaged (ramstack rules shows them); a rule's new fixtures belong there too
    from tests.conftest import ROOT

    assert not (ROOT / "tests" / "lint" / "fixtures").exists()
    assert (ROOT / "ramstack" / "lint" / "examples" / "LP204").is_dir()


def _verbs() -> list[list[str]]:
    from ramstack.cli import VERBS

    return [[v] for v in VERBS if v != "activity"] + [
        ["activity", sub] for sub in ("load", "unused", "generate", "replay")
    ]


def _mistyped(option: str) -> str:
    return option[:3] + option[4:]  # one letter dropped: --stack -> --tack, --format -> --frmat


@pytest.mark.parametrize("words", _verbs(), ids=" ".join)
def test_every_verb_and_subverb_suggests_its_own_options(words: list[str], capsys) -> None:
    import argparse

    from ramstack.cli import _chosen_parser, build_parser

    chosen = argparse.Namespace(verb=words[0], activity_verb=words[-1])
    options = sorted(
        o
        for o in _chosen_parser(build_parser([words[0]]), chosen)._option_string_actions
        if o.startswith("--") and len(o) > 5
    )
    assert options, words
    wrong = _mistyped(options[0])
    err = _usage_error([*words, wrong], capsys)
    assert f"(did you mean '{options[0]}'" in err, err


@pytest.mark.parametrize("verb", ["plan", "simulate", "catalog", "verify", "import"])
def test_every_verb_name_is_suggested(verb: str, capsys) -> None:
    err = _usage_error([verb[:-1]], capsys)
    assert f"did you mean '{verb}'" in err


def test_mistyped_activity_subverb(capsys) -> None:
    err = _usage_error(["activity", "unsed"], capsys)
    assert "invalid choice: 'unsed'" in err and "(did you mean 'unused'?)" in err


def test_mistyped_subverb_option(capsys) -> None:
    err = _usage_error(["activity", "load", "--events", "x", "--frmat", "json"], capsys)
    assert "ramstack activity load: error: unrecognized arguments: --frmat" in err
    assert "(did you mean '--format'?)" in err


def test_a_mistyped_required_option_is_named(capsys) -> None:
    err = _usage_error(["import", "--ot", "adopted"], capsys)
    assert "the following arguments are required: --out/-o (did you mean '--out'?)" in err


@pytest.mark.parametrize("fmt", ["text", "github", "markdown", "sarif"])
def test_every_finding_of_every_rule_names_its_explanation(fmt: str) -> None:
    import importlib

    from ramstack.diagnostics import Location
    from ramstack.lint.finding import Finding
    from ramstack.lint.registry import ALL_RULES
    from ramstack.report.base import Report

    render = importlib.import_module(f"ramstack.report.{fmt}").render
    for rule in ALL_RULES:
        finding = Finding(
            rule.id, rule.default_severity, "m", "user/x", location=Location("access.yaml", 1, 1)
        )
        out = render(Report((finding,), threshold=None))
        assert f"ramstack rules {rule.id}" in out, (fmt, rule.id)

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

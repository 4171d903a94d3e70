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

"""Stack-config hardening: ciphertext under secure:, errors that do not hide errors, the spec's place."""

from __future__ import annotations

from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.spec.config import is_ciphertext

CIPHERTEXT = "AAABAGZha2UtY2lwaGVydGV4dC1mb3ItdGVzdHMtb25seQ=="


def _add_config(dev: Path, text: str) -> None:
    stack = dev / "Pulumi.dev.yaml"
    stack.write_text(stack.read_text().replace("config:\n", "config:\n" + text, 1))


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (CIPHERTEXT, True),
        ("v1:AAAAAAAAAAAAAAAA:" + "A" * 24, True),  # passphrase manager: 12-byte nonce, >= 16-byte GCM tag
        ("Hunter2-Plain!", False),
        ("hunter22", False),  # base64 alphabet, but 6 bytes: shorter than any GCM tag
        ("v1:short:" + "A" * 24, False),
        ("v1:AAAAAAAAAAAAAAAA:AAAA", False),
        ("", False),
    ],
)
def test_ciphertext_shapes(value: str, ok: bool) -> None:
    assert is_ciphertext(value) is ok


def test_a_plain_value_under_secure_is_refused_without_echo(dev: Path, capsys) -> None:
    _add_config(dev, "  ramstack:passwords:\n    alice:\n      secure: Correct-Horse-Battery\n")
    for argv in (["validate"], ["lint"], ["plan"], ["lock", "--check"], ["diff"]):
        assert main(argv) == 2, argv
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert "Pulumi.dev.yaml:4:15: error CFG006" in text, argv
        assert "Correct-Horse" not in text


def test_a_config_mistake_does_not_hide_spec_and_policy_errors(dev: Path, capsys) -> None:
    _add_config(dev, "  ramstack:failOnn: high\n")
    spec = (dev / "access.yaml").read_text()
    (dev / "access.yaml").write_text(spec.replace("users:\n", "users:\n  bob:\n    groups: [nope]\n", 1))
    (dev / "policies" / "broken.json").write_text('{"Version": "1", "Statement": [{"Effect": "Allow"}]}')
    assert main(["validate"]) == 2
    out = capsys.readouterr().err
    assert "error CFG004" in out and "error SPEC005" in out and "policies/broken.json" in out


def test_broken_variables_do_not_report_every_variable_as_unknown(dev: Path, capsys) -> None:
    _add_config(dev, "  ramstack:vars: [not, a, mapping]\n")
    (dev / "policies" / "p.json").write_text(
        '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "oss:GetObject", '
        '"Resource": "acs:oss:*:*:${bucket}/*"}]}'
    )
    assert main(["validate"]) == 2
    out = capsys.readouterr().err
    assert "error CFG003" in out and "VAR001" not in out


@pytest.mark.parametrize("spec", ["../outside/access.yaml", "/etc/passwd"])
def test_a_spec_outside_the_project_is_refused_and_nothing_is_written_there(
    dev: Path, capsys, spec: str
) -> None:
    outside = dev.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "access.yaml").write_text((dev / "access.yaml").read_text())
    _add_config(dev, f"  ramstack:spec: {spec}\n")
    assert main(["lock"]) == 2
    assert "error CFG007" in capsys.readouterr().err
    assert not list(outside.glob("*.lock.json"))


def test_a_spec_symlinked_from_outside_is_refused(dev: Path, capsys) -> None:
    outside = dev.parent / "elsewhere.yaml"
    outside.write_text((dev / "access.yaml").read_text())
    (dev / "linked.yaml").symlink_to(outside)
    _add_config(dev, "  ramstack:spec: linked.yaml\n")
    assert main(["validate"]) == 2
    assert "error CFG007" in capsys.readouterr().err

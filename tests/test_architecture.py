"""The core never imports Pulumi nor Alibaba's SDKs: every ramstack module, and the CLI's start-up,
stay free of them."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import ramstack

ROOT = Path(__file__).resolve().parents[1]
HEAVY_ROOTS = (
    "pulumi",
    "pulumi_alicloud",
    "pulumi_policy",
    "pulumi_random",
    "alibabacloud_tea_openapi",
    "alibabacloud_credentials",
    "alibabacloud_sts20150401",
    "alibabacloud_ram20150501",
    "alibabacloud_ims20190815",
    "darabonba",
    "argcomplete",
    "rich",  # colour and progress: imported only when a terminal is painted or shows progress
)
# The Pulumi layer and the SDK layer ship inside the distribution (no generic top-level module) and
# are the only parts allowed to import pulumi or the Alibaba SDKs.
PULUMI_LAYER = "ramstack.components"
SDK_LAYER = "ramstack.live"


def _loaded_after(code: str) -> list[str]:
    listing = f"sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY_ROOTS!r})"
    probe = f"{code}\nimport sys\nprint('\\n'.join({listing}))"
    out = subprocess.run([sys.executable, "-c", probe], check=True, cwd=ROOT, capture_output=True, text=True)
    return [line for line in out.stdout.splitlines() if line]


def test_every_core_module_imports_without_pulumi() -> None:
    modules = [
        m.name
        for m in pkgutil.walk_packages(ramstack.__path__, "ramstack.")
        if m.name != "ramstack.__main__" and not m.name.startswith((PULUMI_LAYER, SDK_LAYER))
    ]
    assert len(modules) > 50
    assert (
        _loaded_after("import importlib\n" + "".join(f"importlib.import_module({m!r})\n" for m in modules))
        == []
    )


def test_cli_help_and_check_policy_start_without_pulumi() -> None:
    code = (
        "import contextlib, io\nfrom ramstack.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check-policy', 'policies/ims-read-only.yaml', '--var', 'appSourceIp=1.2.3.4'])\n"
        "    main(['validate'])\n"
        "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
    )
    assert _loaded_after(code) == []


def test_python_dash_m_ramstack_runs_the_cli() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ramstack", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0 and "check-policy" in result.stdout


def test_no_verb_is_a_usage_error() -> None:
    result = subprocess.run([sys.executable, "-m", "ramstack"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    result = subprocess.run(
        [sys.executable, "-m", "ramstack", "frobnicate"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ramstack", "--version"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.startswith("ramstack 0.")


def test_help_imports_no_verb_module() -> None:
    # `ramstack --help` lists the verbs from the VERBS table; no verb module (nor the spec loader,
    # lint or evaluator behind them) is imported, so start-up stays fast.
    probe = (
        "import contextlib, io, sys\nfrom ramstack.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('ramstack.'))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, cwd=ROOT, capture_output=True, text=True)
    loaded = set(out.stdout.split())
    assert "ramstack.cli" in loaded
    assert not {m for m in loaded if m.startswith(("ramstack.commands.", "ramstack.spec.", "ramstack.lint"))}


def test_live_verbs_parse_their_arguments_without_the_sdks() -> None:
    code = (
        "import contextlib, io\nfrom ramstack.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        + "".join(
            f"    try:\n        main([{verb!r}, '--help'])\n    except SystemExit:\n        pass\n"
            for verb in ("assume", "verify", "serve", "import", "drift")
        )
    )
    assert _loaded_after(code) == []

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

STACK_FILE = """config:
  alicloud:region: cn-hangzhou
  ramstack:accountId: "1234567890123456"
  ramstack:spec: access.yaml
"""


# "Now" for every test: relative windows (`--since 90d`, diff --replay's 30d) count back from here,
# so no answer depends on the day the suite runs. The synthetic events are of 2026-11-01.
FIXED_NOW = datetime(2026, 11, 20, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from ramstack import clock

    monkeypatch.setattr(clock, "now", lambda: FIXED_NOW)


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test sees the same terminal settings, whatever the shell running pytest exports: no
    colour forced or refused by the environment, no width from COLUMNS (tests that need one set it)."""
    for name in ("FORCE_COLOR", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    # and the defaults of the terminal layer, which `main` sets per run and direct callers inherit
    from ramstack.ui import colour, output, progress

    output.configure()
    colour.configure("auto")
    progress.configure("auto")


@pytest.fixture
def project(tmp_path: Path):
    """A throw-away project folder: write(spec_text, policies={name: text}) -> folder."""

    def write(
        spec: str,
        policies: dict[str, str] | None = None,
        stack_file: str = STACK_FILE,
        policies_from: Path | None = None,
    ) -> Path:
        (tmp_path / "Pulumi.test.yaml").write_text(stack_file)
        (tmp_path / "access.yaml").write_text(spec)
        folder = tmp_path / "policies"
        if policies_from is not None:
            shutil.copytree(policies_from, folder, dirs_exist_ok=True)
        for name, text in (policies or {}).items():
            folder.mkdir(exist_ok=True)
            (folder / name).write_text(text)
        return tmp_path

    return write


def copy_root_project(into: Path, *, stacks: tuple[str, ...] = ("dev",), lock: bool = True) -> Path:
    """This repository's stack project copied into `into`: Pulumi.yaml, each stack's config, the
    program, the spec and its policies, and with `lock` each stack's lock file."""
    names = ["Pulumi.yaml", "__main__.py", "access.yaml", *(f"Pulumi.{stack}.yaml" for stack in stacks)]
    if lock:
        names += [f"permissions.{stack}.lock.json" for stack in stacks]
    for name in names:
        shutil.copy(ROOT / name, into / name)
    shutil.copytree(ROOT / "policies", into / "policies")
    return into


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the dev stack (config, program, spec, policies, lock file) as the working directory."""
    monkeypatch.chdir(copy_root_project(tmp_path))
    return tmp_path


@pytest.fixture
def locations_built(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The raw YAML positions made into a Location from now on, in order (laziness is tested by it)."""
    from ramstack import source
    from ramstack.diagnostics import Location

    built: list[object] = []
    at = source.YamlPositions.at

    def counted(self: source.YamlPositions, raw: object) -> Location:
        built.append(raw)
        return at(self, raw)

    monkeypatch.setattr(source.YamlPositions, "at", counted)
    return built


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        default=False,
        help="rewrite the golden files of tests/snapshots/ from the current output instead of comparing",
    )


@pytest.fixture
def snapshot(request: pytest.FixtureRequest):
    """snapshot(name, text): compare `text` with tests/snapshots/golden/<name>.txt (or rewrite it
    under --update-snapshots)."""
    from tests.snapshots.golden import Golden

    return Golden(
        ROOT / "tests" / "snapshots" / "golden", update=request.config.getoption("--update-snapshots")
    )

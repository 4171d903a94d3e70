"""The distribution as a new user meets it: a wheel built from the checkout, installed into a fresh
virtualenv, scaffolds every template with `ramstack init`, and in each project `validate`, `plan`,
`lint`, `lock` and `diff --exit-code` succeed; only `ramstack` lands in site-packages.

Offline and quick: the wheel is built with the pinned setuptools of the dev environment (no build
isolation) and installed with --no-index. Its dependencies come from RAMSTACK_WHEELHOUSE when that
names a folder of wheels (pip install --no-index --find-links); otherwise the fresh venv reads the
already installed dependencies through a .pth file, and the test checks the wheel's Requires-Dist
against them. One venv per module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from ramstack.scaffold import templates

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = [t.name for t in templates()]

DRIVER = """
import contextlib, io, json, os, sys
from ramstack.cli import main
base, results = sys.argv[1], {}
for template in sys.argv[2:]:
    os.chdir(base)
    out, codes = io.StringIO(), {}
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        codes["init"] = main(["init", "--template", template, template])
        os.chdir(os.path.join(base, template))  # the commands run in DIR, as a user types them
        for verb in (["validate"], ["plan"], ["lint"], ["lock"], ["diff", "--exit-code"]):
            codes[verb[0]] = main(verb)
    results[template] = {"codes": codes, "output": out.getvalue()}
print(json.dumps(results))
"""

REQUIREMENTS_MET = """
import json, re, sys
from importlib.metadata import PackageNotFoundError, requires, version
missing = []
for req in requires("ramstack") or []:
    name, _, pinned = req.split(";")[0].strip().partition("==")
    extra = re.search(r"extra == .(\\w+).", req)
    if extra and extra.group(1) != "pulumi":
        continue
    try:
        found = version(name.split("[")[0])
    except PackageNotFoundError:
        found = None
    if found != pinned:
        missing.append([req, found])
print(json.dumps(missing))
"""


def _run(cmd: list[str], cwd: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PULUMI_STACK")}
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, **kw)  # type: ignore[call-overload, no-any-return]


def _source_tree(dest: Path) -> Path:
    """The checkout's files as git sees them (tracked and new, not ignored): no build/ or .venv leftovers."""
    listed = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    for name in filter(None, listed.stdout.split("\0")):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_bytes(src.read_bytes())
    return dest


def _pip(venv_python: Path, *args: str) -> None:
    result = _run([sys.executable, "-m", "pip", "--isolated", "--python", str(venv_python), *args], ROOT)
    assert result.returncode == 0, result.stderr


def _purelib(python: Path) -> Path:
    code = "import sysconfig; print(sysconfig.get_paths()['purelib'])"
    return Path(_run([str(python), "-c", code], python.parent).stdout.strip())


def _fresh_venv(path: Path, wheel: Path, deps: list[Path] | None) -> Path:
    """A venv with the wheel installed; dependencies from the wheelhouse, or from `deps` folders."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
    python = path / "bin" / "python"
    wheelhouse = os.environ.get("RAMSTACK_WHEELHOUSE")
    if deps is None and wheelhouse:
        _pip(python, "install", "-q", "--no-index", "--find-links", wheelhouse, f"{wheel}[pulumi]")
    else:
        _pip(python, "install", "-q", "--no-deps", "--no-index", str(wheel))
        lines = "".join(f"{d}\n" for d in deps or [])
        (_purelib(python) / "_ramstack_test_deps.pth").write_text(lines)
    return python


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("wheel")
    src = _source_tree(base / "src")
    build = f"from setuptools import build_meta; print(build_meta.build_wheel({str(base / 'dist')!r}))"
    built = _run([sys.executable, "-c", build], src)
    assert built.returncode == 0, built.stderr
    wheel = base / "dist" / built.stdout.strip().splitlines()[-1]
    paths = sysconfig.get_paths()
    dev_deps = sorted({Path(paths["purelib"]), Path(paths["platlib"])})
    python = _fresh_venv(base / "venv", wheel, dev_deps)
    site = Path(
        _run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], base
        ).stdout.strip()
    )
    # A second venv with the core's one dependency only: no Pulumi SDK.
    core_only = base / "core-deps"
    core_only.mkdir()
    import yaml

    (core_only / "yaml").symlink_to(Path(yaml.__file__).parent)
    bare = _fresh_venv(base / "bare", wheel, [core_only])
    work = base / "work"
    work.mkdir()
    return {"wheel": wheel, "python": python, "site": site, "bare": bare, "work": work}


def test_the_wheel_holds_only_the_ramstack_package(installed: dict[str, Path]) -> None:
    with zipfile.ZipFile(installed["wheel"]) as wheel:
        tops = {name.split("/")[0] for name in wheel.namelist()}
        names = wheel.namelist()
    assert tops == {"ramstack", "ramstack-0.1.0.dist-info"}
    assert "ramstack/components/program.py" in names and "ramstack/components/crossguard.py" in names
    assert "ramstack/templates/_project/github/workflows/ramstack.yml" in names


def test_site_packages_gains_no_generic_module(installed: dict[str, Path]) -> None:
    added = {p.name for p in installed["site"].iterdir()} - {"_ramstack_test_deps.pth", "__pycache__"}
    assert added == {"ramstack", "ramstack-0.1.0.dist-info"}
    probe = (
        "import importlib.util as u, ramstack\n"
        "print(ramstack.__file__, u.find_spec('components'), u.find_spec('policypack'))"
    )
    out = _run([str(installed["python"]), "-c", probe], installed["work"]).stdout.split()
    assert out[0].startswith(str(installed["site"])) and out[1:] == ["None", "None"]


def test_the_environment_meets_the_wheels_pins(installed: dict[str, Path]) -> None:
    out = _run([str(installed["python"]), "-c", REQUIREMENTS_MET], installed["work"])
    assert json.loads(out.stdout) == [], out.stderr


def test_every_template_validates_plans_lints_locks_and_diffs(installed: dict[str, Path]) -> None:
    base = installed["work"] / "in-process"
    base.mkdir()
    result = _run([str(installed["python"]), "-c", DRIVER, str(base), *TEMPLATES], base)
    assert result.returncode == 0, result.stderr
    runs = json.loads(result.stdout)
    for template in TEMPLATES:
        codes = runs[template]["codes"]
        expected = {"init": 0, "validate": 0, "plan": 0, "lint": 0, "lock": 0, "diff": 0}
        assert codes == expected, (template, runs[template]["output"])
        assert "Resources to create:" in runs[template]["output"]


def test_the_console_script_in_a_new_project(installed: dict[str, Path]) -> None:
    ramstack = str(installed["python"].parent / "ramstack")
    listed = _run([ramstack, "init", "--list"], installed["work"])
    names = [line.split()[0] for line in listed.stdout.splitlines() if not line.startswith(" ")]
    assert listed.returncode == 0 and names == TEMPLATES  # descriptions fold under their name
    created = _run([ramstack, "init", "-t", "github-deploy", "-s", "prod", "infra"], installed["work"])
    assert created.returncode == 0, created.stderr
    project = installed["work"] / "infra"
    outputs = {}
    for verb in (["validate"], ["plan"], ["lock", "--check"]):
        result = _run([ramstack, *verb, "--stack", "prod"], project)
        expected = 1 if verb == ["lock", "--check"] else 0  # nothing locked yet
        assert result.returncode == expected, (verb, result.stdout, result.stderr)
        outputs[verb[0]] = result.stdout
    assert "role/ci-deployer" in outputs["plan"]


def test_plan_without_the_pulumi_extra_names_it(installed: dict[str, Path]) -> None:
    ramstack = str(installed["bare"].parent / "ramstack")
    assert _run([ramstack, "init", "bare"], installed["work"]).returncode == 0
    project = installed["work"] / "bare"
    assert _run([ramstack, "validate"], project).returncode == 0
    plan = _run([ramstack, "plan"], project)
    assert plan.returncode == 2
    assert "pip install 'ramstack[pulumi]'" in plan.stderr and "Traceback" not in plan.stderr

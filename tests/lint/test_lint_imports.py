"""A stack's lint loads only what its rules and its one report format use: not the evaluator, the
effective-permission computation or the permission diff, and for the text format neither the diff's
model (the github format's) nor importlib.metadata (the version json and sarif print)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_lint_of_a_stack_imports_no_evaluator_nor_effective_computation() -> None:
    probe = (
        "import contextlib, io, sys\nfrom ramstack.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    code = main(['lint', '-C', 'examples/ims-sts', '--stack', 'example', '--fail-on', 'none'])\n"
        "print(code)\n"
        "prefixes = ('ramstack.', 'importlib.metadata')\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith(prefixes))))"
    )
    out = subprocess.run([sys.executable, "-c", probe], check=True, cwd=ROOT, capture_output=True, text=True)
    code, *loaded = out.stdout.split()
    assert code == "0"
    assert "ramstack.lint.runner" in loaded and "ramstack.report.text" in loaded
    heavy = {
        "ramstack.evaluate.evaluator",
        "ramstack.evaluate.compile",
        "ramstack.effective.compute",
        "ramstack.effective.model",
        "ramstack.permdiff.compute",
        "ramstack.permdiff.model",
        "ramstack.report.github",
        "importlib.metadata",
    }
    assert not heavy & set(loaded)


def test_the_packages_still_export_their_names() -> None:
    import ramstack.effective as effective
    import ramstack.evaluate as evaluate
    import ramstack.permdiff as permdiff

    for package in (effective, evaluate, permdiff):
        for name in package.__all__:
            assert getattr(package, name) is not None, (package.__name__, name)

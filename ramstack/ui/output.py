"""One stream discipline for every verb.

stdout  the verb's result: the plan, lint findings, the diff, simulate's decisions, a schema, a rule
        list, or whichever machine format `--format` chose (byte-stable; safe to redirect to a file)
stderr  everything about the run: diagnostics on the input (`FILE:LINE:COL: error CODE: ...`), notes
        and the closing summary line (`Plan: 5 to add, 0 to change, 0 to destroy.`)

`--quiet` drops the notes and the summary line; results, errors and warnings always appear.
The streams are looked up at each call (not bound at import) so redirection and test capture work.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass

from ramstack.diagnostics import Diagnostic, sort_diagnostics


@dataclass
class Settings:
    quiet: bool = False


SETTINGS = Settings()


def configure(*, quiet: bool = False) -> None:
    SETTINGS.quiet = quiet


def result(text: str) -> None:
    """Part of the verb's result, on stdout."""
    sys.stdout.write(text)


def diagnostics(items: Iterable[Diagnostic]) -> None:
    """Located diagnostics, sorted, on stderr (shown even with --quiet)."""
    for d in sort_diagnostics(items):
        sys.stderr.write(d.format() + "\n")


def note(text: str) -> None:
    """An informational line on stderr (what was written, what to do next); hidden by --quiet."""
    if not SETTINGS.quiet:
        sys.stderr.write(text + "\n")


def summary(text: str) -> None:
    """The closing summary line of a verb, on stderr; hidden by --quiet."""
    note(text)

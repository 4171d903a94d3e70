"""One stream discipline for every verb.

stdout  the verb's result: the plan, lint findings, the diff, simulate's decisions, a schema, a rule
        list, or whichever machine format `--format` chose (byte-stable; safe to redirect to a file)
stderr  everything about the run: diagnostics on the input (`FILE:LINE:COL: error CODE: ...`), notes
        and the closing summary line (`Plan: 5 to add, 0 to change, 0 to destroy.`)

progress  a live progress line for long runs (plan, import, drift, large lint), on stderr, only on
          a terminal (ramstack.ui.progress); erased when the run ends

`--quiet` drops the notes, the summary line and progress; results, errors and warnings always appear.
On a terminal each stream is coloured by kind of text (ramstack.ui.colour); elsewhere the bytes are
exactly the uncoloured text. The streams are looked up at each call (not bound at import) so
redirection and test capture work.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass

from ramstack.diagnostics import Diagnostic, sort_diagnostics
from ramstack.ui import colour


@dataclass
class Settings:
    quiet: bool = False


SETTINGS = Settings()


def configure(*, quiet: bool = False) -> None:
    SETTINGS.quiet = quiet


def result(text: str, kind: colour.Kind | None = None) -> None:
    """Part of the verb's result, on stdout; on a terminal coloured as `kind` (None: never)."""
    out = sys.stdout
    out.write(text if kind is None else colour.paint(text, kind, out))


def diagnostics(items: Iterable[Diagnostic]) -> None:
    """Located diagnostics, sorted, on stderr (shown even with --quiet)."""
    text = "".join(d.format() + "\n" for d in sort_diagnostics(items))
    if text:
        sys.stderr.write(colour.paint(text, "diagnostics", sys.stderr))


def error(text: str) -> None:
    """A run-level failure that has no location (the stack program failed), on stderr, always."""
    sys.stderr.write(colour.paint(text, "error", sys.stderr) + "\n")


def note(text: str) -> None:
    """An informational line on stderr (what was written, what to do next); hidden by --quiet."""
    if not SETTINGS.quiet:
        sys.stderr.write(text + "\n")


def summary(text: str) -> None:
    """The closing summary line of a verb, on stderr; hidden by --quiet."""
    if not SETTINGS.quiet:
        sys.stderr.write(colour.paint(text, "summary", sys.stderr) + "\n")

"""Colour and emphasis on a terminal, none anywhere else.

Whether a stream is coloured (decided per stream, at each write):
  --color always   colour, whatever the environment says
  --color never    no colour
  --color auto     (the default) no colour when NO_COLOR is set and not empty (no-color.org); colour when
                   FORCE_COLOR is set and not empty, "0" or "false" (which turn it off); no colour
                   when TERM=dumb; otherwise colour exactly when the stream is a terminal.

Text is rendered first, exactly as it is printed in a pipe, and then painted: each kind of output
(diagnostics, lint findings, a permission diff, a plan, simulate's answer, a summary line) has a
few patterns whose matches get a style. Painting adds ANSI escape codes and never changes a
character of the text, so the uncoloured output is byte-identical to what it was before colour
existed. `rich` renders the styles; it is imported only when something is actually painted, so
`ramstack --help` and any run in a pipe never pay for it (and a missing `rich` means no colour).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, Protocol

from ramstack.ui.terminal import is_terminal

if TYPE_CHECKING:
    from rich.style import Style

    class Stream(Protocol):
        def isatty(self) -> bool: ...


MODES = ("auto", "always", "never")
Kind = Literal[
    "diagnostics", "lint", "diff", "plan", "simulate", "summary", "error", "verify", "rules", "activity"
]


class _Settings:
    mode = "auto"


SETTINGS = _Settings()


def configure(mode: str = "auto") -> None:
    if mode not in MODES:
        raise ValueError(f"colour mode {mode!r} is not one of {', '.join(MODES)}")
    SETTINGS.mode = mode


def wanted(stream: Stream, environ: Mapping[str, str] | None = None) -> bool:
    """Whether text written to `stream` is coloured (see the module's docstring)."""
    if SETTINGS.mode != "auto":
        return SETTINGS.mode == "always"
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", ""):
        return False
    force = env.get("FORCE_COLOR", "")
    if force:
        return force.lower() not in ("0", "false")
    if env.get("TERM") == "dumb":
        return False
    return is_terminal(stream)


# --- what gets which style -------------------------------------------------------------------------
# Each rule: a pattern (matched per line) and the style of the whole match, or of its named groups
# (a group named `s_<n>` gets STYLE_OF_GROUP[n]). Styles are rich style strings.

ERROR = "bold red"
WARNING = "yellow"
ADDED = "green"
REMOVED = "red"
LOUD = "bold white on red"  # escalations and destroyed identities
HEAD = "bold"
QUIET = "dim"

_LOCATION = r"^ *(?P<where>\S.*?:\d+:\d+): "
_SEVERITY_STYLE = {
    "error": ERROR,
    "critical": LOUD,
    "high": ERROR,
    "warning": WARNING,
    "medium": WARNING,
    "low": "cyan",
    "info": QUIET,
}


class Rule:
    """A pattern and the style of its match or of its named groups (a plain class: cheap to import)."""

    __slots__ = ("source", "styles")

    def __init__(self, source: str, styles: Mapping[str, str]) -> None:
        self.source = source  # compiled on first use: a run in a pipe never pays for the patterns
        self.styles = styles  # group name ("0": the whole match) -> style

    @property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.source, re.M)  # re caches compiled patterns


def _rule(pattern: str, style: str | None = None, **groups: str) -> Rule:
    styles = dict(groups)
    if style is not None:
        styles["0"] = style
    return Rule(pattern, styles)


def _severity_rules(names: Sequence[str]) -> list[Rule]:
    return [
        _rule(
            _LOCATION + rf"(?P<sev>(?:{name}|{name.upper()}) [A-Z]+[0-9]+):",
            where=HEAD,
            sev=_SEVERITY_STYLE[name],
        )
        for name in names
    ]


_FIX = _rule(r"\((?:fix|see): .*\)$", QUIET)
_DIFF = [
    _rule(r"^!! (?:DESTROYED|ESCALATION) .*$", LOUD),
    _rule(r"^\s+\+ .*$", ADDED),
    _rule(r"^\s+- .*$", REMOVED),
    _rule(r"^\s+\^ .*$", WARNING),  # widened
    _rule(r"^\s+v .*$", "cyan"),  # narrowed
    _rule(r"^\s+~ .*$", WARNING),
    _rule(r"\[escalation\]|\(DESTROYED\)", LOUD),
    _rule(r"\(created\)", ADDED),
    _rule(r"^(?:user|group|role|oidc)/\S+", HEAD),
]
_DECISION = [
    _rule(r"\bAllow\b", ADDED),
    _rule(r"\b(?:ExplicitDeny|ImplicitDeny|Deny)\b", REMOVED),
]
_COUNT = r"\b[1-9][0-9]* "

RULES: dict[str, list[Rule]] = {
    "diagnostics": [*_severity_rules(["error", "warning"]), _FIX],
    "lint": [*_severity_rules(["critical", "high", "medium", "low", "info"]), _FIX],
    "diff": _DIFF,
    "plan": [
        _rule(r"^(?:user|group|role|oidc)/\S+$", HEAD),
        _rule(r"(?<=^  )Allow\b", ADDED),  # the effect column of a principal's table
        _rule(r"(?<=^  )Deny\b", REMOVED),
        _rule(r"^Lint gate: .*$", ERROR),
        *_severity_rules(["critical", "high", "medium", "low", "info"]),
    ],
    "simulate": _DECISION,
    "verify": [
        _rule(r"^PASS\b", ADDED),
        _rule(r"^FAIL\b", ERROR),
        _rule(r"^SKIP\b", WARNING),
        _rule(_COUNT + r"failed\b", ERROR),
    ],
    "summary": [
        _rule(r"^[A-Z][a-z]+(?=: )", HEAD),
        _rule(_COUNT + r"(?:errors?|destroyed|escalations?|critical|high|to destroy|removed)\b", ERROR),
        _rule(_COUNT + r"(?:warnings?|medium|widened|to change)\b", WARNING),
        _rule(_COUNT + r"(?:to add|created|grants added)\b", ADDED),
        _rule(r"\bLint gate: .*$", ERROR),
        _rule(r"\b(?:invalid|out of date)\b", ERROR),
    ],
    "error": [_rule(r"^.+$", ERROR)],
    "activity": [  # unused access and replay: what a change would break stands out
        _rule(r"^  BREAKS .*$", LOUD),
        _rule(_COUNT + r"would now be denied\b", ERROR),
        _rule(r"^  unused: .*$", WARNING),
        _rule(r"^    never called: ", QUIET),
        _rule(r"^(?:user|group|role)/\S+", HEAD),
    ],
    "rules": [  # `ramstack rules`: the id bold, the default severity in its colour
        _rule(rf"^(?P<id>[A-Z]+[0-9]+)  (?P<sev>{name})\b", id=HEAD, sev=_SEVERITY_STYLE[name])
        for name in ("critical", "high", "medium", "low", "info")
    ],
}


# --- painting ---------------------------------------------------------------------------------------


def spans(text: str, kind: Kind) -> list[tuple[int, int, str]]:
    """(start, end, style) of every match of `kind`'s rules, in rule order (later rules win)."""
    found: list[tuple[int, int, str]] = []
    for rule in RULES.get(kind, ()):
        for match in rule.pattern.finditer(text):
            for group, style in rule.styles.items():
                start, end = match.span(0 if group == "0" else group)
                if end > start:
                    found.append((start, end, style))
    return found


def render(text: str, kind: Kind) -> str:
    """`text` with the ANSI styles of `kind` (unconditionally; `paint` decides whether to)."""
    marked = spans(text, kind)
    if not marked:  # nothing to paint: rich is not even imported
        return text
    try:
        # rich.style alone renders a style's SGR codes: a fraction of rich.console's import time
        from rich.style import Style
    except ImportError:  # the core runs without rich: no colour, same text
        return text
    parsed = {name: Style.parse(name) for name in {style for _, _, style in marked}}
    # a sweep over the span boundaries: each stretch gets the combined style of the spans over it
    events = sorted(
        [(start, 1, i) for i, (start, _, _) in enumerate(marked)]
        + [(end, 0, i) for i, (_, end, _) in enumerate(marked)]
    )
    active: set[int] = set()
    combined: dict[tuple[int, ...], Style] = {}
    out: list[str] = []
    position = 0
    for at, opens, index in events:
        if at > position:
            out.append(_styled(text[position:at], active, marked, parsed, combined))
            position = at
        if opens:
            active.add(index)
        else:
            active.discard(index)
    out.append(text[position:])
    return "".join(out)


def _styled(
    piece: str,
    active: set[int],
    marked: list[tuple[int, int, str]],
    parsed: dict[str, Style],
    combined: dict[tuple[int, ...], Style],
) -> str:
    if not active:
        return piece
    from rich.color import ColorSystem
    from rich.style import Style

    key = tuple(sorted(active))
    style = combined.get(key)
    if style is None:
        style = combined[key] = Style.combine(parsed[marked[i][2]] for i in key)
    # line by line, so a pager or a log viewer that reads lines keeps each line's colour
    return "\n".join(
        style.render(line, color_system=ColorSystem.STANDARD) if line else line for line in piece.split("\n")
    )


def paint(text: str, kind: Kind, stream: Stream) -> str:
    """`text` coloured for `stream` when it wants colour, else `text` itself (no import, no copy)."""
    if not wanted(stream):
        return text
    return render(text, kind)


def strip(text: str) -> str:
    """The text without ANSI SGR codes (for tests: painting never changes a character)."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text)

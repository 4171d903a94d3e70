"""Whether a stream is a terminal: False for a stream without `isatty` (a replaced one) or a closed
one, instead of an exception. The one test behind layout width, colour and progress display."""

from __future__ import annotations


def is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False

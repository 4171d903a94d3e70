"""A long list named in one line: its first few items, then how many more ("a, b, ... and 54 more").
Used wherever a message names the actions of a grant (ACT110, `activity unused`, generate-policy's
--diff), so the three read alike."""

from __future__ import annotations

from collections.abc import Sequence

SHOW = 8  # items named before "... and N more"


def first_of(items: Sequence[str], show: int = SHOW) -> str:
    more = len(items) - show
    return ", ".join(items[:show]) + (f", ... and {more} more" if more > 0 else "")

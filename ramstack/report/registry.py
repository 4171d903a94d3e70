"""Report formats by name: `--format` choices of `ramstack lint`."""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from typing import cast

from ramstack.report.base import Formatter

NAMES = ("text", "json", "sarif", "markdown", "github")  # each format's module is ramstack.report.NAME


class _Formatters(Mapping[str, Formatter]):
    """Format name -> its `render`, the format's module imported when it is asked for: a run prints
    one format, and the others' imports (github's loads the permission-diff model) are not paid."""

    def __getitem__(self, name: str) -> Formatter:
        if name not in NAMES:
            raise KeyError(name)
        return cast(Formatter, importlib.import_module(f"ramstack.report.{name}").render)

    def __iter__(self) -> Iterator[str]:
        return iter(NAMES)

    def __len__(self) -> int:
        return len(NAMES)


FORMATTERS: Mapping[str, Formatter] = _Formatters()

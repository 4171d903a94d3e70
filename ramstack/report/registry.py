"""Report formats by name: `--format` choices of `ramstack lint`."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from ramstack.report import github, json, markdown, sarif, text
from ramstack.report.base import Formatter

FORMATTERS: Mapping[str, Formatter] = MappingProxyType(
    {
        "text": text.render,
        "json": json.render,
        "sarif": sarif.render,
        "markdown": markdown.render,
        "github": github.render,
    }
)

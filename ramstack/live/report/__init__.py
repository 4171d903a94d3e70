"""`ramstack verify` reports, one format per file: text, json, markdown."""

from __future__ import annotations

from collections.abc import Callable

from ramstack.live.report.json_format import render_json
from ramstack.live.report.markdown import render_markdown
from ramstack.live.report.text import render_text
from ramstack.live.verify import Check

RENDERERS: dict[str, Callable[[str, list[Check]], str]] = {
    "text": render_text,
    "json": render_json,
    "markdown": render_markdown,
}

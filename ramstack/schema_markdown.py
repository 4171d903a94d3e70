"""The access spec's JSON Schema as a markdown reference (docs/spec-reference.md): one table per
object, every field with its type, default and description. Generated from the schema itself, so the
reference, the editor schema and the loader's field tables cannot disagree."""

from __future__ import annotations

import json
from typing import Any

HEADER = """# Spec reference

Every field of `access.yaml`, generated from its JSON Schema by
`ramstack schema --kind spec --format markdown` (a test keeps this page current). `<name>` stands
for the key you choose (a user's logon name, a role's name, ...). Unknown fields are errors
(SPEC002) with a "did you mean".
"""


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    if kind == "array":
        item = schema.get("items", {})
        return "list of objects" if item.get("type") == "object" else f"list of {item.get('type', 'any')}s"
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return "map of objects" if extra.get("type") == "object" else f"map of {extra.get('type')}s"
        return "object"
    bounds = [f"{k} {schema[k]}" for k in ("minimum", "maximum") if k in schema]
    return f"{kind} ({', '.join(bounds)})" if bounds else str(kind)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _children(schema: dict[str, Any]) -> dict[str, Any] | None:
    """The object whose properties a field holds (a nested object, a map or a list of objects)."""
    if "properties" in schema:
        return schema
    for key in ("additionalProperties", "items"):
        inner = schema.get(key)
        if isinstance(inner, dict) and "properties" in inner:
            return inner
    return None


def _sections(path: str, schema: dict[str, Any], out: list[str]) -> None:
    required = set(schema.get("required", ()))
    rows = ["| field | type | default | description |", "|---|---|---|---|"]
    nested: list[tuple[str, dict[str, Any]]] = []
    for name, field in sorted(schema["properties"].items()):
        default = "required" if name in required else ""
        if "default" in field:
            default = f"`{json.dumps(field['default'])}`"
        rows.append(f"| `{name}` | {_type(field)} | {default} | {_cell(field.get('description', ''))} |")
        inner = _children(field)
        if inner is not None:
            suffix = "[]" if field.get("type") == "array" else "" if "properties" in field else ".<name>"
            nested.append((f"{path}.{name}{suffix}" if path else f"{name}{suffix}", inner))
    out += ["", f"## `{path or 'access.yaml'}`", "", *rows]
    for child_path, child in nested:
        _sections(child_path, child, out)


def render(schema: dict[str, Any]) -> str:
    out = [HEADER.rstrip("\n")]
    _sections("", schema, out)
    return "\n".join(out) + "\n"

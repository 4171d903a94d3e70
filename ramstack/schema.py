"""JSON Schemas (draft 2020-12) for editors: the access spec (generated from the field tables, so it never
drifts from the loader) and policy documents (Alibaba's grammar, for pasting examples from the docs)."""

from __future__ import annotations

import json
from typing import Any

from ramstack.spec import fields as F

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _type_schema(typ: F.T) -> dict[str, Any]:
    if typ.kind == "str":
        return {"type": "string"}
    if typ.kind == "bool":
        return {"type": "boolean"}
    if typ.kind == "int":
        out: dict[str, Any] = {"type": "integer"}
        if typ.minimum is not None:
            out["minimum"] = typ.minimum
        if typ.maximum is not None:
            out["maximum"] = typ.maximum
        return out
    if typ.kind == "list":
        return {"type": "array", "items": {"type": "string"}, "uniqueItems": True}
    if typ.kind == "map":
        return {"type": "object", "additionalProperties": {"type": "string"}}
    if typ.kind == "object":
        return _object_schema(typ.fields)
    if typ.kind == "objects":
        return {"type": "object", "additionalProperties": _object_schema(typ.fields)}
    if typ.kind == "object_list":
        return {"type": "array", "items": _object_schema(typ.fields)}
    raise AssertionError(typ.kind)


def _object_schema(fields: tuple[F.Field, ...]) -> dict[str, Any]:
    props: dict[str, Any] = {}
    for fld in fields:
        schema = _type_schema(fld.type)
        schema["description"] = fld.description
        if fld.default is not None:
            schema["default"] = fld.default
        props[fld.name] = schema
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    required = [f.name for f in fields if f.required]
    if required:
        out["required"] = required
    return out


def spec_schema() -> dict[str, Any]:
    schema = _object_schema(F.SPEC.fields)
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": "urn:ramstack:schema:access",
        "title": "ramstack access spec",
        **schema,
    }


def policy_schema() -> dict[str, Any]:
    strings = {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}
    scalar = {"type": ["string", "number", "boolean"]}
    values = {"oneOf": [scalar, {"type": "array", "items": scalar, "minItems": 1}]}
    statement = {
        "type": "object",
        "properties": {
            "Effect": {"enum": ["Allow", "Deny"]},
            "Action": strings,
            "NotAction": strings,
            "Resource": strings,
            "NotResource": strings,
            "Principal": {
                "type": "object",
                "properties": {"RAM": strings, "Service": strings, "Federated": strings},
                "additionalProperties": False,
            },
            "Condition": {
                "type": "object",
                "additionalProperties": {"type": "object", "additionalProperties": values},
            },
            "Sid": {"type": "string"},
        },
        "required": ["Effect"],
        "oneOf": [{"required": ["Action"]}, {"required": ["NotAction"]}],
        "additionalProperties": False,
    }
    return {
        "$schema": SCHEMA_DIALECT,
        "$id": "urn:ramstack:schema:policy",
        "title": "Alibaba Cloud RAM policy document",
        "type": "object",
        "properties": {
            "Version": {"const": "1"},
            "Statement": {"type": "array", "items": statement, "minItems": 1},
        },
        "required": ["Version", "Statement"],
        "additionalProperties": False,
    }


SCHEMA_FILES = {"spec": "access.schema.json", "policy": "policy.schema.json"}


def schema_texts(kind: str = "all") -> dict[str, str]:
    """File name -> text of the committed schemas (schema/ here, and in every `ramstack init` project)."""
    schemas = {"spec": spec_schema, "policy": policy_schema}
    return {
        filename: json.dumps(schemas[k](), indent=2, sort_keys=True) + "\n"
        for k, filename in SCHEMA_FILES.items()
        if kind in ("all", k)
    }

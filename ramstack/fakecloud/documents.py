"""Policy documents as the API receives them: size, JSON, grammar, and the trust-policy principals.

`grammar_problems` is the single integration point with the project's validator
(`ramstack.policy.validate.parse_policy_dict`); it is imported lazily and, when absent, a minimal
JSON-shape check stands in.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from typing import Any

from ramstack.diagnostics import InvalidInput, Level
from ramstack.fakecloud.errors import CloudError
from ramstack.policy.document import PolicyKind

_VALIDATOR_MODULE = "ramstack.policy.validate"
_VALIDATOR_FUNCTION = "parse_policy_dict"


def load_document(
    text: str,
    *,
    kind: PolicyKind,
    field: str,
    max_bytes: int,
    length_code: str,
    grammar_code: str = "MalformedPolicyDocument",
) -> dict[str, Any]:
    """Check `text` in the API's order (size, JSON, grammar) and return it parsed.

    Size is the UTF-8 byte length of the exact string sent (the strict reading of reference §4).
    """
    size = len(text.encode("utf-8"))
    if size == 0 or size > max_bytes:
        raise CloudError(length_code, f"{field} must be 1 to {max_bytes} bytes long (got {size})")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # nesting too deep for the parser is malformed too
        raise CloudError(grammar_code, f"{field} is not valid JSON: {exc}") from None
    problems = grammar_problems(data, kind, source=f"<{field}>")
    if problems:
        raise CloudError(grammar_code, f"{field} is malformed: " + "; ".join(problems))
    assert isinstance(data, dict)
    return data


def grammar_problems(data: Any, kind: PolicyKind, source: str = "<policy>") -> list[str]:
    """Messages for every grammar error of `data` (an already parsed JSON value); empty when valid."""
    if not isinstance(data, dict):
        return [f"the document must be a JSON object, got {type(data).__name__}"]
    validator = _validator()
    if validator is None:
        return _minimal_problems(data, kind)
    try:
        validator(data, kind, source=source)
    except InvalidInput as exc:
        return [d.message for d in exc.diagnostics if d.level is Level.ERROR] or [str(exc)]
    return []


def _validator() -> Any:
    try:
        module = importlib.import_module(_VALIDATOR_MODULE)
    except ImportError:
        return None
    return getattr(module, _VALIDATOR_FUNCTION, None)


def _minimal_problems(data: dict[str, Any], kind: PolicyKind) -> list[str]:
    problems: list[str] = []
    if data.get("Version") != "1":
        problems.append('Version must be "1"')
    statements = data.get("Statement")
    if not isinstance(statements, list) or not statements:
        return [*problems, "Statement must be a non-empty array"]
    for i, statement in enumerate(statements):
        if not isinstance(statement, dict):
            problems.append(f"Statement[{i}] must be an object")
            continue
        if statement.get("Effect") not in ("Allow", "Deny"):
            problems.append(f'Statement[{i}].Effect must be "Allow" or "Deny"')
        if ("Action" in statement) == ("NotAction" in statement):
            problems.append(f"Statement[{i}] must have exactly one of Action or NotAction")
        if kind == "trust" and "Principal" not in statement:
            problems.append(f"Statement[{i}] of a trust policy must have a Principal")
    return problems


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def statements(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for statement in document.get("Statement") or []:
        if isinstance(statement, dict):
            yield statement


def principals(document: dict[str, Any], principal_type: str) -> list[str]:
    """Every value of `Principal.<principal_type>` across the document's statements."""
    out: list[str] = []
    for statement in statements(document):
        principal = statement.get("Principal")
        if isinstance(principal, dict):
            out.extend(_strings(principal.get(principal_type)))
    return out

"""Secrets that cannot leak by accident: `Secret` never shows its value in str/repr/format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REDACTED = "***"

# API parameters (snake_case) whose values are secrets; redacted in the call log.
SECRET_PARAMETERS = frozenset(
    {
        "password",
        "new_password",
        "access_key_secret",
        "security_token",
        "authentication_code1",
        "authentication_code2",
    }
)


class Secret:
    """Holds a secret value; only `reveal()` returns it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return f"Secret({REDACTED!r})"

    def __str__(self) -> str:
        return REDACTED

    def __format__(self, spec: str) -> str:
        return REDACTED

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __reduce__(self) -> Any:
        raise TypeError("Secret values are not picklable")


def redact_parameters(params: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (REDACTED if k in SECRET_PARAMETERS and v is not None else v) for k, v in params.items()}

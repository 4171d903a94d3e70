"""Located diagnostics: the one error currency of the core.

Every user mistake becomes a `Diagnostic` with a file, line, column, stable code and a fix;
callers collect all of them and fail once with `InvalidInput`, never with a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a source file, rendered editor-clickable as `file:line:col`."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


class Positions(Protocol):
    """Turns a parser's raw position (a YAML mark, a JSON offset) into a `Location`."""

    def at(self, raw: Any) -> Location: ...


# A value's raw position with the `Positions` that make it a Location: where a value was read, kept
# by a model object that is seldom asked (`PolicyRef.location`) and made a Location by `locate`.
Mark = tuple[Positions, Any]


def locate(where: Location | Mark) -> Location:
    """The Location of `where` (made from a raw position when it is one)."""
    return where if isinstance(where, Location) else where[0].at(where[1])


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    level: Level
    code: str
    message: str
    fix: str | None = None

    def format(self) -> str:
        text = f"{self.location}: {self.level} {self.code}: {self.message}"
        return f"{text} (fix: {self.fix})" if self.fix else text

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code, self.message)

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "level": self.level.value,
            "code": self.code,
            "message": self.message,
            "fix": self.fix,
        }


def sort_diagnostics(items: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(items), key=Diagnostic.sort_key)


@dataclass
class Diagnostics:
    """A collector: checks append to it and keep going, so the user sees every problem at once.

    `levels` maps a code to "error", "warning" or "ignore", overriding its default level; it is how
    unconfirmed grammar points are made strict or silent by configuration.
    """

    items: list[Diagnostic] = field(default_factory=list)
    levels: dict[str, str] = field(default_factory=dict)

    def _add(self, default: Level, loc: Location, code: str, message: str, fix: str | None) -> None:
        override = self.levels.get(code)
        if override == "ignore":
            return
        level = Level(override) if override in ("error", "warning") else default
        self.items.append(Diagnostic(loc, level, code, message, fix))

    def error(self, loc: Location, code: str, message: str, fix: str | None = None) -> None:
        self._add(Level.ERROR, loc, code, message, fix)

    def warning(self, loc: Location, code: str, message: str, fix: str | None = None) -> None:
        self._add(Level.WARNING, loc, code, message, fix)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        for d in other:
            self._add(d.level, d.location, d.code, d.message, d.fix)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.level is Level.ERROR]

    @property
    def has_errors(self) -> bool:
        return any(d.level is Level.ERROR for d in self.items)

    def errors_since(self, count: int) -> bool:
        """Whether an error came after the first `count` items (without counting the earlier ones)."""
        items = self.items
        if len(items) <= count:  # nothing came: the common case, asked once per spec entry
            return False
        return any(d.level is Level.ERROR for d in items[count:])

    def sorted(self) -> list[Diagnostic]:
        return sort_diagnostics(self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_errors(self) -> None:
        if self.has_errors:
            raise InvalidInput(self.sorted())


class InvalidInput(Exception):
    """Raised once, after collection, when input has errors. Carries every diagnostic, sorted."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = sort_diagnostics(diagnostics)
        super().__init__(self.render())

    def render(self) -> str:
        return "\n".join(d.format() for d in self.diagnostics)

    @property
    def codes(self) -> list[str]:
        return [d.code for d in self.diagnostics]

"""A policy document with the name decisions report it under (what the evaluator compiles).

Its own module so that listing a principal's policies (`ramstack.evaluate.principals`) does not load
the compiler, its matchers and condition operators: the lock writer needs them only when a decision
has to be evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ramstack.diagnostics import Location
from ramstack.policy.document import PolicyDocument

PolicyOrigin = Literal["file", "custom", "session", "system", "generated", "trust"]


@dataclass(frozen=True)
class NamedPolicy:
    """A document with the name decisions report it under.

    `via` says how a principal holds it (`group/media-readers`); `anchor` is where matches point
    when the statements have no file of their own (a generated grant: the spec entry asking for it).
    """

    name: str
    document: PolicyDocument
    origin: PolicyOrigin = "file"
    anchor: Location | None = None
    via: str | None = None

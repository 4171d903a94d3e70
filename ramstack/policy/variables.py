"""`${name}` variables in policy files (account ids, regions, bucket names).

Substitution happens on the loaded tree, after parsing and before validation, so every value keeps
its source location and a grammar error in a substituted value still points into the file. Only
string values are touched, never mapping keys. `$${` is the escape for a literal `${`.

Codes:
    VAR001  unknown variable (the message lists the known ones)
    VAR002  malformed `${...}` (unclosed, empty, or not a valid name)
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from typing import Any

from ramstack.diagnostics import Diagnostics, Location
from ramstack.source import LList, LMap

NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")
_TOKEN = re.compile(r"\$\$\{|\$\{([^{}]*)\}|\$\{")


def substitute(tree: Any, variables: Mapping[str, str], diags: Diagnostics, *, file: str) -> Any:
    """A copy of `tree` with `${name}` replaced in every string value; problems go to `diags`.

    Unknown or malformed references are reported and left in place as written. A tree without
    `${` in any string (most policy files) is returned as it is: there is nothing to copy.
    """
    if not _mentions(tree):
        return tree
    return _Substituter(variables, diags).walk(tree, Location(file))


def _mentions(value: Any) -> bool:
    """Some string value of the tree contains `${` (keys are never substituted). A loop, not a
    recursion: every policy file loaded goes through here."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "${" in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False


class _Substituter:
    def __init__(self, variables: Mapping[str, str], diags: Diagnostics) -> None:
        self.variables = variables
        self.diags = diags

    def walk(self, value: Any, loc: Location) -> Any:
        if isinstance(value, LMap):
            out = LMap(value.loc)
            out.key_locs = dict(value.key_locs)
            out.value_locs = dict(value.value_locs)
            for key, item in value.items():
                out[key] = self.walk(item, value.value_loc(key))
            return out
        if isinstance(value, LList):
            items = LList(value.loc)
            items.item_locs = list(value.item_locs)
            items.extend(self.walk(item, value.item_loc(i)) for i, item in enumerate(value))
            return items
        if isinstance(value, dict):
            return {key: self.walk(item, loc) for key, item in value.items()}
        if isinstance(value, list):
            return [self.walk(item, loc) for item in value]
        if isinstance(value, str):
            return self.expand(value, loc)
        return value

    def expand(self, text: str, loc: Location) -> str:
        if "${" not in text:
            return text
        out: list[str] = []
        pos = 0
        for match in _TOKEN.finditer(text):
            out.append(text[pos : match.start()])
            pos = match.end()
            token = match.group(0)
            name = match.group(1)
            if token == "$${":
                out.append("${")
            elif name is None:
                out.append(token)
                self.diags.error(
                    loc,
                    "VAR002",
                    f"unclosed '${{' in {text!r}",
                    "close it: ${name}; write $${ for a literal '${'",
                )
            elif not NAME.fullmatch(name):
                out.append(token)
                self.diags.error(
                    loc,
                    "VAR002",
                    f"{token!r} is not a valid variable reference",
                    "variable names are letters, digits, '_', '.' and '-' (not starting with a digit),"
                    " with no spaces: ${account_id}; write $${ for a literal '${'",
                )
            elif name in self.variables:
                out.append(self.variables[name])
            else:
                out.append(token)
                self._unknown(name, loc)
        out.append(text[pos:])
        return "".join(out)

    def _unknown(self, name: str, loc: Location) -> None:
        known = sorted(self.variables)
        listed = ", ".join(known) if known else "none are defined"
        close = difflib.get_close_matches(name, known, n=1)
        fix = (
            f"did you mean ${{{close[0]}}}?"
            if close
            else f"give it a value (--var {name}=... on the command line, ramstack:vars in a stack's "
            f"config), or write $${{{name}}} for a literal ${{{name}}}"
        )
        self.diags.error(loc, "VAR001", f"unknown variable ${{{name}}} (known variables: {listed})", fix)

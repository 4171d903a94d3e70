"""policies/lint.yaml: severity overrides, suppressions (each with a required reason) and options.

    severity:                 # rule id -> info|low|medium|high|critical
      LP301: low
    suppressions:             # the only way to accept a finding; no inline comments anywhere
      - rule: LP507
        subject: role/batch-export
        reason: nightly export runs up to 4 hours (ticket OPS-112)
        expires: 2026-12-31   # optional YYYY-MM-DD; from the next day on it stops working (LP001)
    options:
      require_mfa: true              # LP104: every RAM-user trust must require MFA
      max_access_keys_per_user: 1    # LP503 (0 = no long-lived keys in this stack)
      size_warning_percent: 80       # LP506
      condition_keys: [acs:ExtraKey] # LP401: more known keys / key prefixes
      condition_key_prefixes: ["cms:"]

Errors are located diagnostics (exit 2):
    LINT001  lint.yaml is not a mapping
    LINT002  unknown key (top level, suppression or options), with a suggestion
    LINT003  unknown rule id
    LINT004  severity is not info, low, medium, high or critical
    LINT005  suppression without rule, subject or reason, or with a malformed subject
    LINT006  expires is not a YYYY-MM-DD date
    LINT007  option value of the wrong type or out of range
    LINT008  the same rule and subject suppressed twice
    LINT009  the rule cannot be suppressed (LP001, LP002: findings about suppressions themselves)
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ramstack.diagnostics import Diagnostics, Location
from ramstack.lint.context import LintOptions
from ramstack.lint.finding import SEVERITY_NAMES, FindingPath, Severity
from ramstack.source import LList, LMap, load_file
from ramstack.spec.fields import did_you_mean

TOP_KEYS = ("severity", "suppressions", "options")
SUPPRESSION_KEYS = ("rule", "subject", "reason", "expires")
UNSUPPRESSIBLE = ("LP001", "LP002")
SUBJECT = re.compile(r"(user|group|role|policy)/[^/\s]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class Suppression:
    rule: str
    subject: str
    reason: str
    expires: date | None
    index: int  # position in the suppressions list

    @property
    def path(self) -> FindingPath:
        return ("lint", "suppressions", self.index)

    def expired(self, today: date) -> bool:
        return self.expires is not None and today > self.expires


@dataclass(frozen=True)
class LintConfig:
    severities: Mapping[str, Severity] = field(default_factory=dict)
    suppressions: tuple[Suppression, ...] = ()
    options: LintOptions = field(default_factory=LintOptions)
    file: str | None = None  # display path of lint.yaml; None when there is none


def load_lint_config(
    path: Path | None, diags: Diagnostics, known_rules: Mapping[str, object], *, display: str | None = None
) -> LintConfig:
    """Read lint.yaml (None or a missing file: the empty config). Problems go to `diags`."""
    if path is None or not path.exists():
        return LintConfig()
    name = display or str(path)
    tree = load_file(path, diags, name)
    if tree is None:
        return LintConfig(file=name)
    return _Reader(name, diags, known_rules).read(tree)


@dataclass
class _Reader:
    file: str
    diags: Diagnostics
    known_rules: Mapping[str, object]

    def read(self, tree: Any) -> LintConfig:
        if not isinstance(tree, LMap):
            self.diags.error(
                tree.loc if isinstance(tree, LList) else Location(self.file),
                "LINT001",
                "lint.yaml must be a mapping with severity:, suppressions: and options:",
                "start with suppressions: [] or severity: {}",
            )
            return LintConfig(file=self.file)
        self._unknown(tree, TOP_KEYS, "lint.yaml")
        return LintConfig(
            self._severities(tree),
            self._suppressions(tree),
            self._options(tree),
            self.file,
        )

    def _unknown(self, mapping: LMap, known: tuple[str, ...], where: str) -> None:
        for key in mapping:
            if key not in known:
                self.diags.error(
                    mapping.key_loc(key),
                    "LINT002",
                    f"unknown key {key!r} in {where}",
                    did_you_mean(key, known) or f"known keys: {', '.join(known)}",
                )

    def _rule(self, value: Any, loc: Location) -> str | None:
        if isinstance(value, str) and value in self.known_rules:
            return value
        self.diags.error(
            loc,
            "LINT003",
            f"unknown rule {value!r}",
            did_you_mean(str(value), self.known_rules) or "run `ramstack rules` for the list",
        )
        return None

    def _severities(self, tree: LMap) -> dict[str, Severity]:
        block = tree.get("severity")
        if block is None:
            return {}
        if not isinstance(block, LMap):
            where = tree.value_loc("severity")
            self.diags.error(where, "LINT001", "severity: must map rule ids to levels", None)
            return {}
        out: dict[str, Severity] = {}
        for rule_id, level in block.items():
            rule = self._rule(rule_id, block.key_loc(rule_id))
            try:
                severity = Severity.parse(level) if isinstance(level, str) else None
            except ValueError:
                severity = None
            if severity is None:
                self.diags.error(
                    block.value_loc(rule_id),
                    "LINT004",
                    f"severity of {rule_id} must be one of {', '.join(SEVERITY_NAMES)}, got {level!r}",
                    did_you_mean(str(level), SEVERITY_NAMES),
                )
            elif rule is not None:
                out[rule] = severity
        return out

    def _suppressions(self, tree: LMap) -> tuple[Suppression, ...]:
        items = tree.get("suppressions")
        if items is None:
            return ()
        if not isinstance(items, LList):
            self.diags.error(
                tree.value_loc("suppressions"),
                "LINT005",
                "suppressions: must be a list of {rule, subject, reason}",
                "start each entry with '- rule: LPnnn'",
            )
            return ()
        out: list[Suppression] = []
        seen: dict[tuple[str, str], int] = {}
        for index, item in enumerate(items):
            loc = items.item_loc(index)
            if not isinstance(item, LMap):
                self.diags.error(loc, "LINT005", f"suppression {index + 1} must be a mapping", None)
                continue
            self._unknown(item, SUPPRESSION_KEYS, f"suppression {index + 1}")
            fields = {key: self._text(item, key, index, loc) for key in ("rule", "subject", "reason")}
            rule = fields["rule"] and self._rule(fields["rule"], item.value_loc("rule"))
            subject = fields["subject"]
            if subject is not None and not SUBJECT.fullmatch(subject):
                self.diags.error(
                    item.value_loc("subject"),
                    "LINT005",
                    f"suppression {index + 1}: subject {subject!r} must be user/<name>, group/<name>, "
                    "role/<name> or policy/<name>",
                    "copy the subject from the finding",
                )
                subject = None
            if rule in UNSUPPRESSIBLE:
                self.diags.error(
                    item.value_loc("rule"),
                    "LINT009",
                    f"{rule} reports on suppressions themselves and cannot be suppressed",
                    "fix or delete the suppression it points at",
                )
                rule = None
            valid_date, expires = self._expires(item, index)
            if not (rule and subject and fields["reason"] and valid_date):
                continue
            key = (rule, subject)
            if key in seen:
                self.diags.error(
                    loc,
                    "LINT008",
                    f"{rule} for {subject} is suppressed twice (first in suppression {seen[key] + 1})",
                    "keep one entry",
                )
                continue
            seen[key] = index
            out.append(Suppression(rule, subject, fields["reason"], expires, index))
        return tuple(out)

    def _text(self, item: LMap, key: str, index: int, loc: Location) -> str | None:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
        where = item.value_loc(key) if key in item else loc
        what = "is missing" if value is None else "must be a non-empty string"
        fix = {
            "rule": "name the rule id, e.g. rule: LP507",
            "subject": "name what the finding is about, e.g. subject: role/batch-export",
            "reason": "say why this is acceptable; a suppression without a reason is not accepted",
        }[key]
        self.diags.error(where, "LINT005", f"suppression {index + 1}: {key} {what}", fix)
        return None

    def _expires(self, item: LMap, index: int) -> tuple[bool, date | None]:
        """(valid, date): an absent expires is valid and None."""
        value = item.get("expires")
        if value is None:
            return True, None
        parsed: date | None = None
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None:
            self.diags.error(
                item.value_loc("expires"),
                "LINT006",
                f"suppression {index + 1}: expires must be a date YYYY-MM-DD, got {value!r}",
                "e.g. expires: 2026-12-31",
            )
            return False, None
        return True, parsed

    def _options(self, tree: LMap) -> LintOptions:
        block = tree.get("options")
        if block is None:
            return LintOptions()
        if not isinstance(block, LMap):
            self.diags.error(tree.value_loc("options"), "LINT001", "options: must be a mapping", None)
            return LintOptions()
        defaults = LintOptions()
        known = tuple(LintOptions.__dataclass_fields__)
        self._unknown(block, known, "options")
        values: dict[str, Any] = {}
        for key, low, high in (("max_access_keys_per_user", 0, 2), ("size_warning_percent", 1, 100)):
            if key in block:
                value = block[key]
                if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
                    values[key] = value
                else:
                    self._bad_option(block, key, f"a whole number from {low} to {high}")
        if "require_mfa" in block:
            if isinstance(block["require_mfa"], bool):
                values["require_mfa"] = block["require_mfa"]
            else:
                self._bad_option(block, "require_mfa", "true or false")
        for key in ("condition_keys", "condition_key_prefixes"):
            if key in block:
                value = block[key]
                if isinstance(value, list) and all(isinstance(v, str) and ":" in v for v in value):
                    values[key] = tuple(value)
                else:
                    self._bad_option(block, key, 'a list of keys with a service prefix, e.g. ["oss:Prefix"]')
        return LintOptions(**{**defaults.__dict__, **values})

    def _bad_option(self, block: LMap, key: str, expected: str) -> None:
        self.diags.error(
            block.value_loc(key),
            "LINT007",
            f"options.{key} must be {expected}, got {block[key]!r}",
            None,
        )

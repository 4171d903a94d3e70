"""Recorded activity, aggregated while the events stream by: memory grows with distinct
(principal, action, resource, context) uses, never with the number of events.

acs:CurrentTime is kept out of the aggregation key (every event would be distinct); a use keeps its
last-seen time, which replay passes as acs:CurrentTime.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ramstack.activity.calls import Call, map_event
from ramstack.activity.reader import read_events
from ramstack.diagnostics import Diagnostics, Location

UseKey = tuple[str, str, str, tuple[tuple[str, str], ...]]  # principal, action, resource, context


@dataclass
class Use:
    count: int
    last: datetime | None
    first_seen_at: Location


@dataclass
class ActivityLog:
    """What the events say, per principal. Principals of `account_id` are `user/N` / `role/N`;
    those of other accounts keep their account (`acs:ram::<uid>:user/N`)."""

    account_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    events: int = 0
    outside_window: int = 0
    failed: int = 0  # calls with an errorCode (denied or failed): not evidence of use
    uses: dict[UseKey, Use] = field(default_factory=dict)
    unmapped: Counter[str] = field(default_factory=Counter)
    unmapped_at: dict[str, Location] = field(default_factory=dict)
    principals: Counter[str] = field(default_factory=Counter)
    access_keys: dict[str, set[str]] = field(default_factory=dict)
    signins: dict[str, datetime | None] = field(default_factory=dict)
    assumed_roles: dict[str, datetime | None] = field(default_factory=dict)  # role name -> last
    unknown_resource: int = 0
    assumed_actions: set[str] = field(default_factory=set)
    first: datetime | None = None
    last: datetime | None = None

    def subject(self, call: Call) -> str:
        kind = call.principal.partition("/")[0]
        if kind in ("user", "role") and call.account and self.account_id and call.account != self.account_id:
            return f"acs:ram::{call.account}:{call.principal}"
        return call.principal

    def add(self, call: Call, count: int = 1, earliest: datetime | None = None) -> None:
        """Record `count` events that map to `call`. The store passes groups of identical calls, in
        the order their first event was loaded (so the first location seen stays the first):
        `call.time` is the latest of the group, `earliest` its first."""
        self.events += count
        when = call.time
        if when is not None and (
            (self.since is not None and when < self.since) or (self.until is not None and when >= self.until)
        ):
            self.outside_window += count
            return
        if when is not None:
            early = earliest or when
            self.first = early if self.first is None or early < self.first else self.first
            self.last = when if self.last is None or when > self.last else self.last
        subject = self.subject(call)
        self.principals[subject] += count
        if call.signin:
            if call.success:
                self.signins[subject] = _later(self.signins.get(subject), when)
            return
        if not call.success:
            self.failed += count
            return
        if call.access_key is not None:
            self.access_keys.setdefault(subject, set()).add(call.access_key)
        if subject.startswith("role/"):
            name = subject.removeprefix("role/")
            self.assumed_roles[name] = _later(self.assumed_roles.get(name), when)
        if call.reason is not None:
            self.unmapped[call.reason] += count
            self.unmapped_at.setdefault(call.reason, call.location)
            return
        if call.assumed:
            self.assumed_actions.update(call.actions)
        if not call.resource_known:
            self.unknown_resource += count
        context = tuple(kv for kv in call.context if kv[0] != "acs:CurrentTime")
        for action in call.actions:
            if action == "sts:AssumeRole" and call.resource_known:
                role = call.resource.rpartition(":role/")[2]
                if self.account_id is None or f":{self.account_id}:role/" in call.resource:
                    self.assumed_roles.setdefault(role, None)
            key = (subject, action, call.resource, context)
            use = self.uses.get(key)
            if use is None:
                self.uses[key] = Use(count, when, call.location)
            else:
                use.count += count
                use.last = _later(use.last, when)

    def of(self, subject: str) -> list[tuple[UseKey, Use]]:
        return sorted(((k, u) for k, u in self.uses.items() if k[0] == subject), key=lambda item: item[0])

    def used_actions(self, subject: str) -> set[str]:
        return {k[1] for k in self.uses if k[0] == subject}


def _later(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def load_activity(
    paths: Iterable[Path],
    diags: Diagnostics,
    *,
    account_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> ActivityLog:
    log = ActivityLog(account_id=account_id, since=since, until=until)
    for raw in read_events(paths, diags):
        log.add(map_event(raw.data, raw.location))
    return log

"""The questions the activity verbs ask of recorded events, as plain SQL over one logical table.

The table is `activity`: one row per mapped event, the columns below. In the project's store
(ramstack.activity.store) `activity` is a view over dictionary-coded tables; where the events already
live at scale the same questions run over a view with the same columns derived from the raw event
fields (docs/activity.md shows the view for Log Service SQL and for a data-lake engine over the OSS
delivery). The SQL keeps to what all three engines share: SELECT, WHERE, GROUP BY, ORDER BY,
COUNT/MIN/MAX/SUM, CASE, and named parameters written `:name` (Log Service and Presto/Trino-style
engines take the values inlined, see `inline`).

Columns of `activity`:
    id          a number increasing in load order (first event of a group = smallest id)
    time        event time, seconds since 1970-01-01 UTC, NULL when the event gives none
    principal   user/NAME, role/NAME, root-account/UID, <type>/<principalId>
    account     the account of the principal ('' when the event names none)
    actions     the RAM actions of the call, space-separated ('' when unmapped or a sign-in)
    resource    the resource ARN (or the `acs:<svc>:<region>:<account>:*` placeholder)
    context     the request context without acs:CurrentTime, `key=value` joined by a tab, in the
                order ramstack.activity.calls gives
    access_key  a long-term AccessKey id ('' when none or an STS key)
    reason      why the event could not be mapped to a RAM action ('' when it could)
    success     1 when the event has no errorCode, else 0
    signin      1 for a console sign-in event
    assumed     1 when the action was inferred from the API name (catalog incomplete)
    location    where the event was read, FILE:LINE:COL

Each question here is one constant; nothing else in ramstack writes SQL against `activity`.
"""

from __future__ import annotations

from collections.abc import Mapping

# A window is [since, until); events without a time are always inside it (as when streaming).
_IN_WINDOW = "(time IS NULL OR (time >= :since AND time < :until))"

# Every verb's question: the events in the window, grouped to distinct calls, in load order.
CALL_GROUPS = f"""
SELECT principal, account, actions, resource, context, access_key, reason, success, signin, assumed,
       COUNT(*) AS events, MIN(time) AS first_time, MAX(time) AS last_time, MIN(id) AS first_id
FROM activity
WHERE {_IN_WINDOW}
GROUP BY principal, account, actions, resource, context, access_key, reason, success, signin, assumed
ORDER BY first_id
"""

# How many events the store holds, and how many of them fall outside the window.
WINDOW_COUNTS = f"""
SELECT COUNT(*) AS events,
       COALESCE(SUM(CASE WHEN {_IN_WINDOW} THEN 0 ELSE 1 END), 0) AS outside_window
FROM activity
"""

# The widest window: both ends as numbers, so no engine needs NULL parameters.
ALL_TIME = {"since": -(2**62), "until": 2**62}


def inline(query: str, params: Mapping[str, int | str]) -> str:
    """The query with its parameters written in, for engines that take no bound parameters (the Log
    Service console, a saved data-lake view). Numbers only are inlined as they are; text is quoted."""
    out = query
    for name in sorted(params, key=len, reverse=True):
        value = params[name]
        literal = str(int(value)) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"
        out = out.replace(f":{name}", literal)
    return out

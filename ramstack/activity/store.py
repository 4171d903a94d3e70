"""The project's store of mapped ActionTrail events: an SQLite file (`.ramstack/activity.sqlite`).

SQLite was measured against DuckDB on one million synthetic events (docs/activity.md, figures from
`bench/activity.py --engines`) and chosen: it is in the standard library, ingests row by row faster
from Python at a fraction of the memory, and the verbs' questions over a year of events stay within
seconds.

Layout: every text value (principal, action list, resource, context, AccessKey id, reason, file)
is stored once in `strings` and referred to by number from `calls`, one row per event; the view
`activity` gives the columns the questions of ramstack.activity.queries read.

- Incremental: a file is identified by the SHA-256 of its bytes; a file already loaded is skipped
  (`files`). An event is identified by its `eventId` (else by its file and position), so an event
  delivered twice (an export beside the OSS delivery) is stored once and counted as a duplicate.
- Nothing is dropped: an event that cannot be mapped is stored with its reason.
- Safe: one load is one transaction; a crash, or a file that cannot be read to its end, leaves the
  store as it was.
- No secrets: only the mapped fields are stored (never requestParameters or the raw event); an
  AccessKey *id* is kept to tell keys never used, as ActionTrail itself shows it.

Codes:
    ACT020  no store at the path (load events first, or pass --events)
    ACT021  the file is not a readable ramstack activity store (corrupt, or not SQLite)
    ACT022  the store was written by a newer ramstack (schema version)
    ACT023  the store cannot be written (read-only file or folder, disk full)
Loading also says ACT005 (error) for a file whose every event is malformed and ACT006 (warning) for
a file that holds no event.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ramstack.activity import queries
from ramstack.activity.calls import Call, map_event
from ramstack.activity.log import ActivityLog
from ramstack.activity.reader import _events_of, _open, _Scanner, event_files
from ramstack.diagnostics import Diagnostic, Diagnostics, Location

DEFAULT_PATH = Path(".ramstack") / "activity.sqlite"
SCHEMA_VERSION = 1
_BATCH = 20_000
_LOAD_FIX = "load events first: ramstack activity load FILE|DIR... (or pass --events PATH...)"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS strings (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL UNIQUE, path TEXT NOT NULL,
    events INTEGER NOT NULL, stored INTEGER NOT NULL, loaded_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS calls (
    id INTEGER PRIMARY KEY,
    event_key BIGINT NOT NULL UNIQUE,
    time BIGINT,
    principal INTEGER NOT NULL, account INTEGER NOT NULL, actions INTEGER NOT NULL,
    resource INTEGER NOT NULL, context INTEGER NOT NULL, access_key INTEGER NOT NULL,
    reason INTEGER NOT NULL, success INTEGER NOT NULL, signin INTEGER NOT NULL, assumed INTEGER NOT NULL,
    file INTEGER NOT NULL, line INTEGER NOT NULL, col INTEGER NOT NULL
);
-- the verbs' question groups by these columns: walking this covering index in order, SQLite groups
-- without sorting the table, and counts and windows without reading it (same answers, faster)
CREATE INDEX IF NOT EXISTS calls_by_call ON calls (
    principal, account, actions, resource, context, access_key, reason, success, signin, assumed, time
);
CREATE VIEW IF NOT EXISTS activity AS
SELECT c.id AS id, c.time AS time,
       p.value AS principal, a.value AS account, x.value AS actions, r.value AS resource,
       k.value AS context, ak.value AS access_key, rs.value AS reason,
       c.success AS success, c.signin AS signin, c.assumed AS assumed,
       f.path || ':' || CAST(c.line AS VARCHAR) || ':' || CAST(c.col AS VARCHAR) AS location
FROM calls c
JOIN strings p ON p.id = c.principal JOIN strings a ON a.id = c.account
JOIN strings x ON x.id = c.actions JOIN strings r ON r.id = c.resource
JOIN strings k ON k.id = c.context JOIN strings ak ON ak.id = c.access_key
JOIN strings rs ON rs.id = c.reason JOIN files f ON f.id = c.file;
"""


class StoreError(Exception):
    """A store that cannot be used; `code` and `message` become a diagnostic at the store's path."""

    def __init__(self, code: str, message: str, fix: str) -> None:
        super().__init__(message)
        self.code, self.message, self.fix = code, message, fix


@dataclass
class LoadResult:
    """What one `activity load` did."""

    files: list[str] = field(default_factory=list)  # files read and stored
    skipped: list[str] = field(default_factory=list)  # already in the store (same bytes)
    events: int = 0  # events read from the new files
    stored: int = 0
    duplicates: int = 0  # events already stored (same eventId), from another file or twice in one
    unmapped: Counter[str] = field(default_factory=Counter)  # of the stored events, by reason


def _connect(path: Path, *, create: bool) -> sqlite3.Connection:
    if not create and not path.is_file():
        raise StoreError("ACT020", f"no activity store at {path}", _LOAD_FIX)
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True)
        uri = path.resolve().as_uri() + ("" if create else "?mode=rw")
        conn = sqlite3.connect(uri, uri=True, isolation_level=None)
        conn.execute("PRAGMA foreign_keys = OFF")
        version = _version(conn)
    except sqlite3.DatabaseError as exc:
        if create and "unable to open" in str(exc):
            raise StoreError(
                "ACT023", f"cannot create {path}: {exc}", "pass --db with a writable file path"
            ) from exc
        raise StoreError(
            "ACT021",
            f"{path} is not a readable activity store: {exc}",
            f"delete {path} and load the events again",
        ) from exc
    except OSError as exc:
        raise StoreError("ACT023", f"cannot open {path}: {exc.strerror or exc}", "check the path") from exc
    if version is not None and version > SCHEMA_VERSION:
        conn.close()
        raise StoreError(
            "ACT022",
            f"{path} was written by a newer ramstack (store version {version}; this one reads"
            f" {SCHEMA_VERSION})",
            "upgrade ramstack, or load the events into a new store with --db",
        )
    if version is None and not create:  # an empty database: a first load that stored nothing
        conn.close()
        raise StoreError("ACT020", f"no events have been stored in {path}", _LOAD_FIX)
    return conn


def _version(conn: sqlite3.Connection) -> int | None:
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table','view')")}
    if not tables:
        return None
    if "meta" not in tables or not {"calls", "strings", "files", "activity"} <= tables:
        raise sqlite3.DatabaseError("the tables of a ramstack activity store are missing")
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None or not str(row[0]).isdigit():
        raise sqlite3.DatabaseError("no schema version")
    return int(row[0])


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as raw:
        while chunk := raw.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _key(text: str) -> int:
    """A signed 64-bit number for an event's identity (SQLite INTEGER)."""
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big", signed=True)


def _context_text(call: Call) -> str:
    return "\t".join(f"{k}={v}" for k, v in call.context if k != "acs:CurrentTime")


class _Strings:
    """text -> id of the `strings` table, cached; new texts are inserted in the load's transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.ids: dict[str, int] = dict(
            (value, id_) for id_, value in conn.execute("SELECT id, value FROM strings")
        )

    def __call__(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            cursor = self.conn.execute("INSERT INTO strings (value) VALUES (?)", (text,))
            found = self.ids[text] = int(cursor.lastrowid or 0)
        return found


def load(paths: Iterable[Path], db: Path, diags: Diagnostics, *, strict: bool = False) -> LoadResult:
    """Read the event files into the store at `db` (created when missing), in one transaction.
    `strict`: a malformed event (ACT001) stores nothing, as an error would (each file is read once)."""
    result = LoadResult()
    files = event_files(paths, diags)
    if diags.has_errors:
        return result
    created = not db.exists()
    try:
        conn = _connect(db, create=True)
    except StoreError as exc:
        diags.error(Location(str(db)), exc.code, exc.message, exc.fix)
        return result
    try:
        conn.execute("BEGIN IMMEDIATE")
        for statement in _SCHEMA.split(";\n"):
            if statement.strip():
                conn.execute(statement)
        conn.execute(
            "INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        strings = _Strings(conn)
        before = len(_failures(diags, strict))
        for path in files:
            _load_file(conn, strings, path, diags, result)
        if len(_failures(diags, strict)) > before:
            # a file that could not be read to its end (a cut gzip), or a malformed event under
            # --strict: store nothing, or the file would count as loaded with part of its events
            conn.rollback()
            conn.close()
            if created:  # leave no empty store behind
                db.unlink(missing_ok=True)
            result.files.clear()
            result.stored = result.duplicates = 0
            return result
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        if conn.in_transaction:
            conn.rollback()
        code = "ACT023" if isinstance(exc, sqlite3.OperationalError) else "ACT021"
        diags.error(Location(str(db)), code, f"cannot write the activity store: {exc}", "nothing was stored")
    except BaseException:
        if conn.in_transaction:
            conn.rollback()
        raise
    finally:
        conn.close()
    return result


def _failures(diags: Diagnostics, strict: bool) -> list[Diagnostic]:
    return [d for d in diags if d.level == "error" or (strict and d.code == "ACT001")]


def _load_file(
    conn: sqlite3.Connection, strings: _Strings, path: Path, diags: Diagnostics, result: LoadResult
) -> None:
    try:
        sha = _sha256(path)
    except OSError as exc:
        diags.error(
            Location(str(path)), "ACT002", f"cannot read events: {exc.strerror or exc}", "check the path"
        )
        return
    if conn.execute("SELECT 1 FROM files WHERE sha256 = ?", (sha,)).fetchone():
        result.skipped.append(str(path))
        return
    cursor = conn.execute(
        "INSERT INTO files (sha256, path, events, stored, loaded_at) VALUES (?, ?, 0, 0, ?)",
        (sha, str(path), datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")),
    )
    file_id = int(cursor.lastrowid or 0)
    read = stored = 0
    insert = (
        "INSERT OR IGNORE INTO calls (event_key, time, principal, account, actions, resource, context,"
        " access_key, reason, success, signin, assumed, file, line, col)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
    )
    batch: list[tuple[Any, ...]] = []
    malformed_before, errors_before = _malformed(diags), len(diags.errors)
    for row in _rows(path, sha, file_id, strings, diags, result):
        batch.append(row)
        read += 1
        if len(batch) >= _BATCH:
            stored += _insert(conn, insert, batch)
    stored += _insert(conn, insert, batch)
    if not read and len(diags.errors) == errors_before:  # (a file cut short is ACT002 already)
        _no_event(path, _malformed(diags) - malformed_before, diags)
    conn.execute("UPDATE files SET events = ?, stored = ? WHERE id = ?", (read, stored, file_id))
    result.files.append(str(path))
    result.events += read
    result.stored += stored
    result.duplicates += read - stored


def _malformed(diags: Diagnostics) -> int:
    return sum(1 for d in diags if d.code == "ACT001")


def _no_event(path: Path, malformed: int, diags: Diagnostics) -> None:
    """A file that yields no event: an error when what it holds is malformed (nothing is stored, so
    the fixed file loads next time), a warning when it is empty."""
    if malformed:
        events = "event" if malformed == 1 else "events"
        diags.error(
            Location(str(path)),
            "ACT005",
            f"no event could be read from {path} ({malformed} malformed {events})",
            "fix the file (see the ACT001 warnings) or leave it out; nothing was stored",
        )
    else:
        diags.warning(Location(str(path)), "ACT006", f"{path} holds no event", "is it the right file?")


def _insert(conn: sqlite3.Connection, sql: str, batch: list[tuple[Any, ...]]) -> int:
    before = conn.total_changes
    conn.executemany(sql, batch)
    batch.clear()
    return conn.total_changes - before


def _rows(
    path: Path, sha: str, file_id: int, strings: _Strings, diags: Diagnostics, result: LoadResult
) -> Iterator[tuple[Any, ...]]:
    import gzip

    try:
        with _open(path) as stream:
            for raw in _events_of(_Scanner(stream, str(path)), diags):
                call = map_event(raw.data, raw.location)
                event_id = raw.data.get("eventId") or raw.data.get("EventId")
                ident = (
                    f"id:{event_id}" if isinstance(event_id, str) and event_id else f"at:{sha}:{raw.location}"
                )
                if call.reason is not None:
                    result.unmapped[call.reason] += 1
                yield (
                    _key(ident),
                    int(call.time.timestamp()) if call.time is not None else None,
                    strings(call.principal),
                    strings(call.account),
                    strings(" ".join(call.actions)),
                    strings(call.resource),
                    strings(_context_text(call)),
                    strings(call.access_key or ""),
                    strings(call.reason or ""),
                    int(call.success),
                    int(call.signin),
                    int(call.assumed),
                    file_id,
                    raw.location.line,
                    raw.location.column,
                )
    except (OSError, EOFError, UnicodeDecodeError, gzip.BadGzipFile) as exc:
        diags.error(
            Location(str(path)), "ACT002", f"cannot read events: {exc}", "pass UTF-8 JSON, plain or gzip"
        )


def read(
    db: Path,
    *,
    account_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> ActivityLog:
    """The store's events in the window, aggregated as the verbs read them. Raises StoreError."""
    conn = _connect(db, create=False)
    params = dict(queries.ALL_TIME)
    if since is not None:
        params["since"] = _seconds_up(since)
    if until is not None:
        params["until"] = _seconds_up(until)
    log = ActivityLog(account_id=account_id)
    try:
        # the questions run on the coded table (same columns, numbers for texts: 3x faster than
        # through the view's joins); texts and first locations are decoded in bulk, not per group
        coded = {
            q: q.replace("FROM activity", "FROM calls") for q in (queries.WINDOW_COUNTS, queries.CALL_GROUPS)
        }
        total, outside = conn.execute(coded[queries.WINDOW_COUNTS], params).fetchone()
        groups = conn.execute(coded[queries.CALL_GROUPS], params).fetchall()
        texts = _texts(conn, {v for row in groups for v in row[:7]})
        where = _locations(conn, [row[13] for row in groups])
        for row in groups:
            coded_texts = tuple(texts.get(v, "") for v in row[:7])
            call, count, first = _group(coded_texts + tuple(row[7:]), where[row[13]])
            log.add(call, count, first)
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            "ACT021", f"{db} is not a readable activity store: {exc}", f"delete {db} and load again"
        ) from exc
    finally:
        conn.close()
    log.events += int(outside)
    log.outside_window = int(outside)
    log.since, log.until = since, until
    assert log.events == int(total)
    return log


_CHUNK = 500  # ids per IN (...) list: well under SQLite's limit of bound parameters


def _chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    batch = sorted(set(ids))
    for start in range(0, len(batch), _CHUNK):
        yield batch[start : start + _CHUNK]


def _texts(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, str]:
    """strings.id -> text for these ids, a query per 500 of them."""
    out: dict[int, str] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        out.update(conn.execute(f"SELECT id, value FROM strings WHERE id IN ({marks})", chunk).fetchall())
    return out


def _locations(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Location]:
    """calls.id -> where that event was read, a query per 500 ids."""
    out: dict[int, Location] = {}
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        rows = conn.execute(
            "SELECT c.id, f.path, c.line, c.col FROM calls c JOIN files f ON f.id = c.file"
            f" WHERE c.id IN ({marks})",
            chunk,
        )
        out.update((id_, Location(str(path), int(line), int(col))) for id_, path, line, col in rows)
    return out


def _seconds_up(when: datetime) -> int:
    """Times are stored in whole seconds (ActionTrail's eventTime has no fraction)."""
    seconds = when.timestamp()
    return int(seconds) + (0 if seconds == int(seconds) else 1)


def _group(row: tuple[Any, ...], where: Location) -> tuple[Call, int, datetime | None]:
    principal, account, actions, resource, context, key, reason, success, signin, assumed = row[:10]
    count, first, last, _first_id = row[10:]
    call = Call(
        principal=principal,
        account=account,
        actions=tuple(actions.split(" ")) if actions else (),
        resource=resource,
        context=tuple((k, v) for k, _, v in (kv.partition("=") for kv in context.split("\t") if kv)),
        time=_time(last),
        location=where,
        success=bool(success),
        access_key=key or None,
        signin=bool(signin),
        assumed=bool(assumed),
        reason=reason or None,
    )
    return call, int(count), _time(first)


def _time(seconds: int | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)

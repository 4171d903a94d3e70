"""Activity bench: synthetic seed-flow events -> the store (events/s), the verbs' question, replay
(decisions/s), peak memory; with --engines, SQLite (the store) against DuckDB on the same rows.

    .venv/bin/python bench/activity.py [--events N] [--addresses K] [--engines]

N events (default 1,000,000) of the seed flows are written as JSON lines, the application's calls
spread over K source addresses (default 1,000, so replay has thousands of distinct decisions, not 7).
Each measurement is its own process (peak RSS is that process's):

- stream:  read + map + aggregate in memory (what `--events` does), the baseline of ingest;
- sqlite:  `ramstack activity load` into a new store (read + map + store), file size, then the
           verbs' question (queries.CALL_GROUPS, all time and a one-day window) and replay of every
           recorded call under the dev spec (uses read from the store, decisions cached per distinct
           request);
- duckdb:  (--engines; needs duckdb and numpy) the same mapped, dictionary-coded rows into the same
           schema in DuckDB through its fast columnar path (numpy batches; executemany ingests about
           240 rows/s), the same questions inlined (queries.inline), file size.

"engine" time is the time spent inside the database's insert calls; the rest is reading and mapping,
the same for every engine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
ACCOUNT = "1234567890123456"
DAY = 86_400


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _write_events(path: Path, count: int, addresses: int) -> None:
    from ramstack.activity.synthetic import APP_IP, seed_flow_events

    with path.open("w", encoding="utf-8") as out:
        for i, event in enumerate(seed_flow_events(count, ACCOUNT)):
            if event["sourceIpAddress"] == APP_IP and addresses > 1:
                n = i % addresses
                event["sourceIpAddress"] = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
            out.write(json.dumps(event) + "\n")


def _spec() -> Any:
    from ramstack.diagnostics import Diagnostics
    from ramstack.spec.config import load_stack_config
    from ramstack.spec.load import load_spec

    diags = Diagnostics()
    config = load_stack_config(ROOT, "dev", diags)
    assert config is not None
    spec = load_spec(config, diags)
    assert spec is not None
    return spec


def child_stream(events: Path, _db: Path) -> dict[str, Any]:
    from ramstack.activity.log import load_activity
    from ramstack.diagnostics import Diagnostics

    started = time.perf_counter()
    log = load_activity([events], Diagnostics(), account_id=ACCOUNT)
    return {"ingest_s": time.perf_counter() - started, "events": log.events, "peak_mib": _peak_mib()}


def child_sqlite(events: Path, db: Path) -> dict[str, Any]:
    from ramstack.activity import store
    from ramstack.activity.replay import replay
    from ramstack.diagnostics import Diagnostics

    engine = 0.0
    real_insert = store._insert

    def timed_insert(conn: Any, sql: str, batch: list[tuple[Any, ...]]) -> int:
        nonlocal engine
        started = time.perf_counter()
        n = real_insert(conn, sql, batch)
        engine += time.perf_counter() - started
        return n

    store._insert = timed_insert  # type: ignore[assignment]
    diags = Diagnostics()
    started = time.perf_counter()
    result = store.load([events], db, diags)
    ingest = time.perf_counter() - started
    assert not diags.has_errors and result.stored == result.events, diags.items
    ingest_peak = _peak_mib()
    started = time.perf_counter()
    log = store.read(db, account_id=ACCOUNT)
    query_all = time.perf_counter() - started
    assert log.first is not None
    since = log.first.timestamp() + 100 * DAY
    from datetime import UTC, datetime

    started = time.perf_counter()
    store.read(
        db,
        account_id=ACCOUNT,
        since=datetime.fromtimestamp(since, UTC),
        until=datetime.fromtimestamp(since + DAY, UTC),
    )
    query_day = time.perf_counter() - started
    spec = _spec()
    started = time.perf_counter()
    replayed = replay(log, spec, spec)
    replay_s = time.perf_counter() - started
    return {
        "ingest_s": ingest,
        "engine_s": engine,
        "events": result.stored,
        "size_mib": db.stat().st_size / 2**20,
        "ingest_peak_mib": ingest_peak,
        "query_all_s": query_all,
        "query_day_s": query_day,
        "uses": len(log.uses),
        "replay_calls": replayed.calls,
        "replay_decisions": replayed.decisions,
        "replay_s": replay_s,
        "peak_mib": _peak_mib(),
    }


class _Codes:
    """text -> number, as the store's `strings` table, kept in memory for DuckDB."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(self, text: str) -> int:
        found = self.ids.get(text)
        if found is None:
            found = self.ids[text] = len(self.ids) + 1
        return found


def child_duckdb(events: Path, db: Path) -> dict[str, Any]:
    import duckdb
    import numpy as np

    from ramstack.activity import queries, store
    from ramstack.activity.store import LoadResult
    from ramstack.diagnostics import Diagnostics

    conn = duckdb.connect(str(db))
    ddl = store._SCHEMA.replace(
        "id INTEGER PRIMARY KEY,\n    event_key", "id BIGINT PRIMARY KEY,\n    event_key"
    )
    for statement in ddl.split(";\n"):
        if statement.strip():
            conn.execute(statement)
    codes = _Codes()
    columns = ["id", "event_key", "time", "principal", "account", "actions", "resource", "context"]
    columns += ["access_key", "reason", "success", "signin", "assumed", "file", "line", "col"]
    dtypes = [np.int64] * 3 + [np.int32] * 13
    engine = 0.0
    started = time.perf_counter()
    conn.execute("BEGIN TRANSACTION")
    conn.execute("INSERT INTO files VALUES (1, 'x', ?, 0, 0, '')", [str(events)])
    stored = 0
    batch: list[tuple[Any, ...]] = []

    def flush() -> None:
        nonlocal engine, stored
        if not batch:
            return
        t0 = time.perf_counter()
        cols = list(zip(*batch, strict=True))
        frame = {"id": np.arange(stored + 1, stored + len(batch) + 1, dtype=np.int64)}
        for name, values, dtype in zip(columns[1:], cols, dtypes[1:], strict=True):
            if name == "time":
                frame[name] = np.array([-1 if v is None else v for v in values], dtype=np.int64)
            else:
                frame[name] = np.array(values, dtype=dtype)
        conn.register("batch_rows", frame)
        conn.execute(
            "INSERT OR IGNORE INTO calls SELECT id, event_key, NULLIF(time, -1), principal, account,"
            " actions, resource, context, access_key, reason, success, signin, assumed, file, line, col"
            " FROM batch_rows"
        )
        conn.unregister("batch_rows")
        stored += len(batch)
        batch.clear()
        engine += time.perf_counter() - t0

    for row in store._rows(events, "x", 1, codes, Diagnostics(), LoadResult()):  # type: ignore[arg-type]
        batch.append(row)
        if len(batch) >= 20_000:
            flush()
    flush()
    t0 = time.perf_counter()
    conn.executemany("INSERT INTO strings VALUES (?, ?)", [(i, s) for s, i in codes.ids.items()])
    conn.execute("COMMIT")
    conn.execute("CHECKPOINT")
    engine += time.perf_counter() - t0
    ingest = time.perf_counter() - started
    ingest_peak = _peak_mib()
    started = time.perf_counter()
    # the view, as on an engine that holds the texts (the SQLite store asks the coded table)
    groups = conn.execute(queries.inline(queries.CALL_GROUPS, queries.ALL_TIME)).fetchall()
    conn.execute(queries.inline(queries.WINDOW_COUNTS, queries.ALL_TIME)).fetchall()
    query_all = time.perf_counter() - started
    first = conn.execute("SELECT MIN(time) FROM calls").fetchone()[0] + 100 * DAY
    started = time.perf_counter()
    conn.execute(queries.inline(queries.CALL_GROUPS, {"since": first, "until": first + DAY})).fetchall()
    conn.execute(queries.inline(queries.WINDOW_COUNTS, {"since": first, "until": first + DAY})).fetchall()
    query_day = time.perf_counter() - started
    conn.close()
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return {
        "ingest_s": ingest,
        "engine_s": engine,
        "events": stored,
        "groups": len(groups),
        "size_mib": size / 2**20,
        "ingest_peak_mib": ingest_peak,
        "query_all_s": query_all,
        "query_day_s": query_day,
        "peak_mib": _peak_mib(),
    }


CHILDREN = {"stream": child_stream, "sqlite": child_sqlite, "duckdb": child_duckdb}


def _run_child(mode: str, events: Path, db: Path) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    done = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(events), str(db)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--addresses", type=int, default=1_000)
    parser.add_argument("--engines", action="store_true", help="also DuckDB (needs duckdb and numpy)")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "EVENTS", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        mode, events, db = args.child
        print(json.dumps(CHILDREN[mode](Path(events), Path(db))))
        return
    modes = ["stream", "sqlite"] + (["duckdb"] if args.engines else [])
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "events.jsonl"
        _write_events(events, args.events, args.addresses)
        size = events.stat().st_size
        print(
            f"events: {args.events:,} ({size / 2**20:.0f} MiB JSONL), "
            f"app calls from {args.addresses:,} addresses",
            flush=True,
        )
        results = {}
        for mode in modes:
            results[mode] = _run_child(mode, events, Path(tmp) / f"{mode}.db")
            print(f"{mode}: {json.dumps(results[mode])}", flush=True)  # each as it ends: runs are long
    n = args.events
    print(
        "\n| engine | ingest events/s (all) | engine time | store size | peak RSS "
        "| verbs' question, all / 1 day |"
    )
    print("|---|---|---|---|---|---|")
    stream = results["stream"]
    print(
        f"| in memory, no store (`--events`) | {n / stream['ingest_s']:,.0f} | - | - "
        f"| {stream['peak_mib']:.0f} MiB | - |"
    )
    for mode in modes[1:]:
        r = results[mode]
        print(
            f"| {mode} | {n / r['ingest_s']:,.0f} "
            f"({r['ingest_s'] / stream['ingest_s']:.2f}x the time of no store) "
            f"| {r['engine_s']:.1f} s ({n / r['engine_s']:,.0f} rows/s) | {r['size_mib']:.0f} MiB "
            f"| {r['ingest_peak_mib']:.0f} MiB | {r['query_all_s']:.2f} s / {r['query_day_s']:.2f} s |"
        )
    s = results["sqlite"]
    print(
        f"\nreplay (from the store): {s['replay_calls']:,} recorded calls, "
        f"{s['replay_decisions']:,} distinct "
        f"decisions in {s['replay_s']:.2f} s: {s['replay_calls'] / s['replay_s']:,.0f} calls/s "
        f"({s['replay_decisions'] / s['replay_s']:,.0f} distinct decisions/s, each evaluated on both sides); "
        f"with the store's question: {s['replay_calls'] / (s['replay_s'] + s['query_all_s']):,.0f} calls/s; "
        f"peak RSS {s['peak_mib']:.0f} MiB"
    )


if __name__ == "__main__":
    main()

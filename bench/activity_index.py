"""The store's covering index (`calls_by_call`) against the same store without it: the verbs'
question (all time, and a one-day window), the answers compared, and what the index costs at load.

    .venv/bin/python bench/activity_index.py [--events N] [--addresses K] [--runs R]

N synthetic seed-flow events (default 200,000; bench/activity.py's generator, the application's
calls over K source addresses) are loaded twice, into a store with the index and into one without
(the schema of before), one after the other; then `store.read` of each is timed alternately, R runs
each (default 3), and the medians and the ratio printed. The answers (every distinct call with its
count, first and last time) must be equal, or the bench fails. On a loaded machine read the ratios.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DAY = 86_400


def _bench_activity() -> Any:
    spec = importlib.util.spec_from_file_location("bench_activity", ROOT / "bench" / "activity.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _answer(log: Any) -> list[tuple[Any, ...]]:
    return sorted((k, u.count, u.last, str(u.first_seen_at)) for k, u in log.uses.items())


def main() -> None:
    from ramstack.activity import store
    from ramstack.diagnostics import Diagnostics

    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--addresses", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    bench = _bench_activity()
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "events.jsonl"
        bench._write_events(events, args.events, args.addresses)
        with_index, without = Path(tmp) / "index.sqlite", Path(tmp) / "plain.sqlite"
        schema = store._SCHEMA
        start, end = schema.index("-- the verbs' question"), schema.index("CREATE VIEW")
        loads: dict[str, float] = {}
        for name, db, text in (
            ("without", without, schema[:start] + schema[end:]),
            ("with", with_index, schema),
        ):
            store._SCHEMA = text
            started = time.perf_counter()
            result = store.load([events], db, Diagnostics())
            loads[name] = time.perf_counter() - started
            assert result.stored == args.events
        store._SCHEMA = schema
        first = store.read(with_index).first
        assert first is not None
        day = first.timestamp() + 10 * DAY
        window = {"since": datetime.fromtimestamp(day, UTC), "until": datetime.fromtimestamp(day + DAY, UTC)}
        times: dict[tuple[str, str], list[float]] = {}
        answers: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
        for _ in range(args.runs):
            for name, db in (("without", without), ("with", with_index)):
                for question, kwargs in (("all time", {}), ("one day", window)):
                    started = time.perf_counter()
                    log = store.read(db, **kwargs)
                    times.setdefault((name, question), []).append(time.perf_counter() - started)
                    answers[(name, question)] = _answer(log)
        for question in ("all time", "one day"):
            assert answers[("with", question)] == answers[("without", question)], question
        print(f"{args.events:,} events, {len(answers[('with', 'all time')]):,} distinct calls; answers equal")
        print(f"{'measure':<28} {'without index':>14} {'with index':>12} {'ratio':>7}")
        print(
            f"{'load (read+map+store), s':<28} {loads['without']:>14.2f} {loads['with']:>12.2f}"
            f" {loads['with'] / loads['without']:>6.2f}x"
        )
        for question in ("all time", "one day"):
            a = statistics.median(times[("without", question)])
            b = statistics.median(times[("with", question)])
            print(f"{'question, ' + question + ', s':<28} {a:>14.3f} {b:>12.3f} {a / b:>6.2f}x faster")
        sizes = {n: p.stat().st_size / 2**20 for n, p in (("without", without), ("with", with_index))}
        print(f"{'store size, MiB':<28} {sizes['without']:>14.1f} {sizes['with']:>12.1f}")


if __name__ == "__main__":
    main()

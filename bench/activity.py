"""Activity bench: synthetic seed-flow events -> ingest (events/s) and replay (decisions/s), peak memory.

    .venv/bin/python bench/activity.py [EVENTS]      (default 1,000,000)

Ingest streams a JSONL file through the reader and the mapping into the aggregated log; replay
decides every recorded call under the dev spec and a narrowed copy (uses are aggregated, so the
figure is recorded calls replayed per second; distinct decisions are memoised).
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path

from ramstack.activity.log import load_activity
from ramstack.activity.replay import replay
from ramstack.activity.synthetic import seed_flow_events
from ramstack.diagnostics import Diagnostics
from ramstack.spec.config import load_stack_config
from ramstack.spec.load import load_spec

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    diags = Diagnostics()
    config = load_stack_config(ROOT, "dev", diags)
    assert config is not None
    spec = load_spec(config, diags)
    assert spec is not None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for event in seed_flow_events(count):
                out.write(json.dumps(event) + "\n")
        size = path.stat().st_size
        started = time.perf_counter()
        log = load_activity([path], diags, account_id=spec.account_id)
        ingest = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    started = time.perf_counter()
    result = replay(log, spec, spec)
    elapsed = time.perf_counter() - started
    print(f"events: {count:,} ({size / 2**20:.0f} MiB JSONL), distinct uses: {len(log.uses)}")
    print(f"ingest: {ingest:.1f} s, {count / ingest:,.0f} events/s, peak RSS {peak / 2**20:.0f} MiB")
    print(
        f"replay: {result.calls:,} recorded calls in {elapsed * 1000:.1f} ms, "
        f"{result.calls / max(elapsed, 1e-9):,.0f} calls/s ({result.decisions} distinct decisions)"
    )


if __name__ == "__main__":
    main()

"""The activity store: loads incrementally, never drops or double-counts, survives a crash, and the
verbs read the same activity from it as from the files."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ramstack.activity import queries, store
from ramstack.activity.log import ActivityLog, load_activity
from ramstack.activity.source import read_activity
from ramstack.activity.synthetic import seed_flow_events, vod_upload_events
from ramstack.cli import main
from ramstack.diagnostics import Diagnostics
from tests.activity.conftest import git_commit, samples_as_array

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "1234567890123456"


def _jsonl(path: Path, events: object) -> Path:
    path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")  # type: ignore[attr-defined]
    return path


def _same(a: ActivityLog, b: ActivityLog) -> None:
    for name in (
        "events", "outside_window", "failed", "unmapped", "unmapped_at", "principals", "access_keys",
        "signins", "assumed_roles", "unknown_resource", "assumed_actions", "first", "last",
    ):  # fmt: skip
        assert getattr(a, name) == getattr(b, name), name
    assert {k: (u.count, u.last, u.first_seen_at) for k, u in a.uses.items()} == {
        k: (u.count, u.last, u.first_seen_at) for k, u in b.uses.items()
    }


def test_store_reads_back_what_the_files_say_in_any_window(tmp_path: Path) -> None:
    # seed flows, the VOD uploader, and every published sample (unmapped, root, failed, malformed)
    first = _jsonl(tmp_path / "a.jsonl", seed_flow_events(3000))
    denied = [
        {**e, "errorCode": "NoPermission", "eventId": f"denied-{i}"}
        for i, e in enumerate(seed_flow_events(20))
    ]
    second = _jsonl(tmp_path / "b.jsonl", [*vod_upload_events(200), *denied])
    samples = tmp_path / "samples.json"
    samples.write_text(samples_as_array(), encoding="utf-8")
    db = tmp_path / "activity.sqlite"
    diags = Diagnostics()
    result = store.load([first, second, samples], db, diags)
    assert not diags.has_errors and result.stored == result.events > 3200 and result.unmapped
    seen = []
    for since, until in [(None, None), ("2026-11-01T10:00:00+00:00", "2026-11-02T03:17:30+00:00")]:
        window = {
            "since": None if since is None else _dt(since),
            "until": None if until is None else _dt(until),
        }
        from_files = load_activity([first, second, samples], Diagnostics(), account_id=ACCOUNT, **window)
        from_store = read_activity(None, db, Diagnostics(), account_id=ACCOUNT, **window)
        assert from_store is not None
        _same(from_store, from_files)
        seen.append(from_files)
    # the unmapped, the failed and the window are all exercised
    assert seen[0].unmapped and seen[0].failed and seen[1].outside_window > 0


def _dt(text: str):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat(text)


def test_loading_the_same_file_or_the_same_events_twice_counts_them_once(tmp_path: Path) -> None:
    events = list(seed_flow_events(500))
    a = _jsonl(tmp_path / "a.jsonl", events)
    db = tmp_path / "s.sqlite"
    assert store.load([a], db, Diagnostics()).stored == 500
    again = store.load([a, tmp_path], db, Diagnostics())  # the file itself, and the folder holding it
    assert again.stored == 0 and again.skipped == [str(a), str(a)]
    # an export of overlapping events, in another file: only the new ones are stored
    overlap = _jsonl(tmp_path / "b.json", events[250:] + list(seed_flow_events(600, seed=99))[500:])
    result = store.load([overlap], db, Diagnostics())
    assert (result.events, result.stored, result.duplicates) == (350, 100, 250)
    log = store.read(db, account_id=ACCOUNT)
    assert log.events == 600


def test_an_error_mid_load_leaves_the_previous_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "s.sqlite"
    store.load([_jsonl(tmp_path / "a.jsonl", seed_flow_events(300))], db, Diagnostics())
    before = store.read(db, account_id=ACCOUNT)
    calls = 0
    real = store.map_event

    def failing(data, location):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls > 25_000:
            raise KeyboardInterrupt
        return real(data, location)

    monkeypatch.setattr(store, "map_event", failing)
    big = _jsonl(tmp_path / "b.jsonl", seed_flow_events(30_000, seed=5))
    with pytest.raises(KeyboardInterrupt):
        store.load([big], db, Diagnostics())
    _same(store.read(db, account_id=ACCOUNT), before)


def test_a_cut_gzip_file_stores_nothing(tmp_path: Path) -> None:
    import gzip

    db = tmp_path / "s.sqlite"
    good = _jsonl(tmp_path / "a.jsonl", seed_flow_events(100))
    packed = gzip.compress("".join(json.dumps(e) + "\n" for e in seed_flow_events(2000, seed=3)).encode())
    cut = tmp_path / "Actiontrail_cn-shanghai_1.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    diags = Diagnostics()
    result = store.load([good, cut], db, diags)
    assert [(d.location.file, d.code) for d in diags if d.level == "error"] == [(str(cut), "ACT002")]
    assert result.stored == 0 and not result.files
    diags = Diagnostics()  # neither file counts as loaded: both are read again next time
    assert read_activity(None, db, diags) is None and [d.code for d in diags] == ["ACT020"]
    cut.write_bytes(packed)
    assert store.load([good, cut], db, Diagnostics()).stored == 2100


def test_a_killed_load_leaves_the_previous_store(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    store.load([_jsonl(tmp_path / "a.jsonl", seed_flow_events(300))], db, Diagnostics())
    big = _jsonl(tmp_path / "b.jsonl", seed_flow_events(30_000, seed=5))
    # the process dies (no cleanup, no rollback) after the first batch has been written to the file
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from ramstack.activity import store\n"
        "from ramstack.diagnostics import Diagnostics\n"
        "real = store._insert\n"
        "def insert(conn, sql, batch):\n"
        "    n = real(conn, sql, batch)\n"
        "    os._exit(9)\n"
        "store._insert = insert\n"
        "store.load([Path(sys.argv[1])], Path(sys.argv[2]), Diagnostics())\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    done = subprocess.run([sys.executable, "-c", script, str(big), str(db)], env=env, cwd=ROOT, check=False)
    assert done.returncode == 9
    assert store.read(db, account_id=ACCOUNT).events == 300  # the rollback journal undid the half load


def test_missing_corrupt_and_newer_stores_are_located_errors(tmp_path: Path) -> None:
    diags = Diagnostics()
    assert read_activity(None, tmp_path / "none.sqlite", diags) is None
    assert [(d.location.file, d.code) for d in diags] == [(str(tmp_path / "none.sqlite"), "ACT020")]
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    for path in (garbage,):
        diags = Diagnostics()
        assert read_activity(None, path, diags) is None
        assert [d.code for d in diags] == ["ACT021"] and "not a readable activity store" in diags.items[
            0
        ].message
        diags = Diagnostics()
        store.load([_jsonl(tmp_path / "e.jsonl", seed_flow_events(5))], path, diags)
        assert [d.code for d in diags] == ["ACT021"]
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    diags = Diagnostics()
    assert read_activity(None, other, diags) is None and [d.code for d in diags] == ["ACT021"]
    diags = Diagnostics()
    store.load([_jsonl(tmp_path / "e.jsonl", seed_flow_events(5))], tmp_path, diags)  # a folder
    assert [(d.location.file, d.code) for d in diags] == [(str(tmp_path), "ACT023")]
    newer = tmp_path / "newer.sqlite"
    store.load([_jsonl(tmp_path / "e.jsonl", seed_flow_events(5))], newer, Diagnostics())
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    diags = Diagnostics()
    assert read_activity(None, newer, diags) is None and [d.code for d in diags] == ["ACT022"]


def test_cli_load_then_verbs_read_the_store(project: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    events = _jsonl(tmp_path / "trail.jsonl", seed_flow_events(400))
    git_commit(project)
    assert main(["activity", "unused"]) == 2
    assert "ACT020" in capsys.readouterr().err
    assert main(["activity", "load", str(events), "--format", "json"]) == 0
    loaded = json.loads(capsys.readouterr().out)
    assert loaded["load"]["stored"] == 400 and loaded["events"] == 400
    assert (project / ".ramstack" / "activity.sqlite").is_file()
    assert main(["activity", "load", str(events)]) == 0
    assert "already loaded (same content)" in capsys.readouterr().out
    for verb in (["unused"], ["replay"], ["generate", "--principal", "role/ims-sts-role"]):
        assert main(["activity", *verb, "--format", "json"]) == 0
        from_store = json.loads(capsys.readouterr().out)
        assert main(["activity", *verb, "--format", "json", "--events", str(events)]) == 0
        assert json.loads(capsys.readouterr().out) == from_store, verb
    # --db elsewhere, and a window
    other = tmp_path / "elsewhere.sqlite"
    assert main(["activity", "load", str(events), "--db", str(other), "--since", "2026-11-01T05:00:00Z"]) == 0
    out = capsys.readouterr().out
    assert "stored 400 of 400 events" in out and "100 outside the window" not in out
    assert "events: 400 read, 299 outside the window" in out
    assert main(["activity", "load"]) == 2
    assert "ACT003" in capsys.readouterr().err


def test_the_strict_load_stores_nothing_when_an_event_is_malformed(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(next(seed_flow_events(1))) + "\n{oops\n", encoding="utf-8")
    assert main(["activity", "load", str(bad), "--strict"]) == 2
    assert not (project / ".ramstack" / "activity.sqlite").exists()
    assert main(["activity", "load", str(bad)]) == 0  # a warning; the good event is stored
    assert store.read(project / ".ramstack" / "activity.sqlite").events == 1


def test_the_questions_are_plain_sql_with_inlinable_parameters() -> None:
    sql = queries.inline(queries.CALL_GROUPS, {"since": 1700000000, "until": 1800000000})
    assert ":since" not in sql and "time >= 1700000000 AND time < 1800000000" in sql
    assert queries.inline("x = :name", {"name": "it's"}) == "x = 'it''s'"
    # the questions run on a plain table with the documented columns (as on another engine)
    conn = sqlite3.connect(":memory:")
    conn.execute(
        "CREATE TABLE activity (id, time, principal, account, actions, resource, context, access_key,"
        " reason, success, signin, assumed, location)"
    )
    conn.executemany(
        "INSERT INTO activity VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (1, 100, "user/a", "1", "oss:GetObject", "r", "", "", "", 1, 0, 0, "f:1:1"),
            (2, 200, "user/a", "1", "oss:GetObject", "r", "", "", "", 1, 0, 0, "f:2:1"),
            (3, 300, "user/a", "1", "oss:GetObject", "r", "", "", "", 1, 0, 0, "f:3:1"),
            (4, None, "user/b", "1", "", "*", "", "", "why", 1, 0, 0, "f:4:1"),
        ],
    )
    rows = conn.execute(queries.CALL_GROUPS, {"since": 150, "until": 300}).fetchall()
    assert [(r[0], r[10], r[11], r[12], r[13]) for r in rows] == [
        ("user/a", 1, 200, 200, 2),
        ("user/b", 1, None, None, 4),
    ]
    assert conn.execute(queries.WINDOW_COUNTS, {"since": 150, "until": 300}).fetchone() == (4, 2)


def test_the_store_folder_is_git_ignored_in_the_repo_the_init_templates_and_the_examples() -> None:
    ignores = [ROOT / ".gitignore", ROOT / "ramstack/templates/_project/gitignore"]
    ignores += sorted(ROOT.glob("examples/*/.gitignore"))
    assert len(ignores) >= 5
    for path in ignores:
        assert ".ramstack/" in path.read_text(encoding="utf-8").splitlines(), path


def test_the_question_walks_the_covering_index_and_answers_as_without_it(tmp_path: Path) -> None:
    events = _jsonl(tmp_path / "t.jsonl", [*seed_flow_events(300), *vod_upload_events(20)])
    db = tmp_path / "s.sqlite"
    assert store.load([events], db, Diagnostics()).stored == 320
    coded = queries.CALL_GROUPS.replace("FROM activity", "FROM calls")
    with sqlite3.connect(db) as conn:
        plan = " ".join(str(row[3]) for row in conn.execute("EXPLAIN QUERY PLAN " + coded, queries.ALL_TIME))
    assert "COVERING INDEX calls_by_call" in plan and "GROUP BY" not in plan  # no sort of the rows
    before = store.read(db)
    # a store of before the index (or with it dropped) gives the same answer, only slower
    plain = tmp_path / "plain.sqlite"
    shutil.copy(db, plain)
    with sqlite3.connect(plain) as conn:
        conn.execute("DROP INDEX calls_by_call")
    after = store.read(plain)
    assert after.uses == before.uses and after.events == before.events == 320
    # loading into it again (a new file) builds the index
    assert store.load([_jsonl(tmp_path / "u.jsonl", vod_upload_events(5, seed=3))], plain, Diagnostics())
    with sqlite3.connect(plain) as conn:
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert "calls_by_call" in names


def test_reading_the_store_asks_as_many_queries_for_many_groups_as_for_few(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = store._connect
    statements: list[str] = []

    def traced(path: Path, *, create: bool) -> sqlite3.Connection:
        conn = connect(path, create=create)
        if not create:
            conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(store, "_connect", traced)
    asked = []
    for n, name in ((3, "few"), (400, "many")):
        db = tmp_path / f"{name}.sqlite"
        assert not store.load(
            [_jsonl(tmp_path / f"{name}.jsonl", seed_flow_events(n))], db, Diagnostics()
        ).unmapped
        statements.clear()
        log = store.read(db, account_id=ACCOUNT)
        asked.append(len(statements))
        _same(log, load_activity([tmp_path / f"{name}.jsonl"], Diagnostics(), account_id=ACCOUNT))
    assert asked[0] == asked[1]  # no query per group (locations) or per string id: fetched in bulk


def test_a_strict_load_reads_each_file_once(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ramstack.activity import reader

    opened: list[Path] = []
    for module in (reader, store):
        real = module._open

        def counted(path: Path, real: object = real) -> object:
            opened.append(path)
            return real(path)  # type: ignore[operator]

        monkeypatch.setattr(module, "_open", counted)
    good = _jsonl(tmp_path / "good.jsonl", seed_flow_events(20))
    assert main(["activity", "load", str(good), "--strict"]) == 0
    assert opened == [good]  # the malformed-event check is the load's own reading, not a pass before it
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(next(seed_flow_events(1))) + "\n{oops\n", encoding="utf-8")
    opened.clear()
    assert main(["activity", "load", str(bad), "--strict"]) == 2
    assert opened == [bad] and store.read(project / ".ramstack" / "activity.sqlite").events == 20

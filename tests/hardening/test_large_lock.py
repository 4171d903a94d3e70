"""A lock file is ramstack's own output: a large stack's lock (over the 8 MiB bound of hand-written
inputs) is read back by `lock --check` and `diff`, within bounds of its own."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from ramstack.cli import main
from ramstack.effective import lockfile
from ramstack.source import MAX_BYTES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("size", [MAX_BYTES + 1024])
def test_a_lock_file_larger_than_the_input_bound_is_read(tmp_path: Path, size: int, capsys) -> None:
    sys.path.insert(0, str(ROOT))
    try:
        from bench.inventory import generate
    finally:
        sys.path.remove(str(ROOT))
    project = generate(tmp_path, users=60, roles=12, policies=18)
    assert main(["lock", "-C", str(project), "--stack", "bench"]) == 0
    path = project / "permissions.bench.lock.json"
    text = path.read_text(encoding="utf-8")
    # pad the committed lock past the 8 MiB bound with whitespace JSON allows: still the same lock
    path.write_text(text[:-2] + " " * (size - len(text)) + text[-2:], encoding="utf-8")
    assert path.stat().st_size > MAX_BYTES
    capsys.readouterr()
    assert main(["diff", "-C", str(project), "--stack", "bench", "--exit-code"]) == 0
    err = capsys.readouterr().err
    assert "LOCK003" not in err and "YAML010" not in err


def test_the_lock_bound_is_still_finite(tmp_path: Path, capsys) -> None:
    path = tmp_path / "permissions.dev.lock.json"
    with path.open("wb") as handle:
        handle.truncate(lockfile.LOCK_MAX_BYTES + 1)
    from ramstack.diagnostics import Diagnostics

    diags = Diagnostics()
    assert lockfile.read(path, diags) is None
    assert [d.code for d in diags.errors] == ["LOCK003"]


def test_the_fast_reader_agrees_with_the_located_reader() -> None:
    from ramstack.diagnostics import Diagnostics
    from ramstack.source import parse_text

    for path in sorted(ROOT.glob("permissions.*.lock.json")):
        text = path.read_text(encoding="utf-8")
        located = lockfile.from_json(
            parse_text(text, str(path), Diagnostics(), json_mode=True), str(path), Diagnostics()
        )
        fast = lockfile._plain_lock(text, str(path))
        assert fast is not None and fast == located
        # anything unusual goes to the located reader, which says where
        assert (
            lockfile._plain_lock(text.replace('"format": 1', '"format": 1, "format": 1', 1), str(path))
            is None
        )
        assert lockfile._plain_lock(text.replace('"format": 1', '"format": NaN', 1), str(path)) is None


def test_a_lock_of_the_current_permissions_is_read_as_them(tmp_path: Path) -> None:
    """`diff` passes the permissions it computed: a lock file that is exactly their text reads as
    them without parsing (the text is faithful: parsing it gives equal permissions), and any other
    text, even one differing in the stack name only, is parsed as before."""
    from ramstack.diagnostics import Diagnostics
    from ramstack.effective import compute_effective
    from ramstack.spec.config import load_stack_config
    from ramstack.spec.inputs import load_with_config

    stacks = [(example, "example") for example in sorted((ROOT / "examples").iterdir()) if example.is_dir()]
    sys.path.insert(0, str(ROOT))
    try:
        from bench.inventory import generate
    finally:
        sys.path.remove(str(ROOT))
    stacks.append((generate(tmp_path / "bench", users=60, roles=12, policies=18), "bench"))
    for project, stack in stacks:
        diags = Diagnostics()
        config = load_stack_config(project, stack, diags)
        assert config is not None, project
        spec = load_with_config(config, diags, config_failed=False)
        assert spec is not None and not diags.has_errors, project
        perms = compute_effective(spec)
        path = tmp_path / f"{project.name}.lock.json"
        path.write_text(lockfile.dumps(perms, stack), encoding="utf-8")
        parsed = lockfile.read(path, Diagnostics())
        assert parsed is not None and parsed.principals and parsed.principals == perms.principals
        shortcut = lockfile.read(path, Diagnostics(), current=(perms, stack))
        assert shortcut == parsed and shortcut is not perms
        # another stack's lock with the same permissions is still read from its text
        other = lockfile.read(path, Diagnostics(), current=(perms, stack + "-other"))
        assert other == parsed
    # a corrupt file is never taken for the current permissions
    corrupt = path.read_text(encoding="utf-8").replace('"kind": "user"', '"kind": 5', 1)
    path.write_text(corrupt, encoding="utf-8")
    diags = Diagnostics()
    assert lockfile.read(path, diags, current=(perms, stack)) is None
    assert [d.code for d in diags.errors] == ["LOCK001"]


def test_the_fast_reader_checks_types_of_a_grant_seen_before(tmp_path: Path) -> None:
    """The fast reader checks a grant equal to one already read for the flags' types only: a 1 where
    a later holder's true belongs (equal as keys) still goes to the located reader, which says where."""
    from ramstack.diagnostics import Diagnostics

    grant = '{"action": "ecs:*", "effect": "Allow", "not_action": %s, "resource": "*"}'
    text = (
        '{"format": 1, "generator": "ramstack lock", "stack": "dev", "account_id": "1", "principals": {'
        '"user/a": {"kind": "user", "grants": [%s]}, "user/b": {"kind": "user", "grants": [%s]}}}'
    )
    good = text % (grant % "true", grant % "true")
    fast = lockfile._plain_lock(good, "x")
    assert fast is not None and fast.principals[0].grants == fast.principals[1].grants
    for flag in ("1", "1.0"):
        bad = text % (grant % "true", grant % flag)
        assert lockfile._plain_lock(bad, "x") is None
        path = tmp_path / "permissions.dev.lock.json"
        path.write_text(bad, encoding="utf-8")
        diags = Diagnostics()
        assert lockfile.read(path, diags) is None
        assert [d.code for d in diags.errors] == ["LOCK001"]
        assert "'not_action' must be true or false" in diags.errors[0].message

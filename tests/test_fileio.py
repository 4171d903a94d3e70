"""Atomic writes: the old file survives any failure, and failures are IO010 naming the path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ramstack.diagnostics import InvalidInput
from ramstack.fileio import write_text_atomic


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    write_text_atomic(target, "one\n")
    write_text_atomic(target, "two ✓\n")
    assert target.read_text(encoding="utf-8") == "two ✓\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left behind


def test_missing_folder_is_a_located_error(tmp_path: Path) -> None:
    target = tmp_path / "nope" / "out.json"
    with pytest.raises(InvalidInput) as info:
        write_text_atomic(target, "x")
    assert info.value.codes == ["IO010"] and str(target) in info.value.render()


def test_directory_target_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as info:
        write_text_atomic(tmp_path, "x")
    assert info.value.codes == ["IO010"]


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "lock.json"
    target.write_text("old", encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(InvalidInput) as info:
        write_text_atomic(target, "new")
    assert "No space left on device" in info.value.render()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["lock.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only folders")
def test_read_only_folder(tmp_path: Path) -> None:
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(InvalidInput):
            write_text_atomic(tmp_path / "x", "x")
    finally:
        tmp_path.chmod(0o755)


def test_schema_output_under_a_file_is_io010(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from ramstack.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["schema", "--output", str(blocker / "schemas")]) == 2
    assert "IO010" in capsys.readouterr().err


def test_a_new_file_gets_the_umask_mode_and_an_old_one_keeps_its_mode(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_text_atomic(tmp_path / "new.json", "x")
        kept = tmp_path / "kept.json"
        kept.write_text("old")
        kept.chmod(0o600)
        write_text_atomic(kept, "new")
    finally:
        os.umask(old)
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o640
    assert kept.stat().st_mode & 0o777 == 0o600


def test_mode_is_the_files_mode_from_its_first_byte(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "ready.json"
    target.write_text("old")
    target.chmod(0o644)
    seen: list[int] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:  # the bytes are written by now
        seen.append(os.fstat(fd).st_mode & 0o777)
        real_fsync(fd)

    def replace(src: str, dst: Path) -> None:
        seen.append(os.stat(src).st_mode & 0o777)
        real_replace(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    write_text_atomic(target, "secret", mode=0o600)
    assert seen[:2] == [0o600, 0o600]
    assert target.stat().st_mode & 0o777 == 0o600 and target.read_text() == "secret"

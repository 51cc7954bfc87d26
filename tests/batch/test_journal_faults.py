"""A journal's storage faults (a full disk, a damaged file) are one line and exit 2, not a
traceback; what the journal recorded before stays."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tarjama.batch import JobOptions, run_job
from tarjama.batch.journal import Journal, journal_path
from tarjama.errors import JournalError

from ..commands import tarjama
from .conftest import FakeTranslators, journal_rows, write_archive


def _job(tmp_path: Path) -> tuple[Path, Path]:
    folder = write_archive(tmp_path / "in")["folder"]
    out = tmp_path / "out"
    run_job([folder], out, FakeTranslators())
    return folder, out


def test_a_damaged_journal_is_one_line_for_the_job_and_for_status(tmp_path: Path) -> None:
    folder, out = _job(tmp_path)
    path = journal_path(out)
    for extra in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        extra.unlink(missing_ok=True)
    path.write_bytes(b"not a database at all " * 100)
    with pytest.raises(JournalError, match="job journal") as caught:
        run_job([folder], out, FakeTranslators(), JobOptions(resume=True))
    assert "\n" not in str(caught.value)
    st = tarjama("batch", "status", str(out), home=tmp_path / "home")
    assert st.returncode == 2
    said = st.stderr.decode().strip().splitlines()
    assert len(said) == 1 and "job journal" in said[0]


def test_a_full_disk_is_one_line_and_the_journal_keeps_what_it_had(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, out = _job(tmp_path)
    before = {(r["name"], r["state"]) for r in journal_rows(out)}
    assert before and all(state == "done" for _, state in before)
    (folder / "new.txt").write_text("خبر جديد.\n", encoding="utf-8")

    def full(self: Journal, results: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(Journal, "record", full)
    with pytest.raises(JournalError, match="free some space") as caught:
        run_job([folder], out, FakeTranslators(), JobOptions(resume=True))
    assert "\n" not in str(caught.value)
    monkeypatch.undo()
    assert before <= {(r["name"], r["state"]) for r in journal_rows(out)}

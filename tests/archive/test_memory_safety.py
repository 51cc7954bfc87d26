"""The memory under concurrent and interrupted imports, with real processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tarjama.archive import Entry, TranslationMemory
from tarjama.archive.tmx import read_tsv, write_tsv
from tarjama.errors import MemoryStoreError


def _entries(start: int, stop: int, tag: str = "") -> list[Entry]:
    return [
        Entry(
            f"قال المتحدث في البيان رقم {i} إن الاجتماع {i % 97} انتهى",
            f"The spokesman said in statement {i} that meeting {i % 97} ended{tag}",
            origin=f"bench#{i}",
            created="2026-01-01T00:00:00Z",
        )
        for i in range(start, stop)
    ]


def _import(tsv: Path, db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tarjama", "memory", "import", str(tsv), "--memory", str(db), "-q"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _count(db: Path) -> int:
    try:
        with TranslationMemory(db) as tm:
            return len(tm)
    except MemoryStoreError:  # the import is creating it at this very moment
        return 0


def test_two_processes_importing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite"
    first, second = tmp_path / "first.tsv", tmp_path / "second.tsv"
    # Overlapping halves: 0..6000 and 4000..10000, plus a conflicting target on each side.
    write_tsv(_entries(0, 6000) + _entries(0, 50, " (a)"), first)
    write_tsv(_entries(4000, 10000) + _entries(0, 50, " (b)"), second)
    procs = [_import(first, db), _import(second, db)]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
    with TranslationMemory(db) as tm:
        assert tm.check() == []
        stored = {(e.source, e.target) for e in tm.entries()}
        expected = {(e.source, e.target) for path in (first, second) for e in read_tsv(path)}
        assert stored == expected
        assert len(tm) == 10100
        stats = tm.stats()
        assert (stats.sources, stats.conflicts) == (10000, 50)


@pytest.mark.slow
@pytest.mark.timing  # it must catch the import half-way
def test_import_killed_with_sigkill_leaves_a_consistent_memory(tmp_path: Path) -> None:
    db = tmp_path / "tm.sqlite"
    tsv = tmp_path / "big.tsv"
    total = 60_000
    write_tsv(_entries(0, total), tsv)
    proc = _import(tsv, db)
    deadline = time.monotonic() + 120
    # Kill once some batches are committed, well before the end.
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists() and 0 < _count(db) < total // 3:
            break
        time.sleep(0.02)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    with TranslationMemory(db) as tm:
        assert tm.check() == []
        partial = len(tm)
    assert 0 < partial < total
    assert partial % 1000 == 0  # whole batches only: the interrupted one rolled back

    rerun = _import(tsv, db)
    _, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()
    assert f"{total - partial} added, {partial} already present" in err.decode()
    with TranslationMemory(db) as tm:
        assert tm.check() == []
        assert len(tm) == total
        assert [e.source for e in tm.entries()] == [e.source for e in _entries(0, total)]

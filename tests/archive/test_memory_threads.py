"""A server's request threads keep their connection to the memory: opened and recognised
once, not per request, and still refusing a file that is not a memory."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from tarjama.archive import Entry, TranslationMemory
from tarjama.errors import MemoryStoreError


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "tm.sqlite"
    with TranslationMemory(p, create=True) as tm:
        tm.add(Entry("مرحبا بكم", "Welcome"))
    return p


def counting_connects(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    opened: list[str] = []
    real = sqlite3.connect

    def connect(database: str | Path, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(str(database))
        conn: sqlite3.Connection = real(database, *args, **kwargs)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return opened


def test_a_thread_opens_the_memory_once_and_keeps_it(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = counting_connects(monkeypatch)
    first = TranslationMemory.for_thread(path)
    first.close()  # a request's close leaves the thread's connection open
    second = TranslationMemory.for_thread(path)
    assert second is first
    assert second.lookup("مرحبا بكم", "ar", "en") is not None
    assert len(opened) <= 2  # the probe and the connection, once


def test_another_thread_opens_its_own_without_recognising_the_file_again(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = TranslationMemory.for_thread(path)
    opened = counting_connects(monkeypatch)
    theirs: list[TranslationMemory] = []
    thread = threading.Thread(target=lambda: theirs.append(TranslationMemory.for_thread(path)))
    thread.start()
    thread.join(30)
    assert theirs and theirs[0] is not mine
    assert opened == [str(path)]  # its own connection, no read-only probe first


def test_a_kept_connection_sees_what_another_wrote(path: Path) -> None:
    kept = TranslationMemory.for_thread(path)
    assert kept.lookup("صباح الخير", "ar", "en") is None
    with TranslationMemory.open(path) as writer:  # an approval, on another connection
        writer.add(Entry("صباح الخير", "Good morning", origin="editor"))
    found = kept.lookup("صباح الخير", "ar", "en")
    assert found is not None and found.target == "Good morning"


def test_a_file_replaced_by_another_database_is_refused_untouched(path: Path) -> None:
    TranslationMemory.for_thread(path)
    path.unlink()
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    foreign = sqlite3.connect(path)
    foreign.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    foreign.commit()
    foreign.close()
    before = path.read_bytes()
    with pytest.raises(MemoryStoreError, match="not a tarjama translation memory"):
        TranslationMemory.for_thread(path)
    assert path.read_bytes() == before
    assert not Path(f"{path}-wal").exists()


def test_a_thread_keeps_a_few_memories_open_not_every_one(tmp_path: Path) -> None:
    paths = []
    for k in range(8):
        p = tmp_path / f"tm{k}.sqlite"
        TranslationMemory(p, create=True).close()
        paths.append(p)
    first = [TranslationMemory.for_thread(p) for p in paths]
    assert TranslationMemory.for_thread(paths[-1]) is first[-1]  # the latest are kept
    again = TranslationMemory.for_thread(paths[0])  # the oldest was closed: opened anew
    assert again is not first[0]
    assert again.lookup("x", "ar", "en") is None

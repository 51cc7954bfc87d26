"""The quota of the result store: the oldest results go to make room, a result larger than
the whole quota is refused, partial files of other saves are left alone, and the server's
``--result-store-files`` / ``--result-store-mb`` reach ``/translate_file``."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tarjama.errors import InputError
from tarjama.store.results import ResultStore

from ..fakes import FakeEngine
from .conftest import MakeClient


def aged(store: ResultStore, name: str, seconds_ago: float) -> None:
    """Make ``name`` look written ``seconds_ago`` (mtimes order the eviction)."""
    path = store.path(name)
    assert path is not None
    then = time.time() - seconds_ago
    os.utime(path, (then, then))


def test_the_oldest_results_go_when_the_file_count_is_reached(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, max_files=3)
    names = [store.save(b"x", f"{k}.txt") for k in range(3)]
    for k, name in enumerate(names):
        aged(store, name, 30 - k)  # the first is the oldest
    newest = store.save(b"y", "3.txt")
    assert store.path(names[0]) is None
    assert all(store.path(n) is not None for n in [*names[1:], newest])
    assert len(list(tmp_path.iterdir())) == 3


def test_the_oldest_results_go_when_the_bytes_are_reached(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, max_bytes=1000)
    first, second = store.save(b"a" * 400, "a.txt"), store.save(b"b" * 400, "b.txt")
    aged(store, first, 20)
    aged(store, second, 10)
    third = store.save(b"c" * 400, "c.txt")  # 1,200 bytes would cross 1,000
    assert store.path(first) is None
    assert store.path(second) is not None and store.path(third) is not None
    assert sum(p.stat().st_size for p in tmp_path.iterdir()) <= 1000


def test_a_result_larger_than_the_quota_is_refused_and_nothing_is_evicted(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, max_bytes=100)
    kept = store.save(b"k" * 60, "k.txt")
    with pytest.raises(InputError, match="--result-store-mb"):
        store.save(b"x" * 101, "big.txt")
    assert store.path(kept) is not None


def test_another_saves_partial_file_is_not_evicted(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, max_files=1)
    partial = tmp_path / ".abc.partial"
    partial.write_bytes(b"half")  # a concurrent save, mid-write
    store.save(b"1", "1.txt")
    store.save(b"2", "2.txt")
    assert partial.exists()


def test_translate_file_keeps_at_most_the_servers_quota(
    make_client: MakeClient, tmp_path: Path
) -> None:
    with make_client(FakeEngine(), home=tmp_path, result_store_files=2) as client:
        urls = []
        for k in range(3):
            r = client.post(
                "/translate_file",
                data={"source": "ar", "target": "en"},
                files={"file": (f"{k}.txt", f"نص رقم {k}\n".encode())},
            )
            assert r.status_code == 200, r.text
            urls.append(r.json()["translatedFileUrl"])
            time.sleep(0.01)  # distinct mtimes
        got = [client.get(u).status_code for u in urls]
    assert got == [404, 200, 200]
    assert len(list((tmp_path / "results").iterdir())) == 2

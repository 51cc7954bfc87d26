"""The key store keeps one connection per thread and makes sure of its schema once, while
a key revoked from another process is still refused on the next lookup."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest

from tarjama.store.keys import KeyStore


def traced(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """(databases opened, statements run) from here on."""
    opened: list[str] = []
    statements: list[str] = []
    real = sqlite3.connect

    def connect(database: str | Path, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        opened.append(str(database))
        conn: sqlite3.Connection = real(database, *args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)
    return opened, statements


def test_lookups_share_one_connection_and_one_schema_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    key, record = KeyStore(tmp_path / "keys.sqlite3").add("desk")  # `tarjama keys add`
    opened, statements = traced(monkeypatch)
    store = KeyStore(tmp_path / "keys.sqlite3")  # the server's
    for _ in range(5):
        assert store.lookup(key) == record
    assert store.lookup("tj_not-a-key") is None
    assert len(opened) == 1
    assert sum("CREATE TABLE" in s for s in statements) == 1
    assert sum("table_info" in s for s in statements) == 1
    assert sum("SELECT" in s for s in statements) == 6

    other: list[object] = []
    thread = threading.Thread(target=lambda: other.append(store.lookup(key)))
    thread.start()
    thread.join(30)
    assert other == [record]
    assert len(opened) == 2  # that thread's own connection
    assert sum("CREATE TABLE" in s for s in statements) == 1  # and no second check


def test_a_key_revoked_elsewhere_is_refused_on_the_next_lookup(tmp_path: Path) -> None:
    server = KeyStore(tmp_path / "keys.sqlite3")
    key, _ = server.add("desk")
    assert server.lookup(key) is not None
    KeyStore(tmp_path / "keys.sqlite3").revoke(key)  # `tarjama keys revoke`, another process
    assert server.lookup(key) is None


def test_a_store_file_removed_is_made_again(tmp_path: Path) -> None:
    path = tmp_path / "keys.sqlite3"
    store = KeyStore(path)
    key, _ = store.add("desk")
    path.unlink()
    assert store.lookup(key) is None  # a new, empty store, with its schema
    assert store.list() == []
    assert oct(path.stat().st_mode & 0o777) == "0o600"

"""API keys, stored hashed in SQLite under ``$TARJAMA_HOME/keys.sqlite3``.

A key is 32 random bytes, shown once when created, or an existing key brought over
(``tarjama keys add --key``, ``tarjama keys import`` for LibreTranslate's database). Only
its SHA-256 is stored: keys are random, not passwords, so a fast hash is enough to make a
stolen database useless and a slow one would only cost every request time. Each key may
carry its own per-minute request limit and per-text character limit. The file is created
readable by its owner only.

Two other sources answer the same :meth:`lookup`, for servers moving from LibreTranslate:
its own key database, read as it is (:class:`LibreTranslateKeys`), and a remote endpoint
that validates keys (:class:`RemoteKeys`, LibreTranslate's ``--api-keys-remote``).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from ..errors import ConfigError, InputError, KeyStoreError
from .paths import KEYS

PREFIX = "tj_"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    req_limit INTEGER,
    created TEXT NOT NULL,
    revoked TEXT,
    char_limit INTEGER
)
"""
_COLUMNS = "id, name, hint, req_limit, created, revoked, char_limit"


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str
    hint: str  # the first characters of the key, enough to recognise it
    req_limit: int | None
    created: str
    revoked: str | None
    char_limit: int | None = None


class KeyLookup(Protocol):
    """What the server needs of a key source."""

    def lookup(self, key: str) -> ApiKey | None: ...

    def list(self) -> list[ApiKey]: ...


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def _positive(what: str, value: int | None) -> None:
    if value is not None and value < 1:
        raise ConfigError(f"a key's {what} must be at least 1, not {value}")


class KeyStore:
    """Create, list, revoke and look up API keys in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        #: Each thread's connection, with the file (device, inode) it was opened on.
        self._local = threading.local()
        #: The file (device, inode, change time) whose schema this store has made sure of.
        self._ready: tuple[int, int, int] | None = None

    @classmethod
    def in_home(cls, home: str | Path) -> KeyStore:
        return cls(Path(home) / KEYS)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One connection per thread, kept: no statement or transaction outlives a call,
        # so a key revoked by `tarjama keys revoke` is refused by a running server on its
        # next request.
        conn = self._connection()
        try:
            with conn:
                yield conn
        except sqlite3.Error as exc:
            raise KeyStoreError(f"key store {self.path}: {exc}") from exc

    def _connection(self) -> sqlite3.Connection:
        """The calling thread's connection, opened again if the file was replaced."""
        kept: tuple[tuple[int, int], sqlite3.Connection] | None = getattr(self._local, "kept", None)
        stamp = _stamp(self.path)
        if kept is not None and stamp is not None and kept[0] == stamp[:2]:
            conn = kept[1]
        else:
            if kept is not None:
                kept[1].close()
                self._local.kept = None
            conn, stamp = self._open()
            self._local.kept = (stamp[:2], conn)
        # Made sure of once per file; again after a change to it (`tarjama keys` in
        # another process, or a new file that took the old one's inode number).
        if stamp != self._ready:
            try:
                with conn:
                    conn.execute(_SCHEMA)
                    columns = {row[1] for row in conn.execute("PRAGMA table_info(api_keys)")}
                    if "char_limit" not in columns:  # a store made before per-key char limits
                        conn.execute("ALTER TABLE api_keys ADD COLUMN char_limit INTEGER")
            except sqlite3.Error as exc:
                raise KeyStoreError(f"key store {self.path}: {exc}") from exc
            self._ready = _stamp(self.path)
        return conn

    def _open(self) -> tuple[sqlite3.Connection, tuple[int, int, int]]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Owner-only from the start (SQLite gives its journal the same mode).
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            stamp = _stamp(self.path)
            if stamp is None:
                raise FileNotFoundError("removed while being opened")
            return sqlite3.connect(self.path, timeout=5.0), stamp
        except (OSError, sqlite3.Error) as exc:
            raise KeyStoreError(f"cannot open the key store {self.path}: {exc}") from exc

    def add(
        self,
        name: str = "",
        *,
        req_limit: int | None = None,
        char_limit: int | None = None,
        key: str | None = None,
    ) -> tuple[str, ApiKey]:
        """Create a key, or store an existing ``key``; returns the key and its record."""
        _positive("request limit", req_limit)
        _positive("character limit", char_limit)
        if key is not None and (
            len(key) < 8 or key != key.strip() or any(c.isspace() for c in key)
        ):
            raise InputError("a key must be at least 8 characters, without spaces")
        key = key if key is not None else PREFIX + secrets.token_urlsafe(32)
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._connect() as conn:
            if conn.execute("SELECT 1 FROM api_keys WHERE hash = ?", (hash_key(key),)).fetchone():
                raise InputError(f"key {key[:8]}… is already in the store")
            cur = conn.execute(
                "INSERT INTO api_keys (name, hash, hint, req_limit, created, char_limit) "
                "VALUES (?,?,?,?,?,?)",
                (name, hash_key(key), key[:8], req_limit, created, char_limit),
            )
            key_id = int(cur.lastrowid or 0)
        return key, ApiKey(key_id, name, key[:8], req_limit, created, None, char_limit)

    def list(self) -> list[ApiKey]:
        with self._connect() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM api_keys ORDER BY id").fetchall()
        return [ApiKey(*row) for row in rows]

    def revoke(self, id_or_key: str) -> ApiKey:
        """Revoke an active key, named by its id or by the key itself."""
        if id_or_key.isdigit():
            found = next((k for k in self.list() if str(k.id) == id_or_key), None)
        else:
            found = self.lookup(id_or_key)
        if found is None or found.revoked is not None:
            raise InputError(f"no active key matches '{id_or_key[:12]}' (see 'tarjama keys list')")
        revoked = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._connect() as conn:
            conn.execute("UPDATE api_keys SET revoked = ? WHERE id = ?", (revoked, found.id))
        return ApiKey(
            found.id,
            found.name,
            found.hint,
            found.req_limit,
            found.created,
            revoked,
            found.char_limit,
        )

    def lookup(self, key: str) -> ApiKey | None:
        """The active key record for ``key``, or None."""
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM api_keys WHERE hash = ? AND revoked IS NULL",
                (hash_key(key),),
            ).fetchone()
        return ApiKey(*row) if row else None


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino, st.st_ctime_ns


def is_libretranslate_db(path: Path) -> bool:
    """Whether ``path`` is LibreTranslate's key database (a table of plain keys)."""
    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            columns = {row[1] for row in conn.execute("PRAGMA table_info(api_keys)")}
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return "api_key" in columns and "hash" not in columns


class LibreTranslateKeys:
    """LibreTranslate's key database, read as it is and never written."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def _rows(
        self, where: str = "", args: tuple[str, ...] = ()
    ) -> list[tuple[int, str, int, int | None]]:
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=5.0)
            try:
                columns = {row[1] for row in conn.execute("PRAGMA table_info(api_keys)")}
                char = "char_limit" if "char_limit" in columns else "NULL"
                sql = f"SELECT rowid, api_key, req_limit, {char} FROM api_keys {where}"
                return list(conn.execute(sql, args).fetchall())
            finally:
                conn.close()
        except sqlite3.Error as exc:
            raise KeyStoreError(f"LibreTranslate key database {self.path}: {exc}") from exc

    @staticmethod
    def _record(row: tuple[int, str, int, int | None]) -> ApiKey:
        rowid, key, req_limit, char_limit = row
        return ApiKey(rowid, f"libretranslate#{rowid}", key[:8], req_limit, "", None, char_limit)

    def lookup(self, key: str) -> ApiKey | None:
        rows = self._rows("WHERE api_key = ?", (key,))
        return self._record(rows[0]) if rows else None

    def list(self) -> list[ApiKey]:
        return [self._record(r) for r in self._rows()]

    def entries(self) -> Iterator[tuple[str, int, int | None]]:
        """(key, request limit, character limit) for each key, to import them."""
        for _, key, req_limit, char_limit in self._rows():
            yield key, req_limit, char_limit


def import_libretranslate(store: KeyStore, path: str | Path) -> tuple[int, int]:
    """Store every key of LibreTranslate's database at ``path`` (hashed, with its limits);
    returns (added, already present)."""
    source = Path(path)
    if not is_libretranslate_db(source):
        raise InputError(f"{source} is not a LibreTranslate key database (db/api_keys.db)")
    added = present = 0
    known = {k.hint for k in store.list()}
    for key, req_limit, char_limit in LibreTranslateKeys(source).entries():
        if key[:8] in known and store.lookup(key) is not None:
            present += 1
            continue
        store.add(
            "libretranslate",
            req_limit=req_limit if req_limit and req_limit > 0 else None,
            char_limit=char_limit if char_limit and char_limit > 0 else None,
            key=key,
        )
        added += 1
    return added, present


class RemoteKeys:
    """Keys validated by a remote endpoint, as LibreTranslate's ``--api-keys-remote``:
    ``POST url`` with the form field ``api_key``; the answer is JSON with ``req_limit``
    and ``char_limit``, or ``error``. Answers are kept 10 minutes (1,000 keys at most)."""

    TTL = 600.0
    SIZE = 1000

    def __init__(self, url: str, *, timeout: float = 60.0) -> None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ConfigError(f"api-keys-remote must be an http(s) URL, not '{url[:60]}'")
        self.url = url
        self.timeout = timeout
        self._cache: OrderedDict[str, tuple[float, ApiKey | None]] = OrderedDict()
        self._lock = threading.Lock()

    def lookup(self, key: str) -> ApiKey | None:
        digest = hash_key(key)
        now = time.monotonic()
        with self._lock:
            hit = self._cache.get(digest)
            if hit is not None and now - hit[0] < self.TTL:
                return hit[1]
        record = self._ask(key, digest)
        with self._lock:
            self._cache[digest] = (now, record)
            self._cache.move_to_end(digest)
            while len(self._cache) > self.SIZE:
                self._cache.popitem(last=False)
        return record

    def _ask(self, key: str, digest: str) -> ApiKey | None:
        data = urllib.parse.urlencode({"api_key": key}).encode()
        try:
            try:
                with urllib.request.urlopen(self.url, data=data, timeout=self.timeout) as reply:
                    answer = json.loads(reply.read(1 << 16).decode("utf-8"))
            except urllib.error.HTTPError as refused:
                if refused.code >= 500:
                    raise
                return None  # the service refused the key
        except (OSError, ValueError) as exc:
            raise KeyStoreError(f"the key service at {self.url} did not answer: {exc}") from exc
        if not isinstance(answer, dict) or answer.get("error") is not None:
            return None

        def limit(name: str) -> int | None:
            value = answer.get(name)
            return value if isinstance(value, int) and value > 0 else None

        return ApiKey(
            0, f"remote:{digest[:8]}", key[:8], limit("req_limit"), "", None, limit("char_limit")
        )

    def list(self) -> list[ApiKey]:
        return []

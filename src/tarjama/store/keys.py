"""API keys, stored hashed in SQLite under ``$TARJAMA_HOME/keys.sqlite3``.

A key is 32 random bytes, shown once when created. Only its SHA-256 is stored: keys are
random, not passwords, so a fast hash is enough to make a stolen database useless and a
slow one would only cost every request time. Each key may carry its own per-minute limit.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

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
    revoked TEXT
)
"""


@dataclass(frozen=True)
class ApiKey:
    id: int
    name: str
    hint: str  # the first characters of the key, enough to recognise it
    req_limit: int | None
    created: str
    revoked: str | None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


class KeyStore:
    """Create, list, revoke and look up API keys in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    @classmethod
    def in_home(cls, home: str | Path) -> KeyStore:
        return cls(Path(home) / KEYS)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        # One short-lived connection per call: safe from any thread, and a key revoked
        # by `tarjama keys revoke` is refused by a running server on its next request.
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=5.0)
        except (OSError, sqlite3.Error) as exc:
            raise KeyStoreError(f"cannot open the key store {self.path}: {exc}") from exc
        try:
            with conn:
                conn.execute(_SCHEMA)
                yield conn
        except sqlite3.Error as exc:
            raise KeyStoreError(f"key store {self.path}: {exc}") from exc
        finally:
            conn.close()

    def add(self, name: str = "", *, req_limit: int | None = None) -> tuple[str, ApiKey]:
        """Create a key; returns the key itself (shown once) and its record."""
        if req_limit is not None and req_limit < 1:
            raise ConfigError(f"a key's request limit must be at least 1, not {req_limit}")
        key = PREFIX + secrets.token_urlsafe(32)
        created = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self._connect() as conn:
            cur = conn.execute(
                "INSERT INTO api_keys (name, hash, hint, req_limit, created) VALUES (?,?,?,?,?)",
                (name, hash_key(key), key[:8], req_limit, created),
            )
            key_id = int(cur.lastrowid or 0)
        return key, ApiKey(key_id, name, key[:8], req_limit, created, None)

    def list(self) -> list[ApiKey]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, name, hint, req_limit, created, revoked FROM api_keys ORDER BY id"
            ).fetchall()
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
        return ApiKey(found.id, found.name, found.hint, found.req_limit, found.created, revoked)

    def lookup(self, key: str) -> ApiKey | None:
        """The active key record for ``key``, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id, name, hint, req_limit, created, revoked FROM api_keys "
                "WHERE hash = ? AND revoked IS NULL",
                (hash_key(key),),
            ).fetchone()
        return ApiKey(*row) if row else None

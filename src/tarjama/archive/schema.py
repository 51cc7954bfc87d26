"""The translation memory's file: recognising it, creating it, upgrading it.

A memory is recognised before anything is written to it: the file is first opened
read-only, and only a database that carries tarjama's marker (SQLite's
``application_id`` header field, plus the ``meta`` row ``schema``) is opened for writing.
Another application's database is refused untouched (no table added, no switch to WAL).
A memory of schema 3 (before the marker existed) is recognised by its ``meta`` and
``entries`` tables and upgraded in place. Creating a memory is explicit (``create=True``):
its folder must exist, since a mistyped ``--memory a/b/x.sqlite`` must not make folders.

A memory of schema 4 (before the history) is upgraded in place by :mod:`.history`.

Schema (version 5; ``removed``, ``changed`` and ``history``: :mod:`.history`)::

    meta(name PRIMARY KEY, value)            -- schema = 5
    entries(id, source_lang, target_lang, key, source, target, origin, created, kh, th,
            author, context, removed, changed)   UNIQUE (kh, th)
    history(id, entry, action, actor, at, detail)      INDEX (entry)
    postings(term, entry)                    PRIMARY KEY (term, entry), WITHOUT ROWID
    terms(term PRIMARY KEY, df)
    lexicon(source_lang, target_lang, source, target, links)   WITHOUT ROWID
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import InputError, MemoryStoreError
from .history import upgrade_4

SCHEMA_VERSION = "5"
#: SQLite's application_id of a tarjama memory ("TJM1").
APPLICATION_ID = 0x544A4D31

_TABLES = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY,
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    key TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    origin TEXT NOT NULL,
    created TEXT NOT NULL,
    kh INTEGER NOT NULL,
    th INTEGER NOT NULL,
    author TEXT NOT NULL DEFAULT '',
    context TEXT NOT NULL DEFAULT '',
    UNIQUE (kh, th)
);
CREATE TABLE IF NOT EXISTS postings (
    term INTEGER NOT NULL,
    entry INTEGER NOT NULL,
    PRIMARY KEY (term, entry)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS terms (term INTEGER PRIMARY KEY, df INTEGER NOT NULL);
"""

#: The bilingual lexicon learned at import (see :mod:`.lexicon`): link counts per word
#: pair; ``target = ''`` holds a source word's own count, ``source = ''`` a target word's,
#: and both empty the number of links learned from.
_LEXICON = """
CREATE TABLE IF NOT EXISTS lexicon (
    source_lang TEXT NOT NULL,
    target_lang TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    links INTEGER NOT NULL,
    PRIMARY KEY (source_lang, target_lang, source, target)
) WITHOUT ROWID;
"""

_UPGRADE_3 = """
ALTER TABLE entries ADD COLUMN author TEXT NOT NULL DEFAULT '';
ALTER TABLE entries ADD COLUMN context TEXT NOT NULL DEFAULT '';
"""


def _kind(path: Path) -> str:
    """What the file at ``path`` is: "memory", "legacy" (schema 3), "empty" or "missing";
    anything else is refused here. Read-only: nothing is written to look."""
    if not path.exists():
        return "missing"
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a translation memory")
    if path.stat().st_size == 0:
        return "empty"
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=60.0)
    except sqlite3.Error as exc:
        raise MemoryStoreError(f"cannot open translation memory {path}: {exc}") from exc
    try:
        (app,) = db.execute("PRAGMA application_id").fetchone()
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        schema = None
        if "meta" in tables:
            row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
            schema = row[0] if row else None
    except sqlite3.Error as exc:
        raise MemoryStoreError(f"cannot open translation memory {path}: {exc}") from exc
    finally:
        db.close()
    if app == 0 and not tables:
        # An SQLite file with nothing in it: a memory another process is creating this
        # very moment, or a database nobody has used. Neither holds anyone's data.
        return "empty"
    if app == APPLICATION_ID:
        if schema == "4":
            return "schema4"
        if schema != SCHEMA_VERSION:
            raise MemoryStoreError(
                f"translation memory {path} has schema {schema or '?'}, "
                f"this tarjama reads schema {SCHEMA_VERSION}"
            )
        return "memory"
    if app == 0 and schema == "3" and "entries" in tables:
        return "legacy"
    if app == 0 and schema is not None and "entries" in tables:
        raise MemoryStoreError(
            f"translation memory {path} has schema {schema}, "
            f"this tarjama reads schema {SCHEMA_VERSION}"
        )
    raise MemoryStoreError(
        f"{path} is not a tarjama translation memory (another application's database?); "
        "nothing was changed"
    )


#: Page cache of a connection: large for imports (the word index is written in random
#: term order), SQLite's default for the connections a server's request threads keep.
IMPORT_CACHE_KIB = 131072
KEPT_CACHE_KIB = 2048


def connect(
    path: Path, *, create: bool, known: bool = False, cache_kib: int = IMPORT_CACHE_KIB
) -> sqlite3.Connection:
    """An open connection to the memory at ``path``: recognised first, upgraded from
    schema 3 if need be, created only when ``create`` is set (in an existing folder).

    ``known``: this process has recognised this very file already; its marker is then
    read on the connection itself (nothing is written before), and the full check runs
    only if it is missing."""
    if known:
        db = _reopen(path, cache_kib)
        if db is not None:
            return db
    kind = _kind(path)
    if kind == "missing" and not create:
        raise InputError(
            f"no translation memory at {path}; create one with 'tarjama memory import'"
        )
    if kind == "empty" and not create:
        raise MemoryStoreError(f"{path} is empty, not a translation memory (yet)")
    if kind == "missing" and not path.parent.is_dir():
        raise InputError(
            f"cannot create translation memory {path}: folder {path.parent} does not exist"
        )
    try:
        db = sqlite3.connect(path, timeout=60.0, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(f"PRAGMA cache_size=-{cache_kib}")
        if kind != "memory":
            _initialise(db, kind)
    except sqlite3.Error as exc:
        raise MemoryStoreError(f"cannot open translation memory {path}: {exc}") from exc
    return db


def _reopen(path: Path, cache_kib: int) -> sqlite3.Connection | None:
    """A connection to a memory recognised before, or None when its marker is gone."""
    try:
        db = sqlite3.connect(path, timeout=60.0, isolation_level=None)
        (app,) = db.execute("PRAGMA application_id").fetchone()
        row = None
        if app == APPLICATION_ID:
            row = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            db.close()
            return None
        db.execute("PRAGMA synchronous=NORMAL")  # WAL is the file's own, set once
        db.execute(f"PRAGMA cache_size=-{cache_kib}")
    except sqlite3.Error as exc:
        raise MemoryStoreError(f"cannot open translation memory {path}: {exc}") from exc
    return db


def _initialise(db: sqlite3.Connection, kind: str) -> None:
    """Create the tables (a new or empty file) or upgrade schema 3, in one transaction.
    Another process may be doing the same at the same moment: the write lock orders them,
    and the second finds the work done."""
    db.execute("BEGIN IMMEDIATE")
    try:
        (app,) = db.execute("PRAGMA application_id").fetchone()
        if app != APPLICATION_ID:
            # One statement at a time: executescript() would commit the transaction.
            for statement in (_UPGRADE_3 if kind == "legacy" else _TABLES).split(";"):
                if statement.strip():
                    db.execute(statement)
            if kind != "legacy":
                db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", ("4",))
            db.execute(_LEXICON)
            db.execute("UPDATE meta SET value = '4' WHERE name = 'schema'")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        (schema,) = db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if schema == "4":  # the history and tombstones: archive/history.py
            upgrade_4(db)
            db.execute("UPDATE meta SET value = ? WHERE name = 'schema'", (SCHEMA_VERSION,))
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")

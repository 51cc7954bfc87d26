"""The job journal: one SQLite file (WAL) in the output directory, the single source of
truth for what a job has done.

For each document it holds its file and record id, the hash of its input, its state
(``pending``, ``done``, ``failed`` with the error), the hash of its output, the signature
of the model that made it and what the checks found. A document is **done** when its row
says so: its output is then on disk under a temporary name (whole files) or in the journal
itself (records), and becomes the real file right after the commit (see
:mod:`tarjama.batch.outputs`). Every change is one transaction, so a crash at any point
leaves either the old state or the new one.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ConfigError, JournalError
from .formats import Entry
from .inputs import STATE_DIR, InputFile
from .work import DocRef, DocResult, Pool

JOURNAL = "journal.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS job (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    name TEXT PRIMARY KEY,          -- the output's path under DIR; the input's identity
    source TEXT NOT NULL,           -- where the input was read
    format TEXT NOT NULL,
    records INTEGER NOT NULL,       -- 1: a document per record, the file written from here
    scan INTEGER NOT NULL,          -- the last run whose scan found it
    written TEXT,                   -- records: the digest of what the output file holds
    stale INTEGER NOT NULL DEFAULT 0  -- records: the journal holds more than the output
);
CREATE TABLE IF NOT EXISTS documents (
    name TEXT NOT NULL,
    record TEXT NOT NULL,           -- '' for a whole-file document
    scan INTEGER NOT NULL,
    position INTEGER NOT NULL,      -- order in the scan
    pool INTEGER NOT NULL,          -- the pool it is translated in (fixed by the scan)
    offset INTEGER NOT NULL,
    length INTEGER NOT NULL,
    chars INTEGER NOT NULL,
    input_hash TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
    error TEXT,
    output_hash TEXT,
    output BLOB,                    -- records: the rendered record
    signature TEXT,
    sentences INTEGER NOT NULL DEFAULT 0,
    memory INTEGER NOT NULL DEFAULT 0,
    glossary INTEGER NOT NULL DEFAULT 0,
    edits INTEGER NOT NULL DEFAULT 0, -- sentences an LLM's edit wrote (--llm-post-edit)
    errors INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    checks TEXT,                    -- {"check": [errors, warnings]}
    score REAL,
    needs_a_look REAL,              -- its riskiest sentence's score
    done_count INTEGER NOT NULL DEFAULT 0,
    finished REAL,
    PRIMARY KEY (name, record)
);
CREATE INDEX IF NOT EXISTS documents_order ON documents (scan, position);
CREATE TABLE IF NOT EXISTS batches (  -- engine batches of the pools in flight (checkpoints.py)
    key BLOB PRIMARY KEY,           -- the hash of the batch's inputs and decoding settings
    rows INTEGER NOT NULL,
    value BLOB NOT NULL             -- what it came out as, as the engine wrote it
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started REAL NOT NULL,
    updated REAL NOT NULL,
    ended REAL,
    backend TEXT NOT NULL,
    workers INTEGER NOT NULL,
    pid INTEGER NOT NULL
);
"""


#: Columns added to ``documents`` after journals were first written: a job journalled
#: before them gets them when it is resumed (NULL for what it had already done).
_LATER_COLUMNS = {"needs_a_look": "REAL", "edits": "INTEGER NOT NULL DEFAULT 0"}


def _add_missing_columns(db: sqlite3.Connection) -> None:
    have = {r[1] for r in db.execute("PRAGMA table_info(documents)")}
    for name, kind in _LATER_COLUMNS.items():
        if name not in have:
            db.execute(f"ALTER TABLE documents ADD COLUMN {name} {kind}")


def column(db: sqlite3.Connection, name: str, default: str = "NULL") -> str:
    """A later column (:data:`_LATER_COLUMNS`) as an expression to select: ``default`` in
    a journal written before it and only read (``batch status`` of an old job)."""
    have = {r[1] for r in db.execute("PRAGMA table_info(documents)")}
    return name if name in have else default


def journal_path(out_dir: Path) -> Path:
    return out_dir / STATE_DIR / JOURNAL


@contextmanager
def journal_faults(path: Path) -> Iterator[None]:
    """The journal's storage faults, wherever they surface (a worker thread hands its own
    back), as one line: a full disk or a damaged file is not a bug of the job."""
    try:
        yield
    except sqlite3.Error as exc:
        if "full" in str(exc):
            raise JournalError(
                f"the job journal {path} cannot grow ({exc}): free some space, then run the "
                "job again with --resume (what it recorded is kept)"
            ) from exc
        raise JournalError(f"the job journal {path} cannot be used: {exc}") from exc


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    try:
        if readonly:
            # A reader may be closed by another thread than its own (a plan dropped on a
            # crash); it is never used by two at once.
            db = sqlite3.connect(
                f"file:{path}?mode=ro", uri=True, timeout=30, check_same_thread=False
            )
        else:
            db = sqlite3.connect(path, timeout=30)
            db.execute("PRAGMA journal_mode=WAL")
            # FULL: a commit survives a power cut too, not only a killed process.
            db.execute("PRAGMA synchronous=FULL")
    except sqlite3.Error as exc:
        raise JournalError(f"cannot open the job journal {path}: {exc}") from exc
    db.row_factory = sqlite3.Row
    return db


@dataclass(frozen=True)
class Settings:
    """What a job is: resuming it with anything else would mix two translations."""

    values: dict[str, Any]

    def differences(self, stored: dict[str, Any]) -> list[str]:
        return [
            f"{k}: {stored.get(k)!r} then, {v!r} now"
            for k, v in self.values.items()
            if stored.get(k) != v
        ]


class Journal:
    """The job journal of one output directory; used by the one process holding its lock."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = journal_path(out_dir)
        self.existed = self.path.is_file()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = connect(self.path)
        with self.db:
            self.db.executescript(_SCHEMA)
            _add_missing_columns(self.db)
        self.run_id = 0

    def close(self) -> None:
        self.db.close()

    def anything_done(self) -> bool:
        return (
            self.db.execute("SELECT 1 FROM documents WHERE done_count > 0").fetchone() is not None
        )

    def remove(self) -> None:
        """Delete the journal of a job that did nothing (closed first)."""
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    # -- the job and its runs ------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        return {r["key"]: json.loads(r["value"]) for r in self.db.execute("SELECT * FROM job")}

    def fix_settings(self, settings: Settings) -> None:
        """Record the job's settings, or refuse ones that differ from those recorded."""
        stored = self.settings()
        if stored:
            diff = settings.differences(stored)
            if diff:
                raise ConfigError(
                    f"{self.out_dir} holds a job with other settings ({'; '.join(diff)}); "
                    "resume it with the same ones, or choose another --out"
                )
            return
        with self.db:
            self.db.executemany(
                "INSERT INTO job VALUES (?, ?)",
                [(k, json.dumps(v)) for k, v in settings.values.items()],
            )

    def memory_as_of(self) -> str:
        """When the job first started, ISO 8601 UTC: its translation memory is read as it
        was then, on every run (recorded beside the settings, compared with none)."""
        moment = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        with self.db:
            self.db.execute(
                "INSERT OR IGNORE INTO job VALUES ('memory_as_of', ?)", (json.dumps(moment),)
            )
        return str(self.settings()["memory_as_of"])

    def begin_run(self, backend: str, workers: int) -> int:
        now = time.time()
        with self.db:
            cur = self.db.execute(
                "INSERT INTO runs (started, updated, backend, workers, pid) VALUES (?, ?, ?, ?, ?)",
                (now, now, backend, workers, os.getpid()),
            )
        self.run_id = int(cur.lastrowid or 0)
        return self.run_id

    def end_run(self) -> None:
        now = time.time()
        with self.db:
            self.db.execute("DELETE FROM batches")  # no pool is in flight any more
            self.db.execute(
                "UPDATE runs SET updated = ?, ended = ? WHERE id = ?", (now, now, self.run_id)
            )

    # -- the scan ------------------------------------------------------------------------

    def add_file(self, f: InputFile) -> None:
        """Register an input file for this run's scan; two inputs may not share an output."""
        row = self.db.execute("SELECT source, scan FROM files WHERE name = ?", (f.name,)).fetchone()
        if row is not None and row["scan"] == self.run_id and row["source"] != str(f.path):
            raise ConfigError(
                f"two inputs would both be written to {self.out_dir / f.name}: "
                f"{row['source']} and {f.path}"
            )
        self.db.execute(
            "INSERT INTO files (name, source, format, records, scan) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (name) DO UPDATE SET source = excluded.source, "
            "format = excluded.format, records = excluded.records, scan = excluded.scan",
            (f.name, str(f.path), f.format.name, int(f.format.records), self.run_id),
        )

    def add_entry(self, name: str, e: Entry, position: int, pool: int) -> None:
        """Journal a document as the scan finds it now, at ``position`` in ``pool``.

        A done document whose input is unchanged stays done; one whose input changed, and
        one that failed before, is pending again; one that cannot be read fails now.
        """
        self.db.execute(
            """INSERT INTO documents (name, record, scan, position, pool, offset, length, chars,
                   input_hash, state, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (name, record) DO UPDATE SET
                   scan = excluded.scan, position = excluded.position, pool = excluded.pool,
                   offset = excluded.offset, length = excluded.length,
                   chars = excluded.chars, error = excluded.error,
                   state = CASE WHEN excluded.state = 'pending' AND state = 'done'
                                 AND input_hash = excluded.input_hash
                           THEN 'done' ELSE excluded.state END,
                   input_hash = excluded.input_hash""",
            (name, e.record, self.run_id, position, pool, e.offset, e.length, e.chars, e.digest,
             "failed" if e.error else "pending", e.error),
        )  # fmt: skip

    def drop_unseen(self) -> set[str]:
        """Forget the documents that this scan's files no longer hold (a record deleted
        from a JSONL file, say); their files of records are marked stale (and returned)."""
        changed = {
            r[0]
            for r in self.db.execute(
                "SELECT DISTINCT d.name FROM documents d JOIN files f ON f.name = d.name "
                "WHERE f.scan = ? AND d.scan != ? AND f.records = 1",
                (self.run_id, self.run_id),
            )
        }
        self.db.execute(
            "DELETE FROM documents WHERE scan != ? AND name IN "
            "(SELECT name FROM files WHERE scan = ?)",
            (self.run_id, self.run_id),
        )
        self.db.executemany("UPDATE files SET stale = 1 WHERE name = ?", [(n,) for n in changed])
        return changed

    def commit(self) -> None:
        self.db.commit()

    # -- the work ------------------------------------------------------------------------

    def plan(self) -> Iterator[Pool]:
        """The pools of this run, each with its documents still to do.

        A document's pool was fixed by the scan from the documents before it alone, never
        from what is done, so a resumed or retried job puts every document in the pool it
        had in an uninterrupted run. Reads on its own connection (it may run in another
        thread), from the snapshot that its first row fixes.
        """
        db = connect(self.path, readonly=True)
        try:
            rows = db.execute(
                """SELECT d.name, d.record, d.pool, d.offset, d.length, d.input_hash,
                          f.source, f.format
                   FROM documents d JOIN files f ON f.name = d.name
                   WHERE d.scan = ? AND d.state = 'pending' ORDER BY d.position""",
                (self.run_id,),
            )
            index, todo = -1, list[DocRef]()
            for r in rows:
                if r["pool"] != index and todo:
                    yield Pool(index, todo)
                    todo = []
                index = r["pool"]
                todo.append(
                    DocRef(r["name"], r["record"], r["source"], r["format"], r["offset"],
                           r["length"], r["input_hash"])
                )  # fmt: skip
            if todo:
                yield Pool(index, todo)
        finally:
            db.close()

    def record(self, results: Iterable[DocResult]) -> None:
        """Journal the outcome of documents, in one transaction."""
        now = time.time()
        with self.db:
            for r in results:
                self.db.execute(
                    """UPDATE documents SET state = ?, error = ?, input_hash = ?,
                           output_hash = ?, output = ?, signature = ?, sentences = ?,
                           memory = ?, glossary = ?, edits = ?, errors = ?, warnings = ?,
                           checks = ?,
                           score = ?, needs_a_look = ?, done_count = done_count + ?,
                           finished = ?
                       WHERE name = ? AND record = ?""",
                    (r.state, r.error, r.input_hash, r.output_hash,
                     r.output if r.record else None,
                     r.signature.to_text() if r.signature is not None else None,
                     r.sentences, r.memory, r.glossary, r.edits, r.errors, r.warnings,
                     json.dumps(r.checks), r.score, r.needs_a_look,
                     int(r.state == "done"), now, r.name, r.record),
                )  # fmt: skip
                if r.record and r.state == "done":  # its file must be assembled again
                    self.db.execute("UPDATE files SET stale = 1 WHERE name = ?", (r.name,))
            self.db.execute("UPDATE runs SET updated = ? WHERE id = ?", (now, self.run_id))

    def forget(self, batches: Iterable[bytes]) -> None:
        """Drop the engine batches of a pool that is journalled."""
        with self.db:
            self.db.executemany("DELETE FROM batches WHERE key = ?", [(k,) for k in batches])

    def reopen(self, names: Iterable[str]) -> None:
        """Whole-file documents whose output is gone are to be translated again."""
        with self.db:
            self.db.executemany(
                "UPDATE documents SET state = 'pending' WHERE name = ? AND record = ''",
                [(n,) for n in names],
            )

    def done_files(self) -> Iterator[tuple[str, str]]:
        """(name, output hash) of every whole-file document done, in this scan."""
        for r in self.db.execute(
            "SELECT d.name, d.output_hash FROM documents d JOIN files f ON f.name = d.name "
            "WHERE f.records = 0 AND d.state = 'done' AND d.scan = ?",
            (self.run_id,),
        ).fetchall():
            yield r["name"], r["output_hash"]

    def output_hash(self, name: str) -> str | None:
        """What the output file ``name`` must hold, by the journal (None: nothing yet)."""
        row = self.db.execute(
            "SELECT f.records, f.written, d.output_hash FROM files f "
            "LEFT JOIN documents d ON d.name = f.name AND d.record = '' AND d.state = 'done' "
            "WHERE f.name = ?",
            (name,),
        ).fetchone()
        if row is None:
            return None
        found = row["written"] if row["records"] else row["output_hash"]
        return None if found is None else str(found)

    # -- files of records ----------------------------------------------------------------

    def record_files(self, names: Iterable[str] | None = None) -> list[tuple[str, str, str]]:
        """(name, source, format) of the files of records in this scan (or of ``names``)."""
        rows = self.db.execute(
            "SELECT name, source, format FROM files WHERE records = 1 AND scan = ? ORDER BY name",
            (self.run_id,),
        ).fetchall()
        wanted = None if names is None else set(names)
        return [
            (r["name"], r["source"], r["format"])
            for r in rows
            if wanted is None or r["name"] in wanted
        ]

    def settled(self, name: str) -> bool:
        row = self.db.execute(
            "SELECT COUNT(*) FROM documents WHERE name = ? AND scan = ? AND state = 'pending'",
            (name, self.run_id),
        ).fetchone()
        return int(row[0]) == 0

    def records_done(self, name: str) -> Iterator[tuple[str, bytes, str]]:
        """(record, rendered output, output hash) of a file's done records, in input order."""
        for r in self.db.execute(
            "SELECT record, output, output_hash FROM documents "
            "WHERE name = ? AND scan = ? AND state = 'done' ORDER BY position",
            (name, self.run_id),
        ):
            yield r["record"], bytes(r["output"]), r["output_hash"]

    def stale(self, name: str) -> bool:
        row = self.db.execute("SELECT stale FROM files WHERE name = ?", (name,)).fetchone()
        return bool(row and row[0])

    def mark_written(self, name: str, output_hash: str | None) -> None:
        with self.db:
            self.db.execute(
                "UPDATE files SET written = ?, stale = 0 WHERE name = ?", (output_hash, name)
            )

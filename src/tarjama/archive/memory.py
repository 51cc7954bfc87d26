"""The translation memory: aligned segments in SQLite, exact and fuzzy lookup.

Schema (version 3)::

    entries(id, source_lang, target_lang, key, source, target, origin, created, kh, th)
        UNIQUE (kh, th)
    postings(term, entry)  PRIMARY KEY (term, entry), WITHOUT ROWID
    terms(term PRIMARY KEY, df)

``key`` is the normalised source (:func:`normalise`); ``kh`` a 63-bit digest of the
language pair and key, ``th`` one of the target. Exact lookup is one probe of the small
integer index on ``kh`` (then the key itself is compared); ``(kh, th)`` makes a pair
unique without indexing long texts. The same source may have several targets (one row
each): the newest (latest ``created``, then highest id) wins, and
:meth:`TranslationMemory.stats` counts such conflicts. ``postings`` is an inverted index
from a 63-bit hash of each word of the key to the entries holding it, ``terms`` counts
them per word. Fuzzy lookup reads the postings of the query's rarest words only (a
candidate sharing four fifths of the query's words must contain one of them), ranks
candidates by shared words, and scores the best few with rapidfuzz.

The database runs in WAL mode with a busy timeout, and every batch of an import is one
``BEGIN IMMEDIATE`` transaction: a second process importing at the same time waits for
the lock instead of failing, and a killed import leaves whole batches behind. Since rows
are unique, re-running an import adds only what is missing. sqlite3 errors become
:class:`~tarjama.errors.MemoryStoreError` here, at the one place that calls sqlite3.
"""

from __future__ import annotations

import math
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..errors import MemoryStoreError
from .entries import (
    Entry,
    ImportResult,
    Stats,
    Suggestion,
    digest,
    normalise,
    word_diff,
    word_ids,
)

SCHEMA_VERSION = "3"
DEFAULT_THRESHOLD = 0.85

#: Most postings rows one fuzzy query reads.
_POSTINGS_BUDGET = 30_000
#: Share of the query's distinct words a fuzzy match is assumed to contain (for blocking):
#: at 0.85 character similarity about one word in six or seven may differ.
_MIN_SHARED = 0.8
#: Candidates scored with rapidfuzz per query, best word overlap first.
_CANDIDATES = 64
_BATCH = 1000

_SCHEMA = """
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
    UNIQUE (kh, th)
);
CREATE TABLE IF NOT EXISTS postings (
    term INTEGER NOT NULL,
    entry INTEGER NOT NULL,
    PRIMARY KEY (term, entry)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS terms (term INTEGER PRIMARY KEY, df INTEGER NOT NULL);
"""


class TranslationMemory:
    """A translation memory in one SQLite file. Use as a context manager, or ``close()``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60.0, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            # The word index is written in random term order: keep its pages in memory.
            self._db.execute("PRAGMA cache_size=-131072")
            self._db.executescript(_SCHEMA)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
            row = self._db.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        except (sqlite3.Error, OSError) as exc:
            raise MemoryStoreError(f"cannot open translation memory {path}: {exc}") from exc
        if row is None or row[0] != SCHEMA_VERSION:
            self._db.close()
            raise MemoryStoreError(
                f"translation memory {path} has schema {row[0] if row else '?'}, "
                f"this tarjama reads schema {SCHEMA_VERSION}"
            )

    @classmethod
    def open(cls, path: str | Path) -> TranslationMemory:
        return cls(path)

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------

    def add(self, entry: Entry) -> bool:
        """Store one entry; False when the same source and target are already there."""
        return self.add_many([entry]).added == 1

    def add_many(
        self,
        entries: Iterable[Entry],
        *,
        batch: int = _BATCH,
        on_progress: Callable[[int], None] | None = None,
    ) -> ImportResult:
        """Store entries in transactions of ``batch``; ``on_progress(n)`` after each one."""
        added = present = 0
        chunk: list[Entry] = []
        for entry in entries:
            chunk.append(entry)
            if len(chunk) >= batch:
                a, p = self._write(chunk)
                added, present = added + a, present + p
                if on_progress:
                    on_progress(len(chunk))
                chunk = []
        if chunk:
            a, p = self._write(chunk)
            added, present = added + a, present + p
            if on_progress:
                on_progress(len(chunk))
        return ImportResult(added, present)

    def _write(self, chunk: list[Entry]) -> tuple[int, int]:
        rows = []
        for e in chunk:
            key = normalise(e.source, e.source_lang)
            kh = digest(e.source_lang, e.target_lang, key)
            rows.append(
                (
                    e.source_lang,
                    e.target_lang,
                    key,
                    e.source,
                    e.target,
                    e.origin,
                    e.created,
                    kh,
                    digest(e.target),
                )
            )
        try:
            # IMMEDIATE takes the write lock now, so the rows above the current last id
            # are exactly the ones this transaction adds.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                (last,) = self._db.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()
                self._db.executemany(
                    "INSERT OR IGNORE INTO entries (source_lang, target_lang, key, source,"
                    " target, origin, created, kh, th) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
                new = self._db.execute(
                    "SELECT id, key FROM entries WHERE id > ?", (last,)
                ).fetchall()
                postings = sorted((t, i) for i, key in new for t in word_ids(key))
                self._db.executemany("INSERT INTO postings VALUES (?, ?)", postings)
                self._db.executemany(
                    "INSERT INTO terms VALUES (?, ?)"
                    " ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
                    sorted(Counter(t for t, _ in postings).items()),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            added = len(new)
        except sqlite3.Error as exc:
            raise MemoryStoreError(f"cannot write translation memory {self.path}: {exc}") from exc
        return added, len(chunk) - added

    # -- reading --------------------------------------------------------------------------

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise MemoryStoreError(f"cannot read translation memory {self.path}: {exc}") from exc

    def lookup(self, source: str, source_lang: str = "ar", target_lang: str = "en") -> Entry | None:
        """The newest entry whose normalised source equals ``source``'s, if any."""
        key = normalise(source, source_lang)
        rows = self._query(
            "SELECT source, target, source_lang, target_lang, origin, created FROM entries"
            " WHERE kh = ? AND key = ? AND source_lang = ? AND target_lang = ?"
            " ORDER BY created DESC, id DESC LIMIT 1",
            (digest(source_lang, target_lang, key), key, source_lang, target_lang),
        )
        return Entry(*rows[0]) if rows else None

    def search(
        self,
        text: str,
        source_lang: str = "ar",
        target_lang: str = "en",
        *,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 5,
    ) -> list[Suggestion]:
        """Entries whose source is at least ``threshold`` similar to ``text``, best first."""
        key = normalise(text, source_lang)
        terms = word_ids(key)
        if not terms:
            return []
        marks = ",".join("?" * len(terms))
        df: dict[int, int] = dict(
            self._query(f"SELECT term, df FROM terms WHERE term IN ({marks})", terms)
        )
        # A match shares at least _MIN_SHARED of the query's words, so it holds one of
        # the rarest len - shared + 1 of them (pigeonhole): those postings must be read.
        # One word more is read, within the row budget: candidates are ranked by how many
        # of the read words they share, and the match must outrank the many entries that
        # share only one (a short query's rarest word may be the very word that changed).
        rare = sorted(df, key=df.__getitem__)
        needed = len(terms) - math.ceil(_MIN_SHARED * len(terms)) + 1
        blocking: list[int] = []
        rows_read = 0
        for t in rare:
            if blocking and (rows_read + df[t] > _POSTINGS_BUDGET or len(blocking) > needed):
                break
            blocking.append(t)
            rows_read += df[t]
        if not blocking:
            return []
        union = " UNION ALL ".join(
            ["SELECT * FROM (SELECT entry FROM postings WHERE term = ? LIMIT ?)"] * len(blocking)
        )
        ids = [
            r[0]
            for r in self._query(
                f"SELECT entry FROM ({union}) GROUP BY entry ORDER BY count(*) DESC LIMIT ?",
                [*(x for t in blocking for x in (t, _POSTINGS_BUDGET)), _CANDIDATES],
            )
        ]
        if not ids:
            return []
        rows = self._query(
            "SELECT key, source, target, source_lang, target_lang, origin, created, id"
            f" FROM entries WHERE id IN ({','.join('?' * len(ids))})"
            # '+' keeps the planner on the rowids instead of the (language, key) index.
            " AND +source_lang = ? AND +target_lang = ?",
            [*ids, source_lang, target_lang],
        )
        scored = []
        for cand_key, *fields, row_id in rows:
            score = fuzz.ratio(key, cand_key) / 100
            if score >= threshold:
                entry = Entry(*fields)
                scored.append((score, entry.created, row_id, entry))
        scored.sort(reverse=True, key=lambda s: (s[0], s[1], s[2]))
        out: list[Suggestion] = []
        seen: set[str] = set()
        for score, _, _, entry in scored:
            if entry.source + "\x00" + entry.target in seen:
                continue
            seen.add(entry.source + "\x00" + entry.target)
            out.append(
                Suggestion(entry, score, word_diff(key, normalise(entry.source, source_lang)))
            )
            if len(out) == limit:
                break
        return out

    def entries(self) -> Iterator[Entry]:
        """Every entry, oldest first (the order an export writes and an import restores)."""
        try:
            cursor = self._db.execute(
                "SELECT source, target, source_lang, target_lang, origin, created FROM entries"
                " ORDER BY id"
            )
            for row in cursor:
                yield Entry(*row)
        except sqlite3.Error as exc:
            raise MemoryStoreError(f"cannot read translation memory {self.path}: {exc}") from exc

    def __len__(self) -> int:
        return int(self._query("SELECT count(*) FROM entries")[0][0])

    def stats(self) -> Stats:
        sources, conflicts = self._query(
            "SELECT count(*), coalesce(sum(n > 1), 0) FROM"
            " (SELECT count(*) AS n FROM entries GROUP BY kh)"
        )[0]
        pairs = {
            f"{s}-{t}": n
            for s, t, n in self._query(
                "SELECT source_lang, target_lang, count(*) FROM entries"
                " GROUP BY source_lang, target_lang ORDER BY 1, 2"
            )
        }
        origins = self._query("SELECT count(DISTINCT origin) FROM entries")[0][0]
        return Stats(len(self), sources, conflicts, pairs, origins, str(self.path))

    def check(self) -> list[str]:
        """SQLite's integrity check plus the word index's invariants: every entry has its
        postings, and every word's count matches its postings."""
        problems = [r[0] for r in self._query("PRAGMA integrity_check") if r[0] != "ok"]
        miscounted = self._query(
            "SELECT count(*) FROM (SELECT term, count(*) AS n FROM postings GROUP BY term)"
            " AS p LEFT JOIN terms USING (term) WHERE terms.df IS NOT p.n"
        )[0][0]
        if miscounted:
            problems.append(f"{miscounted} words with a wrong posting count")
        indexed = self._query("SELECT count(DISTINCT entry) FROM postings")[0][0]
        keys = self._query("SELECT key FROM entries")
        orphans = sum(1 for (key,) in keys if word_ids(key)) - indexed
        if orphans:
            problems.append(f"{orphans} entries missing from the word index")
        return problems

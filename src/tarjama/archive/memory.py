"""The translation memory: aligned segments in SQLite, exact, span and fuzzy lookup.

The file, its schema and how it is recognised before anything is written: :mod:`.schema`.
``key`` is the normalised source (:func:`normalise`); ``kh`` a 63-bit digest of the
language pair and key, ``th`` one of the target. Exact lookup is one probe of the small
integer index on ``kh`` (then the key itself is compared), and many keys at once (the
spans of a paragraph) are one query; ``(kh, th)`` makes a pair unique without indexing long
texts. The same source may have several targets (one row each): an editor's approval wins
over any other entry, the newest approval first; otherwise the newest (latest ``created``,
then highest id) wins; a pair sent to ``/suggest`` never fills a segment (it is offered as
a suggestion). :meth:`TranslationMemory.stats` counts such conflicts. ``postings`` is an
inverted index from a 63-bit hash of each word of the key to the entries holding it,
``terms`` counts them per word; fuzzy lookup (:mod:`.fuzzy`) reads the postings of the
query's rarest words only and scores the best few candidates with rapidfuzz. The lexicon
an archive teaches the aligner (:mod:`.lexicon`) is stored beside the entries.

The database runs in WAL mode with a busy timeout, and every batch of an import is one
``BEGIN IMMEDIATE`` transaction: a second process importing at the same time waits for
the lock instead of failing, and a killed import leaves whole batches behind. Since rows
are unique, re-running an import adds only what is missing. sqlite3 errors become
:class:`~tarjama.errors.MemoryStoreError` here, at the one place that calls sqlite3.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..errors import MemoryStoreError
from .entries import (
    EDITOR,
    SUGGESTION,
    Entry,
    ImportResult,
    Stats,
    Suggestion,
    digest,
    normalise,
    word_ids,
)
from .fuzzy import as_array, candidate_ids, ranked
from .history import VISIBLE, Managed, record_writes, stored_before
from .lexicon import KEEP_PER_WORD, Lexicon
from .schema import KEPT_CACHE_KIB, SCHEMA_VERSION, connect

__all__ = ["DEFAULT_THRESHOLD", "SCHEMA_VERSION", "TranslationMemory"]

#: Each thread's kept connections (:meth:`TranslationMemory.for_thread`), and the files
#: (device, inode) this process has recognised as memories.
_THREADS = threading.local()
_KEPT_PER_THREAD = 4
_RECOGNISED: set[tuple[int, int]] = set()


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


DEFAULT_THRESHOLD = 0.85
_BATCH = 1000
#: The columns of an Entry, in its field order.
_ENTRY = "source, target, source_lang, target_lang, origin, created, author, context"
#: What may fill a segment (which of several wins: :meth:`TranslationMemory.lookup_many`),
#: besides being visible (:data:`.history.VISIBLE`).
_FILLS = f"origin != '{SUGGESTION}'"
#: Counted by stats and len(): live entries.
_LIVE = "removed = 0"
#: An approval of a stored pair: it becomes the newest approval (the id, and so the word
#: index, stay).
_APPROVE = (
    "UPDATE SET origin = excluded.origin, created = excluded.created,"
    " author = excluded.author, context = excluded.context, removed = 0,"
    " changed = excluded.created"
)


class TranslationMemory(Managed):
    """A translation memory in one SQLite file. Use as a context manager, or ``close()``.

    ``TranslationMemory(path)`` opens an existing memory; ``create=True`` also creates one
    (in an existing folder). Another application's database is refused untouched. What is
    done to one entry by its id, and its history: :class:`.history.Managed`.
    """

    def __init__(self, path: str | Path, *, create: bool = False) -> None:
        self.path = Path(path)
        self._db = connect(self.path, create=create)
        #: Kept open for its thread's next call (:meth:`for_thread`): close() leaves it.
        self._kept = False

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False) -> TranslationMemory:
        """The memory at ``path``, which must exist unless ``create`` is set."""
        return cls(path, create=create)

    @classmethod
    def for_thread(cls, path: str | Path) -> TranslationMemory:
        """The calling thread's own connection to the existing memory at ``path``, opened
        on its first call and kept for the next ones (a server's request threads), so that
        a request does not pay for opening the file; its ``close()`` leaves it open.

        The file is recognised (schema and marker) once per process; a file replaced at
        the same path is a new file, opened and recognised afresh."""
        path = Path(path)
        identity = _identity(path)
        kept: dict[Path, tuple[tuple[int, int] | None, TranslationMemory]]
        kept = _THREADS.__dict__.setdefault("memories", {})
        hit = kept.get(path)
        if hit is not None and identity is not None and hit[0] == identity:
            return hit[1]
        if hit is not None:
            hit[1]._db.close()
            del kept[path]
        memory = cls.__new__(cls)
        memory.path = path
        memory._db = connect(
            path, create=False, known=identity in _RECOGNISED, cache_kib=KEPT_CACHE_KIB
        )
        memory._kept = True
        if identity is not None:
            _RECOGNISED.add(identity)
            while len(kept) >= _KEPT_PER_THREAD:  # a server has one; a test run, many
                oldest = next(iter(kept))
                kept.pop(oldest)[1]._db.close()
            kept[path] = (identity, memory)
        return memory

    def close(self) -> None:
        if not self._kept:
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
        update: bool = False,
    ) -> ImportResult:
        """Store entries in transactions of ``batch``; ``on_progress(n)`` after each one.

        A pair already stored is left as it is, unless ``update`` (an editor's approval):
        then it takes the new entry's origin, time, author and context, so that an
        approval of what the memory already holds counts as the newest approval.
        """
        added = present = 0
        chunk: list[Entry] = []
        for entry in entries:
            chunk.append(entry)
            if len(chunk) >= batch:
                a, p = self._write(chunk, update)
                added, present = added + a, present + p
                if on_progress:
                    on_progress(len(chunk))
                chunk = []
        if chunk:
            a, p = self._write(chunk, update)
            added, present = added + a, present + p
            if on_progress:
                on_progress(len(chunk))
        return ImportResult(added, present)

    def _write(self, chunk: list[Entry], update: bool = False) -> tuple[int, int]:
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
                    e.author,
                    e.context,
                )
            )
        try:
            # IMMEDIATE takes the write lock now, so the rows above the current last id
            # are exactly the ones this transaction adds.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                (last,) = self._db.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()
                before = stored_before(self._db, rows) if update else {}
                self._db.executemany(
                    "INSERT INTO entries (source_lang, target_lang, key, source,"
                    " target, origin, created, kh, th, author, context)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kh, th) DO "
                    + (_APPROVE if update else "NOTHING"),
                    rows,
                )
                record_writes(self._db, chunk, rows, before)
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
        """The entry that fills a segment whose source is ``source``, if any (see the
        module's rule: an editor's newest approval, else the newest; never a suggestion)."""
        return self.lookup_many([source], source_lang, target_lang).get(source)

    def lookup_many(
        self, sources: Iterable[str], source_lang: str = "ar", target_lang: str = "en"
    ) -> dict[str, Entry]:
        """:meth:`lookup` for many sources in one query: each one found, with its entry."""
        keys = {text: normalise(text, source_lang) for text in sources}
        if not keys:
            return {}
        digests = {digest(source_lang, target_lang, k) for k in keys.values()}
        best: dict[str, tuple[tuple[bool, str, int], Entry]] = {}
        rows = self._query(
            f"SELECT key, origin = '{EDITOR}', id, {_ENTRY} FROM entries"
            " WHERE kh IN (SELECT value FROM json_each(?))"
            f" AND source_lang = ? AND target_lang = ? AND {_FILLS} AND {VISIBLE}",
            (as_array(digests), source_lang, target_lang, self._visible()),
        )
        # A pinned reader: entries changed since its moment, as they were then.
        rows += self.as_they_were(digests, source_lang, target_lang)
        for key, is_editor, row_id, *fields in rows:
            entry = Entry(*fields)
            rank = (bool(is_editor), entry.created, row_id)
            if key not in best or rank > best[key][0]:
                best[key] = (rank, entry)
        return {text: best[k][1] for text, k in keys.items() if k in best}

    def has(self, entry: Entry) -> bool:
        """Whether this very pair (source and target, languages) is stored."""
        key = normalise(entry.source, entry.source_lang)
        rows = self._query(
            "SELECT key, source_lang, target_lang FROM entries WHERE kh = ? AND th = ?",
            (digest(entry.source_lang, entry.target_lang, key), digest(entry.target)),
        )
        return (key, entry.source_lang, entry.target_lang) in {tuple(r) for r in rows}

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
        ids = candidate_ids(self._query, terms)
        if not ids:
            return []
        rows = self._query(
            f"SELECT key, {_ENTRY}, id FROM entries WHERE id IN (SELECT value FROM json_each(?))"
            # '+' keeps the planner on the rowids instead of the (language, key) index.
            f" AND +source_lang = ? AND +target_lang = ? AND {VISIBLE}",
            [as_array(ids), source_lang, target_lang, self._visible()],
        )
        return ranked(key, rows, source_lang, threshold=threshold, limit=limit)

    def entries(self, *, include_removed: bool = False) -> Iterator[Entry]:
        """Every entry, oldest first (the order an export writes and an import restores);
        a removed one only with ``include_removed``, then marked in its ``detail``."""
        where = "" if include_removed else f" WHERE {_LIVE}"
        try:
            cursor = self._db.execute(f"SELECT {_ENTRY}, removed FROM entries{where} ORDER BY id")
            for row in cursor:
                entry = Entry(*row[:-1])
                yield replace(entry, detail=(("removed", True),)) if row[-1] else entry
        except sqlite3.Error as exc:
            raise MemoryStoreError(f"cannot read translation memory {self.path}: {exc}") from exc

    def __len__(self) -> int:
        return int(self._query(f"SELECT count(*) FROM entries WHERE {_LIVE}")[0][0])

    def stats(self) -> Stats:
        sources, conflicts = self._query(
            "SELECT count(*), coalesce(sum(n > 1), 0) FROM"
            f" (SELECT count(*) AS n FROM entries WHERE {_LIVE} GROUP BY kh)"
        )[0]
        pairs = {
            f"{s}-{t}": n
            for s, t, n in self._query(
                f"SELECT source_lang, target_lang, count(*) FROM entries WHERE {_LIVE}"
                " GROUP BY source_lang, target_lang ORDER BY 1, 2"
            )
        }
        origins = self._query(f"SELECT count(DISTINCT origin) FROM entries WHERE {_LIVE}")[0][0]
        approved, approved_conflicts = self._query(
            "SELECT coalesce(sum(n), 0), coalesce(sum(n > 1), 0) FROM"
            f" (SELECT count(*) AS n FROM entries WHERE origin = '{EDITOR}' AND {_LIVE}"
            " GROUP BY kh)"
        )[0]
        suggestions = self._query(
            f"SELECT count(*) FROM entries WHERE origin = '{SUGGESTION}' AND {_LIVE}"
        )[0][0]
        removed = self._query(f"SELECT count(*) FROM entries WHERE NOT {_LIVE}")[0][0]
        lexicon = {
            f"{s}-{t}": n
            for s, t, n in self._query(
                "SELECT source_lang, target_lang, links FROM lexicon"
                " WHERE source = '' AND target = '' ORDER BY 1, 2"
            )
        }
        return Stats(
            len(self),
            sources,
            conflicts,
            pairs,
            origins,
            str(self.path),
            approved,
            approved_conflicts,
            suggestions,
            lexicon,
            removed,
        )

    # -- the lexicon ----------------------------------------------------------------------

    def lexicon(self, source_lang: str = "ar", target_lang: str = "en") -> Lexicon:
        """The lexicon learned by this memory's imports for a language pair (maybe empty)."""
        rows = self._query(
            "SELECT source, target, links FROM lexicon WHERE source_lang = ? AND target_lang = ?",
            (source_lang, target_lang),
        )
        return Lexicon.from_rows(rows, source_lang, target_lang)

    def lexicon_links(self, source_lang: str = "ar", target_lang: str = "en") -> int:
        """How many links the lexicon for a language pair was learned from: a cheap way to
        tell whether it changed (only an import adds to it)."""
        rows = self._query(
            "SELECT links FROM lexicon WHERE source_lang = ? AND target_lang = ?"
            " AND source = '' AND target = ''",
            (source_lang, target_lang),
        )
        return int(rows[0][0]) if rows else 0

    def add_to_lexicon(self, learned: Lexicon) -> None:
        """Add the counts of ``learned`` (what one import taught) to the stored lexicon, in
        one transaction; each source word keeps its strongest pairs only. Increments, not
        a rewrite: two imports at once both count."""
        pair = (learned.source_lang, learned.target_lang)
        rows = [(*pair, s, t, n) for s, t, n in learned.rows()]
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT INTO lexicon VALUES (?, ?, ?, ?, ?) ON CONFLICT"
                    " (source_lang, target_lang, source, target)"
                    " DO UPDATE SET links = links + excluded.links",
                    rows,
                )
                self._db.execute(
                    "DELETE FROM lexicon WHERE (source_lang, target_lang, source, target) IN"
                    " (SELECT source_lang, target_lang, source, target FROM (SELECT *,"
                    " row_number() OVER (PARTITION BY source ORDER BY links DESC) AS r"
                    " FROM lexicon WHERE source_lang = ? AND target_lang = ?"
                    " AND source != '' AND target != '') WHERE r > ?)",
                    (*pair, KEEP_PER_WORD),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise MemoryStoreError(f"cannot write translation memory {self.path}: {exc}") from exc

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

"""Sentences that recur across pools, translated once for the whole job.

Wire copy repeats datelines and boilerplate in story after story. Within a pool the
pipeline translates a shared sentence once; across pools this module does it: the scan
counts every sentence with the pool it falls in, and a sentence seen in two pools is a
**repeat**. Repeats are translated first, in pools of their own, and journalled; the pools
of documents then take them from there (:class:`~tarjama.pipeline.KnownStage`) instead of
the engine.

Everything here follows from the inputs alone: which sentences repeat, how the repeats are
pooled, and so what each pool of documents sends to the engine. A resumed job therefore
makes exactly the engine calls that an uninterrupted one would have made.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from ..pipeline import Known
from .journal import Journal
from .work import REPEATS, DocRef, Pool

_SCHEMA = """
CREATE TABLE IF NOT EXISTS repeats (
    sentence TEXT PRIMARY KEY,      -- the cleaned sentence, as the pipeline sees it
    scan INTEGER NOT NULL,          -- the last scan that found it in two pools
    position INTEGER NOT NULL,      -- the order in which that scan found it
    done INTEGER NOT NULL DEFAULT 0,
    translation TEXT,               -- NULL when done but unusable (it split otherwise)
    score REAL,
    origin TEXT
);
CREATE TEMP TABLE IF NOT EXISTS seen (key BLOB PRIMARY KEY, pool INTEGER NOT NULL);
"""


class Cutter:
    """Pool numbers along the scan: a pool closes once it holds ``budget`` characters."""

    def __init__(self, budget: int) -> None:
        self.budget, self.index, self.size = budget, 0, 0

    def __call__(self, chars: int) -> int:
        index = self.index
        self.size += chars
        if self.size >= self.budget:
            self.index, self.size = self.index + 1, 0
        return index


class Repeats:
    """The repeats of a job, in its journal (the counting table is the scan's alone)."""

    def __init__(self, journal: Journal) -> None:
        self.db = journal.db
        self.run_id = journal.run_id
        self.db.executescript(_SCHEMA)
        self.found = 0

    def count(self, sentences: Iterable[str], pool: int) -> None:
        """Count a document's sentences, found in ``pool``."""
        unique = {hashlib.blake2b(s.encode(), digest_size=16).digest(): s for s in sentences}
        if not unique:
            return
        keys = list(unique)
        marks = ",".join("?" * len(keys))
        seen = dict(self.db.execute(f"SELECT key, pool FROM seen WHERE key IN ({marks})", keys))
        self.db.executemany(
            "INSERT INTO seen VALUES (?, ?)", [(k, pool) for k in keys if k not in seen]
        )
        for key, first in seen.items():
            if first not in (pool, -1):  # -1: already found to repeat
                self.db.execute(
                    "INSERT INTO repeats (sentence, scan, position) VALUES (?, ?, ?) "
                    "ON CONFLICT (sentence) DO UPDATE SET position = CASE WHEN "
                    "scan = excluded.scan THEN position ELSE excluded.position END, "
                    "scan = excluded.scan",
                    (unique[key], self.run_id, self.found),
                )
                self.found += 1
                self.db.execute("UPDATE seen SET pool = -1 WHERE key = ?", (key,))

    def end_scan(self) -> None:
        self.db.execute("DELETE FROM seen")

    def plan(self, budget: int) -> list[Pool]:
        """The pools of repeats still to translate, cut along all of this scan's repeats
        (done or not), so that they are the pools of an uninterrupted run."""
        cut = Cutter(budget)
        pools: dict[int, list[DocRef]] = {}
        for i, (sentence, done) in enumerate(
            self.db.execute(
                "SELECT sentence, done FROM repeats WHERE scan = ? ORDER BY position",
                (self.run_id,),
            ).fetchall()
        ):
            index = cut(len(sentence))
            if not done:
                pools.setdefault(index, []).append(DocRef("", str(i), "", REPEATS, text=sentence))
        return [Pool(index, docs) for index, docs in pools.items()]

    def record(self, known: Iterable[tuple[str, Known | None]]) -> None:
        with self.db:
            self.db.executemany(
                "UPDATE repeats SET done = 1, translation = ?, score = ?, origin = ? "
                "WHERE sentence = ?",
                [(*(k if k else (None, None, None)), s) for s, k in known],
            )

    def known(self) -> dict[str, Known]:
        """How this scan's repeats came out, by sentence."""
        return {
            r[0]: (r[1], r[2], r[3])
            for r in self.db.execute(
                "SELECT sentence, translation, score, origin FROM repeats "
                "WHERE scan = ? AND done = 1 AND translation IS NOT NULL",
                (self.run_id,),
            )
        }

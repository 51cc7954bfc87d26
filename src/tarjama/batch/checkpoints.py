"""The engine batches of the pools in flight, kept in the job journal as they finish.

A pool is journalled once all of its documents are translated, and pools are large, so
that the engine sorts many sentences together (see :mod:`.job`). So that a crash does not
cost the whole pool, each worker keeps every batch the engine decodes in the journal's
``batches`` table the moment it finishes: the hash of its inputs and decoding settings,
and what it came out as (:class:`tarjama.engines.BatchStore`). A job killed in the middle
of a pool and resumed reads and splits the pool again, and its engine takes each batch it
finds there instead of decoding it. Those are the same batches as before, since the pool,
its sentences and their order follow from the inputs alone; so a crash costs the batch in
flight and nothing else, and the outputs are those of an uninterrupted run.

A pool's batches are dropped once the pool is journalled, and any left over when a run
ends (pools that a Ray worker redid whole), so the table holds only the pools in flight.
"""

from __future__ import annotations

from pathlib import Path

from .journal import connect, journal_path


class Checkpoints:
    """One worker's batch store over the journal: its own connection, made and used in the
    worker's thread. Counts the rows it has seen (decoded or taken back), for progress."""

    def __init__(self, out_dir: Path) -> None:
        self.db = connect(journal_path(out_dir))
        self.db.isolation_level = None  # each batch is a transaction of its own
        self.keys: list[bytes] = []
        self.rows = 0

    def get(self, key: bytes) -> bytes | None:
        row = self.db.execute("SELECT rows, value FROM batches WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        self.keys.append(key)
        self.rows += int(row[0])
        return bytes(row[1])

    def put(self, key: bytes, value: bytes, rows: int) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO batches (key, rows, value) VALUES (?, ?, ?)", (key, rows, value)
        )
        self.keys.append(key)
        self.rows += rows

    def taken(self) -> list[bytes]:
        """The keys of the batches seen since the last call: the pool's, to drop with it."""
        keys, self.keys = self.keys, []
        return keys

    def close(self) -> None:
        self.db.close()

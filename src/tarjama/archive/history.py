"""A memory entry's life: its history, tombstones, edits and approvals taken back.

Schema 5 adds to schema 4's ``entries`` a tombstone (``removed``) and the time of the last
change (``changed``; NULL until the first change after creation, so ``coalesce(changed,
created)``), and a ``history`` table: one row per act on an entry (``created``,
``approved``, ``edited``, ``unapproved``, ``removed``, ``restored``), with who, when, and a
JSON detail of what changed. The ``created`` row is written by a trigger, so every path
that inserts an entry (an import, an approval) records it without knowing of the history.

Removing keeps the row (its postings too, so a restore is one update): readers filter on
``removed = 0`` (:data:`VISIBLE`). A reader may also be pinned to a moment (``as_of``, a
batch job's start): then it sees only entries whose last change is at or before it.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..errors import InputError, MemoryStoreError, UnknownEntry
from .entries import EDITOR, SUGGESTION, Entry, digest, normalise, now, word_ids
from .fuzzy import as_array, candidate_ids

#: What a reader sees: live entries, changed at or before the reader's moment (bound as
#: the one parameter; :data:`ALWAYS` when the reader is not pinned).
VISIBLE = "removed = 0 AND coalesce(changed, created) <= ?"
#: Later than any stored time (ISO 8601 strings compare in time order).
ALWAYS = "9999"

#: Schema 4 -> 5, one statement at a time inside the caller's transaction.
UPGRADE_4 = """
ALTER TABLE entries ADD COLUMN removed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entries ADD COLUMN changed TEXT;
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY,
    entry INTEGER NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    at TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS history_entry ON history (entry);
INSERT INTO history (entry, action, actor, at, detail)
    SELECT id, 'created', author, created, json_object('origin', origin) FROM entries
"""
#: Every insert into ``entries`` records its ``created`` event (one statement: its body's
#: ``;`` is its own).
_TRIGGER = """
CREATE TRIGGER IF NOT EXISTS entry_created AFTER INSERT ON entries BEGIN
    INSERT INTO history (entry, action, actor, at, detail)
    VALUES (new.id, 'created', new.author, new.created, json_object('origin', new.origin));
END
"""

#: The columns of a :class:`Record`: id, the Entry's fields, changed, removed.
_RECORD = (
    "id, source, target, source_lang, target_lang, origin, created, author, context,"
    " coalesce(changed, created), removed"
)
#: Most rows a substring or target-side search reads before scoring.
SCAN_LIMIT = 5000


def upgrade_4(db: sqlite3.Connection) -> None:
    """Schema 4 -> 5 (the caller holds the write lock and sets the schema row)."""
    for statement in UPGRADE_4.split(";"):
        if statement.strip():
            db.execute(statement)
    db.execute(_TRIGGER)


def default_actor() -> str:
    """Who acts from the command line when ``--by`` is not given: the login name."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "cli"


@dataclass(frozen=True)
class Record:
    """A stored entry with its id, the time of its last change, and its tombstone."""

    id: int
    entry: Entry
    changed: str
    removed: bool

    @classmethod
    def from_row(cls, row: Sequence[Any]) -> Record:
        return cls(int(row[0]), Entry(*row[1:9]), str(row[9]), bool(row[10]))

    def to_json(self) -> dict[str, Any]:
        e = self.entry
        return {
            "id": self.id,
            "source": e.source,
            "target": e.target,
            "source_lang": e.source_lang,
            "target_lang": e.target_lang,
            "origin": e.origin,
            "author": e.author,
            "context": e.context,
            "created": e.created,
            "changed": self.changed,
            "removed": self.removed,
        }


@dataclass(frozen=True)
class Event:
    """One act on an entry."""

    action: str
    actor: str
    at: str
    detail: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "actor": self.actor, "at": self.at, "detail": self.detail}


def _detail(pairs: Iterable[tuple[str, object]]) -> str:
    return json.dumps(dict(pairs), ensure_ascii=False)


def record_writes(
    db: sqlite3.Connection,
    chunk: Sequence[Entry],
    rows: Sequence[Sequence[Any]],
    before: dict[tuple[int, int], tuple[int, str, int]],
) -> None:
    """After an insert of ``chunk`` (its ``rows``, ``kh`` and ``th`` at 7 and 8): the
    history of what the insert did besides creating (the trigger's part). ``before`` maps
    ``(kh, th)`` to the ``(id, origin, removed)`` of pairs stored before an approval: each
    becomes an ``approved`` event naming its former origin. An entry's own ``detail`` (a
    TMX unit's ids and counts, the issues an approval overrode) goes into the event."""
    for entry, row in zip(chunk, rows, strict=True):
        old = before.get((row[7], row[8]))
        if old is not None:
            was = {"was": old[1], **({"restored": True} if old[2] else {})}
            db.execute(
                "INSERT INTO history (entry, action, actor, at, detail) VALUES (?, ?, ?, ?, ?)",
                (
                    old[0],
                    "approved",
                    entry.author,
                    entry.created,
                    _detail([*was.items(), *entry.detail]),
                ),
            )
        elif entry.detail:
            db.execute(
                "UPDATE history SET detail = json_patch(detail, ?) WHERE id = (SELECT max(id)"
                " FROM history WHERE action = 'created' AND entry = (SELECT id FROM entries"
                " WHERE kh = ? AND th = ?))",
                (_detail(entry.detail), row[7], row[8]),
            )


def stored_before(
    db: sqlite3.Connection, rows: Sequence[Sequence[Any]]
) -> dict[tuple[int, int], tuple[int, str, int]]:
    """``(kh, th) -> (id, origin, removed)`` of the pairs among ``rows`` already stored."""
    found = {}
    for row in rows:
        hit = db.execute(
            "SELECT id, origin, removed FROM entries WHERE kh = ? AND th = ?", (row[7], row[8])
        ).fetchone()
        if hit is not None:
            found[row[7], row[8]] = (int(hit[0]), str(hit[1]), int(hit[2]))
    return found


class Managed:
    """What the memory does to one entry by its id, and searches that answer records. A
    mixin of :class:`~.memory.TranslationMemory` (its connection ``_db`` and ``path``).

    ``as_of``: pin every reader to a moment (a batch job's start), see the module."""

    path: Path
    _db: sqlite3.Connection
    as_of: str | None = None

    def _visible(self) -> str:
        return self.as_of or ALWAYS

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[Any]:
        try:
            return self._db.execute(sql, tuple(params)).fetchall()
        except sqlite3.Error as exc:
            raise MemoryStoreError(f"cannot read translation memory {self.path}: {exc}") from exc

    def get(self, entry_id: int) -> Record:
        """The entry ``entry_id``, removed or not; an unknown id is an InputError."""
        rows = self._rows(f"SELECT {_RECORD} FROM entries WHERE id = ?", (entry_id,))
        if not rows:
            raise UnknownEntry(entry_id)
        return Record.from_row(rows[0])

    def history(self, entry_id: int) -> list[Event]:
        """What was done to the entry, oldest first."""
        self.get(entry_id)
        return [
            Event(a, actor, at, json.loads(d))
            for a, actor, at, d in self._rows(
                "SELECT action, actor, at, detail FROM history WHERE entry = ? ORDER BY id",
                (entry_id,),
            )
        ]

    def _act(
        self,
        entry_id: int,
        action: str,
        actor: str,
        changes: dict[str, Any],
        detail: dict[str, Any],
    ) -> Record:
        """Apply ``changes`` (columns) to the entry and record ``action``, in one transaction."""
        at = now()
        sets = ", ".join(f"{column} = ?" for column in changes)
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.execute(
                    f"UPDATE entries SET {sets}, changed = ? WHERE id = ?",
                    (*changes.values(), at, entry_id),
                )
                self._db.execute(
                    "INSERT INTO history (entry, action, actor, at, detail) VALUES (?, ?, ?, ?, ?)",
                    (entry_id, action, actor, at, json.dumps(detail, ensure_ascii=False)),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.IntegrityError as exc:
            raise InputError(
                f"memory entry {entry_id}: its source already has that translation"
            ) from exc
        except sqlite3.Error as exc:
            raise MemoryStoreError(f"cannot write translation memory {self.path}: {exc}") from exc
        return self.get(entry_id)

    def remove(self, entry_id: int, actor: str) -> Record:
        """Tombstone the entry (undone by :meth:`restore`); removing it again does nothing."""
        record = self.get(entry_id)
        if record.removed:
            return record
        return self._act(entry_id, "removed", actor, {"removed": 1}, {})

    def restore(self, entry_id: int, actor: str) -> Record:
        record = self.get(entry_id)
        if not record.removed:
            return record
        return self._act(entry_id, "restored", actor, {"removed": 0}, {})

    def edit(
        self,
        entry_id: int,
        actor: str,
        *,
        target: str | None = None,
        context: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> Record:
        """A new target (and/or context) by an editor: the entry becomes an approval."""
        old = self.get(entry_id).entry
        changes: dict[str, Any] = {"origin": EDITOR, "author": actor}
        what: dict[str, Any] = {"was": old.origin, **(detail or {})}
        if target is not None and target != old.target:
            if not target.strip():
                raise InputError("the target must not be blank")
            changes.update(target=target, th=digest(target))
            what["target"] = [old.target, target]
        if context is not None and context != old.context:
            changes["context"] = context
            what["context"] = [old.context, context]
        if "target" not in what and "context" not in what:
            raise InputError(f"memory entry {entry_id}: nothing to change")
        return self._act(entry_id, "edited", actor, changes, what)

    def unapprove(self, entry_id: int, actor: str) -> Record:
        """Take an approval back: the entry gets its origin from before the approval, or
        becomes a suggestion when an approval created it."""
        record = self.get(entry_id)
        if record.entry.origin != EDITOR:
            raise InputError(f"memory entry {entry_id} is not an editor's approval")
        was = SUGGESTION
        for event in reversed(self.history(entry_id)):
            former = event.detail.get("was") or event.detail.get("origin")
            if event.action in ("approved", "edited", "created") and former not in (None, EDITOR):
                was = str(former)
                break
        return self._act(entry_id, "unapproved", actor, {"origin": was}, {"origin": was})

    def as_they_were(
        self, digests: Iterable[int], source_lang: str, target_lang: str
    ) -> list[tuple[Any, ...]]:
        """For a pinned reader (``as_of``): the entries with these key digests changed
        since the moment, as they were then (their later acts undone from the history),
        as rows ``(key, is_editor, id, *Entry fields)`` of those that could fill a segment
        then. Unpinned, or nothing changed since: none."""
        if self.as_of is None:
            return []
        rows = self._rows(
            f"SELECT key, {_RECORD} FROM entries WHERE kh IN (SELECT value FROM json_each(?))"
            " AND source_lang = ? AND target_lang = ? AND coalesce(changed, created) > ?",
            (as_array(digests), source_lang, target_lang, self.as_of),
        )
        out = []
        for key, *fields in rows:
            then = self._undo_since(Record.from_row(fields), self.as_of)
            if then is not None and not then.removed and then.entry.origin != SUGGESTION:
                e = then.entry
                out.append((key, e.origin == EDITOR, then.id, e.source, e.target,
                            e.source_lang, e.target_lang, e.origin, e.created, e.author,
                            e.context))  # fmt: skip
        return out

    def _undo_since(self, record: Record, moment: str) -> Record | None:
        """``record`` as it was at ``moment``: its acts after it undone, newest first;
        None when it did not exist yet."""
        entry, removed = record.entry, record.removed
        events = self._rows(
            "SELECT action, detail FROM history WHERE entry = ? AND at > ? ORDER BY id DESC",
            (record.id, moment),
        )
        for action, raw in events:
            detail = json.loads(raw)
            if action == "created":
                return None
            if action in ("removed", "restored"):
                removed = action == "restored"
            elif action in ("edited", "approved"):
                was = detail.get("target", [entry.target])[0]
                entry = replace(entry, target=was, origin=detail.get("was", entry.origin))
                removed = removed or bool(detail.get("restored"))
            elif action == "unapproved":
                entry = replace(entry, origin=EDITOR)
        return Record(record.id, entry, moment, removed)

    def entries_of(self, *, include_removed: bool = False) -> list[Record]:
        """Every record, oldest first (small memories and tests; export streams)."""
        where = "" if include_removed else " WHERE removed = 0"
        return [
            Record.from_row(r)
            for r in self._rows(f"SELECT {_RECORD} FROM entries{where} ORDER BY id")
        ]

    def find(
        self,
        text: str,
        source_lang: str = "ar",
        target_lang: str = "en",
        *,
        side: str = "source",
        mode: str = "substring",
        threshold: float = 0.85,
        limit: int = 20,
    ) -> list[tuple[Record, float | None]]:
        """Entries whose source or target (``side``) contains ``text`` (``substring``:
        newest first, no score) or is at least ``threshold`` similar to it (``fuzzy``:
        best first). Source-side fuzzy search reads the word index; a substring search
        scans the entries, newest first, until it has ``limit``; target-side fuzzy search
        scores at most :data:`SCAN_LIMIT` entries holding the query's longest word."""
        if side not in ("source", "target") or mode not in ("substring", "fuzzy"):
            raise InputError("search side is source or target, mode substring or fuzzy")
        lang = source_lang if side == "source" else target_lang
        key = normalise(text, lang)
        if mode == "substring" or side == "target":
            needle = text if mode == "substring" else max(key.split(), key=len, default=key)
            rows = self._rows(
                f"SELECT {_RECORD} FROM entries WHERE source_lang = ? AND target_lang = ?"
                f" AND {VISIBLE} AND instr(lower({side}), lower(?)) > 0 ORDER BY id DESC LIMIT ?",
                (
                    source_lang,
                    target_lang,
                    self._visible(),
                    needle,
                    limit if mode == "substring" else SCAN_LIMIT,
                ),
            )
        else:
            ids = candidate_ids(self._rows, word_ids(key)) if word_ids(key) else []
            rows = self._rows(
                f"SELECT {_RECORD} FROM entries WHERE id IN (SELECT value FROM json_each(?))"
                f" AND +source_lang = ? AND +target_lang = ? AND {VISIBLE}",
                (as_array(ids), source_lang, target_lang, self._visible()),
            )
        records = [Record.from_row(r) for r in rows]
        if mode == "substring":
            return [(r, None) for r in records]
        scored = []
        for r in records:
            other = r.entry.source if side == "source" else r.entry.target
            score = fuzz.ratio(key, normalise(other, lang)) / 100
            if score >= threshold:
                scored.append((r, score))
        scored.sort(key=lambda rs: (-rs[1], -rs[0].id))
        return [(r, s) for r, s in scored[:limit]]

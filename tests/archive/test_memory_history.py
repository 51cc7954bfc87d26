"""The managed memory: history, tombstones no reader sees, edits, approvals taken back,
the schema 4 upgrade, TMX's life carried into the history, and a reader pinned to a moment."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from tarjama.archive import Entry, TranslationMemory
from tarjama.archive.schema import SCHEMA_VERSION
from tarjama.archive.tmx import read_tmx, read_tsv, write_tmx, write_tsv
from tarjama.errors import InputError

SOURCE = "قال الوزير إن الميناء سيفتح الأسبوع المقبل أمام السفن"
NEAR = "قال الوزير إن الميناء سيفتح الأسبوع القادم أمام السفن"


def _memory(tmp_path: Path) -> TranslationMemory:
    tm = TranslationMemory(tmp_path / "tm.sqlite", create=True)
    tm.add(Entry(SOURCE, "The port opens next week", origin="archive#1"))
    return tm


def _id(tm: TranslationMemory) -> int:
    ((record, _),) = tm.find("port opens", side="target")
    return record.id


def test_a_removed_entry_is_seen_by_no_reader_until_restored(tmp_path: Path) -> None:
    with _memory(tmp_path) as tm:
        entry_id = _id(tm)
        tm.remove(entry_id, "lina")
        assert tm.lookup(SOURCE) is None
        assert tm.lookup_many([SOURCE]) == {}
        assert tm.search(NEAR) == []
        assert tm.find("port", side="target") == []
        assert tm.find(NEAR, mode="fuzzy") == []
        assert list(tm.entries()) == [] and len(tm) == 0
        assert tm.stats().removed == 1 and tm.stats().entries == 0
        assert [e.source for e in tm.entries(include_removed=True)] == [SOURCE]
        assert tm.get(entry_id).removed
        # An import of the same pair does not bring it back.
        tm.add(Entry(SOURCE, "The port opens next week", origin="archive#2"))
        assert tm.lookup(SOURCE) is None
        tm.restore(entry_id, "omar")
        assert tm.lookup(SOURCE) is not None and tm.search(NEAR)
        assert [e.action for e in tm.history(entry_id)] == ["created", "removed", "restored"]
        assert [e.actor for e in tm.history(entry_id)][1:] == ["lina", "omar"]


def test_edit_is_an_approval_and_unapprove_gives_back_the_former_origin(tmp_path: Path) -> None:
    with _memory(tmp_path) as tm:
        entry_id = _id(tm)
        record = tm.edit(entry_id, "lina", target="The port will open next week")
        assert record.entry.origin == "editor" and record.entry.author == "lina"
        assert tm.lookup(SOURCE) is not None
        assert tm.lookup(SOURCE).target == "The port will open next week"  # type: ignore[union-attr]
        edited = tm.history(entry_id)[-1]
        assert edited.action == "edited" and edited.detail["was"] == "archive#1"
        assert edited.detail["target"] == [
            "The port opens next week",
            "The port will open next week",
        ]
        assert tm.unapprove(entry_id, "omar").entry.origin == "archive#1"
        with pytest.raises(InputError, match="not an editor's approval"):
            tm.unapprove(entry_id, "omar")


def test_an_approval_made_entry_unapproved_becomes_a_suggestion(tmp_path: Path) -> None:
    with TranslationMemory(tmp_path / "tm.sqlite", create=True) as tm:
        tm.add_many(
            [Entry(SOURCE, "Approved", origin="editor", author="lina",
                   detail=(("forced", True), ("overrode", [{"check": "numbers"}])))],
            update=True,
        )  # fmt: skip
        ((record, _),) = tm.find("Approved", side="target")
        created = tm.history(record.id)[0]
        assert created.action == "created" and created.actor == "lina"
        assert created.detail == {
            "origin": "editor",
            "forced": True,
            "overrode": [{"check": "numbers"}],
        }
        assert tm.unapprove(record.id, "omar").entry.origin == "suggestion"
        assert tm.lookup(SOURCE) is None  # a suggestion never fills a segment


def test_approving_a_stored_pair_records_what_it_was(tmp_path: Path) -> None:
    with _memory(tmp_path) as tm:
        entry_id = _id(tm)
        tm.remove(entry_id, "lina")
        tm.add_many(
            [Entry(SOURCE, "The port opens next week", origin="editor", author="omar")], update=True
        )
        approved = tm.history(entry_id)[-1]
        assert (approved.action, approved.actor) == ("approved", "omar")
        assert approved.detail == {"was": "archive#1", "restored": True}
        assert not tm.get(entry_id).removed


def test_an_edit_onto_another_entrys_target_and_unknown_ids_are_input_errors(
    tmp_path: Path,
) -> None:
    with _memory(tmp_path) as tm:
        tm.add(Entry(SOURCE, "Other", origin="archive#1"))
        entry_id = _id(tm)
        with pytest.raises(InputError, match="already has that translation"):
            tm.edit(entry_id, "lina", target="Other")
        with pytest.raises(InputError, match="no memory entry 999"):
            tm.get(999)
        with pytest.raises(InputError, match="nothing to change"):
            tm.edit(entry_id, "lina", target="The port opens next week")


def test_a_pinned_reader_sees_the_memory_as_it_was(tmp_path: Path) -> None:
    with _memory(tmp_path) as tm:
        entry_id = _id(tm)
        tm.add(Entry("أمس", "Yesterday", origin="x"))
        tm.as_of = "2000-01-01T00:00:00Z"  # before anything was created
        assert tm.lookup(SOURCE) is None and tm.search(NEAR) == []
        tm.as_of = tm.get(entry_id).changed
        time.sleep(1.1)  # stored times are whole seconds
        tm.edit(entry_id, "lina", target="The port will open")
        tm.remove(_only(tm, "Yesterday"), "lina")
        tm.add(Entry("غدا", "Tomorrow", origin="x"))
        then = tm.lookup_many([SOURCE, "أمس", "غدا"])
        assert {s: (e.target, e.origin) for s, e in then.items()} == {
            SOURCE: ("The port opens next week", "archive#1"),
            "أمس": ("Yesterday", "x"),
        }
        tm.as_of = None
        now = tm.lookup_many([SOURCE, "أمس", "غدا"])
        assert {s: e.target for s, e in now.items()} == {
            SOURCE: "The port will open", "غدا": "Tomorrow",
        }  # fmt: skip


def _only(tm: TranslationMemory, target: str) -> int:
    ((record, _),) = tm.find(target, side="target")
    return record.id


def test_substring_and_fuzzy_search_by_either_side(tmp_path: Path) -> None:
    with _memory(tmp_path) as tm:
        tm.add(Entry("أمس", "Yesterday", origin="x"))
        assert [r.entry.target for r, s in tm.find("الميناء")] == ["The port opens next week"]
        assert [r.entry.source for r, _ in tm.find("YESTER", side="target")] == ["أمس"]
        ((record, score),) = tm.find(NEAR, mode="fuzzy")
        assert record.entry.source == SOURCE and score is not None and 0.85 <= score < 1
        ((record, score),) = tm.find("The port opens next weak", side="target", mode="fuzzy")
        assert record.entry.source == SOURCE and score is not None and score > 0.9
        with pytest.raises(InputError):
            tm.find("x", side="middle")


def test_a_schema_4_memory_is_upgraded_with_a_history_for_each_entry(tmp_path: Path) -> None:
    path = tmp_path / "tm.sqlite"
    _memory(tmp_path).close()
    # Make a schema 4 file by undoing what the upgrade adds.
    db = sqlite3.connect(path, isolation_level=None)
    for statement in (
        "DROP TRIGGER entry_created",
        "DROP TABLE history",
        "ALTER TABLE entries DROP COLUMN removed",
        "ALTER TABLE entries DROP COLUMN changed",
        "UPDATE meta SET value = '4' WHERE name = 'schema'",
    ):
        db.execute(statement)
    db.close()
    with TranslationMemory(path) as tm:
        assert tm.lookup(SOURCE) is not None
        entry_id = _id(tm)
        assert [(e.action, e.detail) for e in tm.history(entry_id)] == [
            ("created", {"origin": "archive#1"})
        ]
        tm.remove(entry_id, "lina")
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE name='schema'").fetchone() == (
            SCHEMA_VERSION,
        )


def test_tmx_ids_and_counts_go_into_the_history(tmp_path: Path) -> None:
    path = tmp_path / "in.tmx"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><tmx version="1.4"><header srclang="ar"'
        ' adminlang="en" segtype="sentence" datatype="plaintext" o-tmf="x" creationtool="x"'
        ' creationtoolversion="1"/><body><tu creationid="amal" creationdate="20240101T000000Z"'
        ' changeid="sami" changedate="20240202T000000Z" usagecount="7">'
        f'<tuv xml:lang="ar"><seg>{SOURCE}</seg></tuv><tuv xml:lang="en"><seg>The port</seg>'
        "</tuv></tu></body></tmx>",
        encoding="utf-8",
    )
    with TranslationMemory(tmp_path / "tm.sqlite", create=True) as tm:
        tm.add_many(read_tmx(path))
        ((record, _),) = tm.find("The port", side="target")
        (created,) = tm.history(record.id)
        assert (created.actor, created.at) == ("amal", "2024-01-01T00:00:00Z")
        assert created.detail == {
            "origin": "", "creationid": "amal", "changeid": "sami",
            "changedate": "20240202T000000Z", "usagecount": 7,
        }  # fmt: skip


@pytest.mark.parametrize("suffix", [".tmx", ".tsv"])
def test_an_export_with_tombstones_marks_them_and_an_import_skips_them(
    tmp_path: Path, suffix: str
) -> None:
    with _memory(tmp_path) as tm:
        tm.add(Entry("أمس", "Yesterday", origin="x"))
        tm.remove(_id(tm), "lina")
        out = tmp_path / f"out{suffix}"
        if suffix == ".tmx":
            assert write_tmx(tm.entries(include_removed=True), out) == 2
            assert "x-removed" in out.read_text(encoding="utf-8")
            back = list(read_tmx(out))
        else:
            assert write_tsv(tm.entries(include_removed=True), out, tombstones=True) == 2
            assert out.read_text(encoding="utf-8").splitlines()[0].endswith("\tremoved")
            back = list(read_tsv(out))
        assert [e.target for e in back] == ["Yesterday"]

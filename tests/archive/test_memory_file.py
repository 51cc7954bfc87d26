"""The memory's file: recognised before anything is written, created only on purpose,
upgraded from schema 3; and inputs long enough to break per-word SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tarjama.archive import Entry, TranslationMemory
from tarjama.archive.schema import APPLICATION_ID, SCHEMA_VERSION
from tarjama.cli import main
from tarjama.errors import InputError, MemoryStoreError
from tarjama.pipeline import Translator
from tarjama.workspace import Workspace

from ..conftest import ARTICLE_BILINGUAL
from ..fakes import FakeEngine


def _foreign(path: Path) -> bytes:
    """Another application's database, in rollback-journal mode."""
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        db.execute("INSERT INTO invoices (total) VALUES (12.5)")
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize("command", ["stats", "export", "search", "import"])
def test_another_applications_database_is_refused_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, home: Path
) -> None:
    other = tmp_path / "other.db"
    before = _foreign(other)
    args = {
        "stats": ["stats"],
        "export": ["export", str(tmp_path / "out.tmx")],
        "search": ["search", "قال الوزير"],
        "import": ["import", str(ARTICLE_BILINGUAL), "-q"],
    }[command]
    assert main(["memory", *args, "--memory", str(other)]) == 2
    err = capsys.readouterr().err
    assert "is not a tarjama translation memory" in err and "Traceback" not in err
    assert other.read_bytes() == before  # no table added, no switch to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]


def test_a_mistyped_path_creates_no_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    typo = tmp_path / "a" / "b" / "x.sqlite"
    assert main(["memory", "stats", "--memory", str(typo)]) == 2
    assert "no translation memory at" in capsys.readouterr().err
    assert main(["memory", "import", str(ARTICLE_BILINGUAL), "--memory", str(typo), "-q"]) == 2
    assert f"folder {typo.parent} does not exist" in capsys.readouterr().err
    assert not (tmp_path / "a").exists()


def test_creating_is_explicit(tmp_path: Path, home: Path) -> None:
    path = tmp_path / "new.sqlite"
    with pytest.raises(InputError, match="no translation memory"):
        TranslationMemory(path)
    assert not path.exists()
    with TranslationMemory(path, create=True) as tm:
        tm.add(Entry("قال", "said"))
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
    db.close()
    # The home's default memory: absent until the first write, which creates the home too.
    ws = Workspace.open()
    assert ws.memory() is None
    with pytest.raises(InputError, match="no translation memory"):
        ws.open_memory()
    assert not home.exists()
    with ws.open_memory(create=True) as tm:
        tm.add(Entry("قال", "said"))
    assert (home / "memory.sqlite").is_file()


def test_an_empty_file_becomes_a_memory_only_when_creating(tmp_path: Path, home: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.touch()
    with pytest.raises(MemoryStoreError, match="empty"):
        TranslationMemory(empty)
    with TranslationMemory(empty, create=True) as tm:
        assert len(tm) == 0
    other = tmp_path / "other-empty.sqlite"
    other.touch()
    assert main(["memory", "import", str(ARTICLE_BILINGUAL), "--memory", str(other), "-q"]) == 0


def test_schema_3_is_upgraded_in_place(tmp_path: Path) -> None:
    """A memory written before schema 4 (no marker, no author or context, no lexicon)."""
    path = tmp_path / "old.sqlite"
    with TranslationMemory(tmp_path / "donor.sqlite", create=True) as donor:
        donor.add(Entry("قال الوزير أمس", "The minister said yesterday", origin="a#1"))
    old = sqlite3.connect(path)
    old.executescript(
        """
        CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
        INSERT INTO meta VALUES ('schema', '3');
        CREATE TABLE entries (id INTEGER PRIMARY KEY, source_lang TEXT NOT NULL,
            target_lang TEXT NOT NULL, key TEXT NOT NULL, source TEXT NOT NULL,
            target TEXT NOT NULL, origin TEXT NOT NULL, created TEXT NOT NULL,
            kh INTEGER NOT NULL, th INTEGER NOT NULL, UNIQUE (kh, th));
        CREATE TABLE postings (term INTEGER NOT NULL, entry INTEGER NOT NULL,
            PRIMARY KEY (term, entry)) WITHOUT ROWID;
        CREATE TABLE terms (term INTEGER PRIMARY KEY, df INTEGER NOT NULL);
        """
    )
    old.execute(f"ATTACH '{tmp_path / 'donor.sqlite'}' AS donor")
    old.execute(
        "INSERT INTO entries SELECT id, source_lang, target_lang, key, source, target,"
        " origin, created, kh, th FROM donor.entries"
    )
    old.execute("INSERT INTO postings SELECT * FROM donor.postings")
    old.execute("INSERT INTO terms SELECT * FROM donor.terms")
    old.commit()
    old.close()
    with TranslationMemory(path) as tm:
        found = tm.lookup("قال الوزير أمس")
        assert found is not None and (found.origin, found.author) == ("a#1", "")
        assert tm.check() == []
        tm.add(Entry("قال الوزير أمس", "approved", origin="editor", author="lina"))
        assert tm.lookup("قال الوزير أمس") == tm.lookup_many(["قال الوزير أمس"])["قال الوزير أمس"]
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone() == (APPLICATION_ID,)
        schema = db.execute("SELECT value FROM meta WHERE name='schema'").fetchone()
        assert schema == (SCHEMA_VERSION,)
    db.close()


def _long_sentence(words: int) -> str:
    """One sentence of ``words`` distinct words (no full stop inside): about 16k characters
    for 2,700 words, as a pasted table or a run-on transcript can be."""
    letters = "بتثجحخدذرزسشصضطظعغفقكلمنهوي"
    n = len(letters)
    out = []
    for i in range(words):
        out.append(letters[i % n] + letters[(i // n) % n] + letters[i // n // n] + "ان")
    return " ".join(out) + "."


def test_a_sixteen_thousand_character_sentence_is_searched(tmp_path: Path) -> None:
    text = _long_sentence(2700)
    assert len(text) > 16_000
    with TranslationMemory(tmp_path / "tm.sqlite", create=True) as tm:
        tm.add(Entry(text, "the long one"))
        tm.add(Entry("قال الوزير أمس", "The minister said yesterday"))
        changed = text.replace(text[:5], "زززان", 1)
        (best,) = tm.search(changed)
        assert best.entry.target == "the long one" and best.score > 0.99
        assert tm.lookup(text) is not None
        doc = Translator(FakeEngine(), memory=tm).translate_document(changed)
        assert doc.segments[0].suggestions[0]["target"] == "the long one"

"""Translation memory: keys, lookup, conflicts, fuzzy search, exchange formats, the CLI."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from translate.storage import tmx, xliff

from tarjama.archive.entries import Entry, normalise, word_diff
from tarjama.archive.memory import TranslationMemory
from tarjama.archive.tmx import load_entries, read_tmx, read_tsv, write_tmx, write_tsv
from tarjama.cli import main
from tarjama.errors import InputError, MemoryStoreError
from tarjama.workspace import Workspace

from ..conftest import ARTICLE_BILINGUAL, ARTICLE_GOLD, ARTICLES

BILINGUAL = ARTICLE_BILINGUAL


@pytest.fixture
def tm(tmp_path: Path) -> Iterator[TranslationMemory]:
    with TranslationMemory(tmp_path / "tm.sqlite", create=True) as memory:
        yield memory


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("  قال   الوزير\tأمس ", "قال الوزير أمس"),
        ("بلغت ٣٫٥ مليار", "بلغت 3.5 مليار"),  # digits and separator unified by clean()
        ("الـــوزير", "الوزير"),  # tatweel
        ("\u200fقال\u200e الوزير", "قال الوزير"),  # bidi marks
    ],
)
def test_keys_are_cleaned_and_whitespace_folded(text: str, key: str) -> None:
    assert normalise(text, "ar") == key


def test_exact_lookup_ignores_layout_differences(tm: TranslationMemory) -> None:
    tm.add(Entry("قال الوزير أمس", "The minister said yesterday", origin="a.txt#1"))
    found = tm.lookup("  قال الوزير\u200f   أمس")
    assert found is not None and found.target == "The minister said yesterday"
    assert tm.lookup("قال الوزير أمس", "ar", "fr") is None
    assert tm.lookup("قال الوزير اليوم") is None


def test_same_source_different_targets_keeps_all_newest_wins(tm: TranslationMemory) -> None:
    tm.add(Entry("قال الوزير", "The minister said", created="2024-01-01T00:00:00Z"))
    tm.add(Entry("قال الوزير", "Said the minister", created="2025-01-01T00:00:00Z"))
    tm.add(Entry("قال الوزير", "The minister stated", created="2023-01-01T00:00:00Z"))
    tm.add(Entry("أعلنت الوزارة", "The ministry announced"))
    assert len(tm) == 4
    found = tm.lookup("قال الوزير")
    assert found is not None and found.target == "Said the minister"
    stats = tm.stats()
    assert (stats.entries, stats.sources, stats.conflicts) == (4, 2, 1)
    assert stats.pairs == {"ar-en": 4}


def test_adding_the_same_pair_twice_adds_nothing(tm: TranslationMemory) -> None:
    entry = Entry("قال الوزير", "The minister said", origin="one")
    assert tm.add(entry)
    assert not tm.add(Entry("قال  الوزير", "The minister said", origin="two"))
    result = tm.add_many([entry, Entry("جديد", "new")])
    assert (result.added, result.present) == (1, 1)
    assert len(tm) == 2


SENTENCES = [
    (
        "وأضاف أن المشروع سيوفر نحو 12 ألف وظيفة مباشرة.",
        "He added that the project would create about 12,000 direct jobs.",
    ),
    (
        "وتساءل: هل ستنجح الموانئ الإقليمية في المنافسة؟",
        "He asked: will the regional ports succeed in competing?",
    ),
    (
        "أعلنت وزارة النقل عن خطة لتوسعة ميناء جدة.",
        "The Ministry of Transport announced a plan to expand Jeddah port.",
    ),
]


@pytest.mark.parametrize(
    ("query", "expected_target", "changed"),
    [
        (
            "وأضاف أن المشروع سيوفر نحو 15 ألف وظيفة مباشرة.",
            SENTENCES[0][1],
            [("replace", "15", "12")],
        ),
        (
            "وتساءل: هل ستنجح الموانئ الإقليمية في المنافسة الدولية؟",
            SENTENCES[1][1],
            [("replace", "المنافسة", "المنافسة؟"), ("delete", "الدولية؟", "")],
        ),
        (
            "أعلنت وزارة النقل أمس عن خطة لتوسعة ميناء جدة.",
            SENTENCES[2][1],
            [("delete", "أمس", "")],
        ),
    ],
)
def test_fuzzy_search_marks_the_differing_words(
    tm: TranslationMemory, query: str, expected_target: str, changed: list[tuple[str, str, str]]
) -> None:
    tm.add_many(Entry(ar, en) for ar, en in SENTENCES)
    (best, *_) = tm.search(query)
    assert best.entry.target == expected_target
    assert 0.85 <= best.score < 1.0
    assert [(d.op, d.query, d.memory) for d in best.diff if d.op != "equal"] == changed


def test_fuzzy_search_respects_threshold_pair_and_limit(tm: TranslationMemory) -> None:
    tm.add_many(Entry(ar, en) for ar, en in SENTENCES)
    assert tm.search("جملة لا علاقة لها بأي شيء في الذاكرة") == []
    assert tm.search(SENTENCES[0][0], "ar", "fr") == []
    loose = tm.search("أعلنت وزارة النقل خطة", threshold=0.3)
    assert loose and loose[0].entry.target == SENTENCES[2][1]
    assert tm.search(SENTENCES[0][0])[0].score == 1.0
    assert len(tm.search("وزارة", threshold=0.0, limit=2)) <= 2


@pytest.mark.parametrize(
    ("query", "memory", "ops"),
    [
        ("a b c", "a b c", [("equal", "a b c", "a b c")]),
        ("a x c", "a b c", [("equal", "a", "a"), ("replace", "x", "b"), ("equal", "c", "c")]),
        ("a b", "a b c", [("equal", "a b", "a b"), ("insert", "", "c")]),
    ],
)
def test_word_diff(query: str, memory: str, ops: list[tuple[str, str, str]]) -> None:
    assert [(d.op, d.query, d.memory) for d in word_diff(query, memory)] == ops


ENTRIES = [
    Entry("قال الوزير", "The minister said", "ar", "en", "a.txt#1", "2024-01-01T10:00:00Z"),
    Entry("قال الوزير", "Said the minister", "ar", "en", "b.txt#2", "2025-02-03T04:05:06Z"),
    Entry(
        "نص\tفيه\\ علامات",
        'text "with" marks',
        "ar",
        "en",
        "model:opus|beam:4",
        "2025-01-01T00:00:00Z",
    ),
    Entry("Hello", "مرحبا", "en", "ar", "", "2026-01-01T00:00:00Z"),
    # An editor's approval: who approved it, and in which article.
    Entry(
        "افتتح الجسر أمس",
        "The bridge opened yesterday",
        "ar",
        "en",
        "editor",
        "2026-02-01T09:30:00Z",
        "lina",
        "Footbridge opens\tover the coast road",
    ),
]


@pytest.mark.parametrize(
    ("write", "read", "suffix"), [(write_tmx, read_tmx, "tmx"), (write_tsv, read_tsv, "tsv")]
)
def test_exchange_formats_round_trip(
    tmp_path: Path,
    write: Callable[[Iterable[Entry], Path], int],
    read: Callable[[Path], Iterator[Entry]],
    suffix: str,
) -> None:
    path = tmp_path / f"out.{suffix}"
    assert write(ENTRIES, path) == len(ENTRIES)
    assert list(read(path)) == ENTRIES


def test_tmx_export_opens_in_translate_toolkit(tmp_path: Path) -> None:
    path = tmp_path / "out.tmx"
    write_tmx(ENTRIES, path)
    with open(path, "rb") as handle:
        store = tmx.tmxfile(handle)
    assert [(u.source, u.target) for u in store.units] == [(e.source, e.target) for e in ENTRIES]
    assert store.units[0].getnotes() == "a.txt#1"
    assert store.units[1].xmlelement.get("creationdate") == "20250203T040506Z"
    approved = store.units[-1].xmlelement
    assert approved.get("creationid") == "lina"
    # TMX's order inside a tu: notes and props, then the tuvs.
    assert [child.tag for child in approved][:2] == ["note", "prop"]


def test_tsv_written_before_authors_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "old.tsv"
    path.write_text(
        "source_lang\ttarget_lang\tsource\ttarget\torigin\tcreated\n"
        "ar\ten\tقال الوزير\tThe minister said\ta.txt#1\t2024-01-01T10:00:00Z\n",
        encoding="utf-8",
    )
    assert list(read_tsv(path)) == [ENTRIES[0]]


def test_import_export_round_trip_is_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "first.tmx", tmp_path / "second.tmx"
    with TranslationMemory(tmp_path / "a.sqlite", create=True) as a:
        a.add_many(load_entries([BILINGUAL]).entries)
        a.add_many(ENTRIES)
        write_tmx(a.entries(), first)
        rows_a = list(a.entries())
    with TranslationMemory(tmp_path / "b.sqlite", create=True) as b:
        b.add_many(read_tmx(first))
        write_tmx(b.entries(), second)
        assert list(b.entries()) == rows_a
    assert first.read_bytes() == second.read_bytes()


def test_xliff_import_reads_translated_units(tmp_path: Path) -> None:
    store: Any = xliff.xlifffile(sourcelanguage="ar", targetlanguage="en")  # untyped library
    store.addsourceunit("قال الوزير").target = "The minister said"
    store.addsourceunit("بلا ترجمة")
    path = tmp_path / "job.xlf"
    store.savefile(str(path))
    loaded = load_entries([path])
    assert [
        (e.source, e.target, e.source_lang, e.target_lang, e.origin) for e in loaded.entries
    ] == [("قال الوزير", "The minister said", "ar", "en", str(path))]


def test_plain_two_column_tsv(tmp_path: Path) -> None:
    path = tmp_path / "pairs.tsv"
    path.write_text("قال الوزير\tThe minister said\n\nأمس\tYesterday\n", encoding="utf-8")
    entries = list(read_tsv(path))
    assert [(e.source, e.target, e.source_lang, e.origin) for e in entries] == [
        ("قال الوزير", "The minister said", "ar", f"{path}:1"),
        ("أمس", "Yesterday", "ar", f"{path}:3"),
    ]
    path.write_text("only one column\n", encoding="utf-8")
    with pytest.raises(InputError, match=":1: expected 2"):
        list(read_tsv(path))


@pytest.mark.parametrize(
    ("names", "fmt"),
    [
        (["water-plant.bilingual.txt"], "auto"),
        (["water-plant.bilingual.txt"], "bilingual"),
        (["water-plant.ar.txt", "water-plant.en.txt"], "auto"),
        (["water-plant.ar.txt", "water-plant.en.txt"], "pair"),
    ],
)
def test_load_entries_from_archives(names: list[str], fmt: str) -> None:
    loaded = load_entries([ARTICLES / n for n in names], fmt)
    gold = json.loads(ARTICLE_GOLD.read_text(encoding="utf-8"))
    pairs = [(e.source, e.target) for e in loaded.entries]
    assert pairs == [
        (ar, en)
        for par_ar, par_en in zip(gold["ar"], gold["en"], strict=True)
        for ar, en in zip(par_ar, par_en, strict=True)
    ]
    assert not loaded.flagged
    assert all(e.origin.startswith(str(ARTICLES / names[0])) for e in loaded.entries)


def test_flagged_links_are_not_imported(tmp_path: Path) -> None:
    path = tmp_path / "archive.txt"
    path.write_text(
        "ارتفع المؤشر 120 نقطة اليوم.\nوقال محللون إن السوق ستبقى متقلبة حتى نهاية 2026.\n"
        "The index rose 120 points today.\n"
        "A completely different English paragraph about the weather in 1999 and nothing else.\n",
        encoding="utf-8",
    )
    loaded = load_entries([path])
    assert [e.target for e in loaded.entries] == ["The index rose 120 points today."]
    assert len(loaded.flagged) == 1


@pytest.mark.parametrize(
    ("files", "fmt", "message"),
    [
        (["water-plant.ar.txt"], "auto", "no partner"),
        (["water-plant.en.txt", "water-plant.ar.txt"], "pair", "expected Arabic"),
        (["water-plant.ar.txt"], "tmx", "not a valid TMX"),
    ],
)
def test_load_entries_errors(files: list[str], fmt: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        load_entries([ARTICLES / f for f in files], fmt)


def test_bad_database_is_a_memory_store_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(MemoryStoreError, match="cannot open"):
        TranslationMemory(junk)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY)")
        db.execute("INSERT INTO meta VALUES ('schema', '99')")
    db.close()
    with pytest.raises(MemoryStoreError, match="schema 99"):
        TranslationMemory(other)


def test_default_database_lives_in_tarjama_home(home: Path) -> None:
    with Workspace.open().open_memory(create=True) as memory:
        memory.add(Entry("قال", "said"))
    assert (home / "memory.sqlite").is_file()


def test_cli_import_stats_search_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    db = str(tmp_path / "tm.sqlite")
    assert main(["memory", "import", str(BILINGUAL), "--memory", db]) == 0
    assert "7 added, 0 already present, 0 low-confidence" in capsys.readouterr().err
    assert main(["memory", "import", str(BILINGUAL), "--memory", db, "-q"]) == 0
    assert "0 added, 7 already present" in capsys.readouterr().err

    assert main(["memory", "stats", "--memory", db, "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["entries"], stats["sources"], stats["conflicts"]) == (7, 7, 0)

    query = "ويعمل في المحطة 950 موظفا، معظمهم من المهندسين الشباب."
    assert main(["memory", "search", query, "--memory", db, "--format", "json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert found["exact"] is None
    assert (
        found["suggestions"][0]["target"]
        == "The plant employs 850 staff, most of them young engineers."
    )
    assert main(["memory", "search", query, "--memory", db]) == 0
    assert "[850] {950}" in capsys.readouterr().out
    assert main(["memory", "search", "لا شيء يشبه هذا", "--memory", db]) == 1

    out = tmp_path / "out.tsv"
    assert main(["memory", "export", str(out), "--memory", db]) == 0
    assert len(list(read_tsv(out))) == 7
    assert main(["memory", "export", str(tmp_path / "out.csv"), "--memory", db]) == 2
    assert "export writes .tmx or .tsv" in capsys.readouterr().err


def test_cli_bad_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"\x00garbage" * 500)
    assert main(["memory", "stats", "--memory", str(junk)]) == 2
    err = capsys.readouterr().err
    assert "cannot open translation memory" in err and "Traceback" not in err


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_cli_empty_search_is_a_user_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    assert main(["memory", "search", text, "--memory", str(tmp_path / "tm.sqlite")]) == 2
    err = capsys.readouterr().err
    assert err == "tarjama: error: nothing to search for: the text is empty\n"

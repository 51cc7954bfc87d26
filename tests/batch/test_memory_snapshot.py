"""A batch job reads the memory as it was when it first started: what changed after (an
approval, an edit, a removal) reaches none of its later pools, on a resume too; a new job
sees the memory as it is."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from tarjama.archive import Entry, TranslationMemory

from ..commands import tarjama

FIRST = "افتتح الرئيس الميناء الجديد صباح الأحد."
LATER = "وقال الوزير إن العمل بدأ قبل ثلاث سنوات."


def _batch(home: Path, model: Path, inputs: Path, out: Path, db: Path, *more: str) -> str:
    r = tarjama("batch", str(inputs), "--out", str(out), "-m", str(model), "--beam", "1",
                "--memory", str(db), *more, home=home)  # fmt: skip
    assert r.returncode == 0, r.stderr
    return r.stderr.decode()


def test_a_job_reuses_the_memory_as_it_was_when_it_started(
    copy_model_dir: Path, home: Path, tmp_path: Path
) -> None:
    db = tmp_path / "tm.sqlite"
    with TranslationMemory(db, create=True) as tm:
        tm.add(Entry(FIRST, "The president opened the new port on Sunday.", origin="a#1"))
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "one.txt").write_text(FIRST + "\n", encoding="utf-8")
    _batch(home, copy_model_dir, inputs, out, db)
    assert "The president opened" in (out / "in" / "one.txt").read_text(encoding="utf-8")
    with sqlite3.connect(out / ".tarjama" / "journal.sqlite") as journal:
        (moment,) = journal.execute("SELECT value FROM job WHERE key = 'memory_as_of'").fetchone()
    started = json.loads(moment)
    time.sleep(1.1)  # stored times are whole seconds
    # After the start: an approval for a new sentence, and the first one removed.
    with TranslationMemory(db) as tm:
        tm.add_many([Entry(LATER, "The minister said work began three years ago.",
                           origin="editor", author="lina")], update=True)  # fmt: skip
        ((record, _),) = tm.find("president", side="target")
        tm.remove(record.id, "lina")
    (inputs / "two.txt").write_text(LATER + "\n" + FIRST + "\n", encoding="utf-8")
    _batch(home, copy_model_dir, inputs, out, db, "--resume")  # a new file, the same job
    two = (out / "in" / "two.txt").read_text(encoding="utf-8")
    assert "The minister said" not in two  # approved after the job started
    assert "The president opened" in two  # removed after the start: as it was then
    with sqlite3.connect(out / ".tarjama" / "journal.sqlite") as journal:
        assert journal.execute("SELECT value FROM job WHERE key = 'memory_as_of'").fetchone() == (
            moment,
        )
    fresh = tmp_path / "fresh"
    _batch(home, copy_model_dir, inputs, fresh, db)
    two = (fresh / "in" / "two.txt").read_text(encoding="utf-8")
    assert "The minister said" in two and "The president opened" not in two
    assert started < json.loads(
        sqlite3.connect(fresh / ".tarjama" / "journal.sqlite")
        .execute("SELECT value FROM job WHERE key = 'memory_as_of'")
        .fetchone()[0]
    )

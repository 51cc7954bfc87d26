"""Batch's report lists documents by their riskiest sentence: the journal records each
document's "needs a look" score, the report's table and CSV give it and rank by it, and a
journal written before the column existed still reports (and gets it on resume)."""

from __future__ import annotations

import csv
import re
import sqlite3
from pathlib import Path

from tarjama.batch import run_job, write_report
from tarjama.batch.journal import Journal

from ..known_lines import ALSO_GOOD, BAD, GOOD, UNSURE, KnownLinesEngine
from .conftest import FakeTranslators, journal_rows


def wire(folder: Path) -> Path:
    """Five stories, the wrong line in the fourth, a line the model is unsure of in the
    second."""
    folder.mkdir(parents=True)
    for i in range(5):
        body = [GOOD, UNSURE if i == 1 else ALSO_GOOD, BAD if i == 3 else ALSO_GOOD]
        (folder / f"story-{i}.txt").write_text("\n".join(body) + "\n", encoding="utf-8")
    return folder


def worst_table(page: str) -> list[tuple[str, str]]:
    """(document, needs a look) of each row of the report's #worst table."""
    table = page[page.index('<table id="worst">') :]
    table = table[: table.index("</table>")]
    return re.findall(r'dir="auto">([^<]+)</a></td><td class="n risk">([^<]*)</td>', table)


def test_the_report_lists_documents_by_their_riskiest_sentence(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_job([wire(tmp_path / "in")], out, FakeTranslators(KnownLinesEngine))
    risk = {r["name"]: r["needs_a_look"] for r in journal_rows(out)}
    wrong, unsure = "in/story-3.txt", "in/story-1.txt"
    assert risk[wrong] >= 0.9 > risk[unsure] > 0.0
    assert all(v == 0.0 for k, v in risk.items() if k not in (wrong, unsure))
    page_path, csv_path = write_report(out, tmp_path / "job.html")
    page = page_path.read_text(encoding="utf-8")
    # The model's doubt alone puts a document on the list, below a wrong number.
    assert worst_table(page) == [(wrong, f"{risk[wrong]:.2f}"), (unsure, f"{risk[unsure]:.2f}")]
    with csv_path.open(encoding="utf-8") as f:
        rows = {r["file"]: r["needs_a_look"] for r in csv.DictReader(f)}
    assert {k: round(float(v), 4) for k, v in rows.items()} == {
        k: round(v, 4) for k, v in risk.items()
    }


def test_a_journal_from_before_the_column_still_reports(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_job([wire(tmp_path / "in")], out, FakeTranslators(KnownLinesEngine))
    db = sqlite3.connect(out / ".tarjama" / "journal.sqlite")
    with db:
        db.execute("ALTER TABLE documents DROP COLUMN needs_a_look")
    db.close()
    page_path, csv_path = write_report(out, tmp_path / "old.html")
    # Ranked by errors, then warnings (the low-confidence one), as before the column.
    rows = worst_table(page_path.read_text(encoding="utf-8"))
    assert rows == [("in/story-3.txt", ""), ("in/story-1.txt", "")]
    with csv_path.open(encoding="utf-8") as f:
        assert {r["needs_a_look"] for r in csv.DictReader(f)} == {""}
    Journal(out).close()  # a resume opens the journal: the column comes back
    assert {r["needs_a_look"] for r in journal_rows(out)} == {None}

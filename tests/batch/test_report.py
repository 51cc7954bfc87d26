"""The job report opens in real Chromium, and what it shows is what the journal holds."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from playwright import sync_api

from tarjama.archive import TranslationMemory
from tarjama.archive.entries import Entry
from tarjama.batch import run_job, write_report

from ..servers import launch_chromium
from .conftest import SENTENCES, FakeTranslators, write_archive

pytestmark = [pytest.mark.slow, pytest.mark.needs_chromium]


def journal_figures(out: Path) -> dict[str, Any]:
    """The report's figures, counted straight from the journal."""
    db = sqlite3.connect(out / ".tarjama" / "journal.sqlite")
    try:
        q = lambda sql: db.execute(sql).fetchone()[0] or 0  # noqa: E731
        states = dict(db.execute("SELECT state, COUNT(*) FROM documents GROUP BY state").fetchall())
        checks = {
            check: (e, w)
            for check, e, w in db.execute(
                "SELECT key, SUM(json_extract(value, '$[0]')), SUM(json_extract(value, '$[1]')) "
                "FROM documents, json_each(documents.checks) GROUP BY key"
            )
        }
        return {
            "documents-total": q("SELECT COUNT(*) FROM documents"),
            "documents-done": states.get("done", 0),
            "documents-failed": states.get("failed", 0),
            "documents-pending": states.get("pending", 0),
            "sentences": q("SELECT SUM(sentences) FROM documents"),
            "memory-segments": q("SELECT SUM(memory) FROM documents"),
            "errors": q("SELECT SUM(errors) FROM documents"),
            "warnings": q("SELECT SUM(warnings) FROM documents"),
            "checks": checks,
            "states": dict(db.execute("SELECT name || '#' || record, state FROM documents")),
        }
    finally:
        db.close()


def test_the_report_in_chromium_matches_the_journal(tmp_path: Path) -> None:
    src = write_archive(tmp_path / "in", stories=6)
    (src["folder"] / "bad.txt").write_bytes(b"\xff")
    memory = tmp_path / "tm.sqlite"
    tm = TranslationMemory.open(memory, create=True)
    tm.add(Entry(SENTENCES[5], "The spokesman did not comment on the reports."))
    tm.close()
    out = tmp_path / "out"
    run_job([src["folder"], src["feed"], src["sheet"]], out, FakeTranslators(memory=memory))
    page_path, csv_path = write_report(out, tmp_path / "reports" / "job.html")
    want = journal_figures(out)
    assert want["memory-segments"] > 0 and want["documents-failed"] == 1
    assert want["errors"] > 0  # the fake engine leaves Arabic: the checks say so

    with sync_api.sync_playwright() as p:
        browser = launch_chromium(p)
        try:
            page = browser.new_page()
            page.goto(page_path.as_uri())
            assert page.title() == "tarjama batch report: out"
            for key in ("documents-total", "documents-done", "documents-failed",
                        "documents-pending", "sentences", "memory-segments", "errors",
                        "warnings"):  # fmt: skip
                assert int(page.inner_text(f"#{key}")) == want[key], key
            share = want["memory-segments"] / want["sentences"]
            assert page.inner_text("#memory-share") == f"{share:.1%}"
            for check, (e, w) in want["checks"].items():
                assert int(page.inner_text(f"#check-{check}-errors")) == e
                assert int(page.inner_text(f"#check-{check}-warnings")) == w
            worst = page.locator("#worst a")
            assert 0 < worst.count() <= 20
            for i in range(worst.count()):  # every link leads to an output on disk
                href = worst.nth(i).get_attribute("href") or ""
                assert (page_path.parent / href).resolve().is_file(), href
            assert "wire/bad.txt" in page.inner_text("#failures")
            assert page.locator("#runs tr").count() == 2  # the header and one run
        finally:
            browser.close()

    with csv_path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {f"{r['file']}#{r['record']}": r["state"] for r in rows} == want["states"]
    assert sum(int(r["errors"]) for r in rows) == want["errors"]

"""The job report: an HTML page to read in a browser, and a CSV of every document beside
it, both from the journal alone (so they agree with `tarjama batch status`).

The page gives the documents (done, failed, pending), the time taken, memory reuse, the
errors and warnings by check, the 20 documents to look at first (by their riskiest
sentence's "needs a look" score, then their errors and warnings) with links to their
outputs, the failures with their reasons, and the runs. Every figure has an ``id`` so
that tools (and the tests) can read it.
"""

from __future__ import annotations

import csv
import html
import json
import os
import sqlite3
import time
from pathlib import Path
from typing import TextIO

from ..errors import InputError
from .journal import column
from .summary import CURRENT, Summary, duration, label, reading, summarize_db

WORST = 20

_STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 64rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; width: 100%; } #summary { width: auto; min-width: 26rem; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid #ddd; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.failed { color: #a40000; } .muted { color: #666; }
"""


def write_report(out_dir: Path, path: Path) -> tuple[Path, Path]:
    """Write the HTML report at ``path`` and its CSV beside it; both paths."""
    csv_path = path.with_suffix(".csv")
    with reading(out_dir) as db:
        summary = summarize_db(db, out_dir)
        page = _page(db, summary, out_dir, path.parent)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(page, encoding="utf-8")
            with csv_path.open("w", encoding="utf-8", newline="") as f:
                _write_csv(db, f)
        except OSError as exc:
            raise InputError(f"cannot write the report {path}: {exc.strerror}") from exc
    return path, csv_path


def _page(db: sqlite3.Connection, s: Summary, out_dir: Path, here: Path) -> str:
    share = s.memory / s.sentences if s.sentences else 0.0
    figures = [
        ("documents-total", "documents", s.total),
        ("documents-done", "done", s.done),
        ("documents-failed", "failed", s.failed),
        ("documents-pending", "pending", s.pending),
        ("sentences", "sentences translated", s.sentences),
        ("memory-segments", "sentences from the memory", s.memory),
        ("memory-share", "memory reuse", f"{share:.1%}"),
        ("glossary-segments", "sentences with glossary terms", s.glossary),
        ("edits", "sentences an LLM's edit wrote (--llm-post-edit)", s.edits),
        ("errors", "errors found by the checks", s.errors),
        ("warnings", "warnings", s.warnings),
        ("time", "time taken", duration(s.seconds)),
        ("rate", "sentences per second", f"{s.rate:.2f}"),
        ("runs", "runs (a resume is a new run)", s.runs),
    ]
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>tarjama batch report: {_e(out_dir.name)}</title>",
        f"<style>{_STYLE}</style></head><body>",
        f"<h1>Batch report: {_e(str(out_dir))}</h1>",
        f'<p class="muted">written {_e(time.strftime("%Y-%m-%d %H:%M:%S"))}</p>',
        '<h2>Summary</h2><table id="summary">',
        *(
            f'<tr><th>{_e(t)}</th><td class="n" id="{i}">{_e(str(v))}</td></tr>'
            for i, t, v in figures
        ),
        "</table>",
        *_checks(s),
        *_worst(db, out_dir, here),
        *_failures(s),
        *_runs(db),
        *(f'<p class="muted">model: {_e(sig)}</p>' for sig in s.signatures),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _checks(s: Summary) -> list[str]:
    rows = [
        f'<tr><td>{_e(c)}</td><td class="n" id="check-{_e(c)}-errors">{e}</td>'
        f'<td class="n" id="check-{_e(c)}-warnings">{w}</td></tr>'
        for c, (e, w) in sorted(s.checks.items())
    ]
    return [
        '<h2>Errors by check</h2><table id="checks">',
        '<tr><th>check</th><th class="n">errors</th><th class="n">warnings</th></tr>',
        *(rows or ['<tr><td colspan="3" class="muted">no issue found</td></tr>']),
        "</table>",
    ]


def _risk_column(db: sqlite3.Connection) -> str:
    """The documents' "needs a look" column, NULL in a journal written before it."""
    return f"{column(db, 'needs_a_look')} AS needs_a_look"


def _worst(db: sqlite3.Connection, out_dir: Path, here: Path) -> list[str]:
    # Riskiest first (the chance that its worst sentence needs fixing), then by counts.
    rows = db.execute(
        f"SELECT name, record, errors, warnings, sentences, score, {_risk_column(db)} "
        f"FROM documents WHERE state = 'done' AND {CURRENT} "
        "AND (errors > 0 OR warnings > 0 OR needs_a_look > 0) "
        "ORDER BY needs_a_look IS NULL, needs_a_look DESC, errors DESC, warnings DESC, "
        "score ASC, position LIMIT ?",
        (WORST,),
    ).fetchall()
    out = [
        f"<h2>The {WORST} documents to look at first</h2>",
        '<table id="worst"><tr><th>document</th><th class="n">needs a look</th>'
        '<th class="n">errors</th><th class="n">warnings</th><th class="n">sentences</th>'
        '<th class="n">score</th></tr>',
    ]
    for r in rows:
        href = os.path.relpath(out_dir / r["name"], here)
        score = "" if r["score"] is None else f"{r['score']:.3f}"
        risk = "" if r["needs_a_look"] is None else f"{r['needs_a_look']:.2f}"
        out.append(
            f'<tr><td><a href="{_e(Path(href).as_posix())}" dir="auto">'
            f"{_e(label(r['name'], r['record']))}</a></td>"
            f'<td class="n risk">{risk}</td>'
            f'<td class="n">{r["errors"]}</td><td class="n">{r["warnings"]}</td>'
            f'<td class="n">{r["sentences"]}</td><td class="n">{score}</td></tr>'
        )
    if not rows:
        out.append('<tr><td colspan="6" class="muted">no document has an issue</td></tr>')
    return [*out, "</table>"]


def _failures(s: Summary) -> list[str]:
    if not s.failures:
        return []
    return [
        '<h2>Failed documents</h2><table id="failures"><tr><th>document</th><th>reason</th></tr>',
        *(
            f'<tr class="failed"><td dir="auto">{_e(d)}</td><td>{_e(why)}</td></tr>'
            for d, why in s.failures
        ),
        "</table>",
    ]


def _runs(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT * FROM runs ORDER BY id").fetchall()
    body = []
    for r in rows:
        started = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(r["started"]))
        state = "" if r["ended"] else "interrupted or running"
        body.append(
            f"<tr><td>{r['id']}</td><td>{started}</td>"
            f'<td class="n">{duration(r["updated"] - r["started"])}</td>'
            f'<td>{_e(r["backend"])}</td><td class="n">{r["workers"]}</td><td>{state}</td></tr>'
        )
    return [
        '<h2>Runs</h2><table id="runs"><tr><th>run</th><th>started</th><th class="n">time</th>'
        '<th>backend</th><th class="n">workers</th><th></th></tr>',
        *body,
        "</table>",
    ]


def _write_csv(db: sqlite3.Connection, f: TextIO) -> None:
    rows = db.execute(
        f"SELECT *, {_risk_column(db)}, {column(db, 'edits', '0')} AS edits "
        f"FROM documents WHERE {CURRENT} ORDER BY position"
    ).fetchall()
    checks = sorted({c for r in rows for c in json.loads(r["checks"] or "{}")})
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(
        ["document", "file", "record", "state", "sentences", "memory", "glossary", "edits",
         "errors", "warnings", "score", "needs_a_look", *(f"{c} issues" for c in checks),
         "error"]
    )  # fmt: skip
    for r in rows:
        found = json.loads(r["checks"] or "{}")
        writer.writerow(
            [label(r["name"], r["record"]), r["name"], r["record"], r["state"], r["sentences"],
             r["memory"], r["glossary"], r["edits"], r["errors"], r["warnings"],
             "" if r["score"] is None else f"{r['score']:.4f}",
             "" if r["needs_a_look"] is None else f"{r['needs_a_look']:.4f}",
             *(sum(found.get(c, [0, 0])) for c in checks), r["error"] or ""]
        )  # fmt: skip


def _e(text: str) -> str:
    return html.escape(text, quote=True)

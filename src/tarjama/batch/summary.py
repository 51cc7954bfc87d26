"""What a job's journal says, as numbers and as the lines `tarjama batch status` prints.

Read from the journal alone, so the same figures come out while the job runs (from another
process), after it ends, and in the report.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from .journal import column, connect, journal_faults, journal_path
from .outputs import running_pid

#: The documents of a job: those its latest scan found.
CURRENT = "scan = (SELECT MAX(scan) FROM documents)"


@dataclass
class Summary:
    out_dir: Path
    running: int | None = None  # the pid of the job running now
    total: int = 0
    done: int = 0
    failed: int = 0
    pending: int = 0
    sentences: int = 0
    memory: int = 0
    glossary: int = 0
    #: Sentences an LLM's edit wrote (``--llm-post-edit``).
    edits: int = 0
    errors: int = 0
    warnings: int = 0
    chars_done: int = 0
    chars_pending: int = 0
    seconds: float = 0.0
    runs: int = 0
    checks: dict[str, list[int]] = field(default_factory=dict)
    failures: list[tuple[str, str]] = field(default_factory=list)  # (document, reason)
    signatures: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # by this run: files of other types

    @property
    def rate(self) -> float:
        """Sentences translated per second of the job's runs."""
        return self.sentences / self.seconds if self.seconds > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds still needed at the job's pace so far (None: no pace yet)."""
        if not self.pending:
            return 0.0
        if self.chars_done <= 0 or self.seconds <= 0:
            return None
        return self.chars_pending / (self.chars_done / self.seconds)

    def lines(self) -> list[str]:
        state = (
            f"running (pid {self.running})"
            if self.running
            else ("finished" if not self.pending else "stopped before the end")
        )
        out = [
            f"{self.out_dir}: {state}",
            f"documents: {self.total} in all, {self.done} done, {self.failed} failed, "
            f"{self.pending} pending",
            f"sentences: {self.sentences} in {duration(self.seconds)} "
            f"({self.rate:.2f} sentences/s), {self.memory} from the memory"
            + (f", {self.edits} edited by the LLM" if self.edits else ""),
            f"checks: {self.errors} error(s), {self.warnings} warning(s)"
            + (f" ({_by_check(self.checks)})" if self.checks else ""),
        ]
        if self.pending:
            eta = self.eta
            out.append(f"ETA: {duration(eta) if eta is not None else 'unknown'}")
        out += [f"model: {s}" for s in self.signatures]
        if self.skipped:
            kinds = ", ".join(f"{k} {n}" for k, n in sorted(self.skipped.items()))
            out.append(f"skipped {sum(self.skipped.values())} file(s) of other types ({kinds})")
        if self.failures:
            out.append(f"failed ({self.failed}):")
            out += [f"  {doc}: {reason}" for doc, reason in self.failures]
        return out


def label(name: str, record: str) -> str:
    """How a document is named to users: its output path, and its id within a file."""
    return f"{name}#{record}" if record else name


def duration(seconds: float) -> str:
    s = round(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m{s:02d}s" if h else f"{m}m{s:02d}s"


def _by_check(checks: dict[str, list[int]]) -> str:
    return ", ".join(f"{c} {e + w}" for c, (e, w) in sorted(checks.items()))


@contextmanager
def reading(out_dir: Path) -> Iterator[sqlite3.Connection]:
    """A connection to read the journal of ``out_dir`` (which must hold one)."""
    path = journal_path(out_dir)
    if not path.is_file():
        raise InputError(f"{out_dir} holds no batch job (no {path.relative_to(out_dir)})")
    with journal_faults(path):
        db = connect(path, readonly=True)
        try:
            yield db
        finally:
            db.close()


def summarize(out_dir: Path) -> Summary:
    with reading(out_dir) as db:
        return summarize_db(db, out_dir)


def summarize_db(db: sqlite3.Connection, out_dir: Path) -> Summary:
    s = Summary(out_dir, running=running_pid(out_dir))
    for r in db.execute(
        f"SELECT state, COUNT(*) n, SUM(chars) c FROM documents WHERE {CURRENT} GROUP BY state"
    ):
        setattr(s, r["state"], int(r["n"]))
        if r["state"] == "done":
            s.chars_done = int(r["c"] or 0)
        elif r["state"] == "pending":
            s.chars_pending = int(r["c"] or 0)
    s.total = s.done + s.failed + s.pending
    row = db.execute(
        "SELECT SUM(sentences) s, SUM(memory) m, SUM(glossary) g, SUM(errors) e, "
        f"SUM(warnings) w, SUM({column(db, 'edits', '0')}) x FROM documents "
        f"WHERE state = 'done' AND {CURRENT}"
    ).fetchone()
    s.sentences, s.memory, s.glossary, s.edits = (int(row[k] or 0) for k in "smgx")
    s.errors, s.warnings = int(row["e"] or 0), int(row["w"] or 0)
    for r in db.execute(f"SELECT checks FROM documents WHERE state = 'done' AND {CURRENT}"):
        for check, (e, w) in json.loads(r["checks"] or "{}").items():
            counts = s.checks.setdefault(check, [0, 0])
            counts[0] += e
            counts[1] += w
    runs = db.execute("SELECT COUNT(*) n, SUM(updated - started) t FROM runs").fetchone()
    s.runs, s.seconds = int(runs["n"]), float(runs["t"] or 0.0)
    s.failures = [
        (label(r["name"], r["record"]), r["error"] or "")
        for r in db.execute(
            f"SELECT name, record, error FROM documents WHERE state = 'failed' AND {CURRENT} "
            "ORDER BY position"
        )
    ]
    s.signatures = [
        r[0]
        for r in db.execute(
            f"SELECT DISTINCT signature FROM documents WHERE state = 'done' AND {CURRENT} "
            "AND signature IS NOT NULL ORDER BY signature"
        )
    ]
    return s

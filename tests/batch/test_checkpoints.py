"""A job killed in the middle of a pool: the engine batches it kept come back from the
journal when it is resumed, only the others are decoded, and every output is the one an
uninterrupted run writes (a real CTranslate2 model, batches of a few sentences)."""

from __future__ import annotations

import io
import sqlite3
import time
from pathlib import Path

import pytest
from rich.console import Console

from tarjama.batch import JobOptions, PoolResult, RichProgress, Summary, run_job
from tarjama.batch.work import DocResult
from tarjama.engines import ct2
from tarjama.workspace import Workspace

from ..conftest import corpus
from .conftest import journal_rows, outputs, write_archive


class Killed(BaseException):
    """Stands for a kill: nothing in the job catches it."""


class Decoder:
    """Counts the batches (and rows) the engine really decodes, and kills the job before
    the batch numbered ``kill_at`` (counted from 0 in each run)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(ct2, "MAX_BATCH_TOKENS", 96)
        self.decoded = self.rows = 0
        self.kill_at: int | None = None
        self.delay = 0.0  # seconds a batch takes, at least
        original = ct2.CTranslate2Engine._decode

        def decode(engine: ct2.CTranslate2Engine, units: list[object], *args: object) -> object:
            if self.decoded == self.kill_at:
                raise Killed
            self.decoded += 1
            self.rows += len(units)
            time.sleep(self.delay)
            return original(engine, units, *args)  # type: ignore[arg-type]

        monkeypatch.setattr(ct2.CTranslate2Engine, "_decode", decode)

    def run(self, kill_at: int | None, *args: object) -> int:
        """Run a job (killed or not); how many batches it decoded."""
        self.decoded, self.kill_at = 0, kill_at
        if kill_at is None:
            run_job(*args)  # type: ignore[arg-type]
        else:
            with pytest.raises(Killed):
                run_job(*args)  # type: ignore[arg-type]
        return self.decoded


def kept(out: Path) -> int:
    db = sqlite3.connect(out / ".tarjama" / "journal.sqlite")
    try:
        return int(db.execute("SELECT COUNT(*) FROM batches").fetchone()[0])
    finally:
        db.close()


@pytest.mark.parametrize("pool_chars", [1_000_000, 1_500], ids=["one pool", "several pools"])
def test_a_job_killed_mid_pool_decodes_no_batch_twice(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool_chars: int
) -> None:
    root = tmp_path / "in"
    write_archive(root, stories=10, sentences=corpus("ar"))
    translators = Workspace.open(tmp_path / "home").batch_translators(
        tiny_model_dir, device="cpu", beam_size=1
    )
    decoder = Decoder(monkeypatch)
    fresh = JobOptions(pool_chars=pool_chars)
    whole = decoder.run(None, [root], tmp_path / "whole", translators, fresh)
    assert whole >= 9
    assert kept(tmp_path / "whole") == 0

    out = tmp_path / "cut"
    resume = JobOptions(pool_chars=pool_chars, resume=True)
    first = decoder.run(whole // 3, [root], out, translators, fresh)
    if pool_chars > 100_000:  # one pool, in flight: every batch it decoded is kept
        assert kept(out) == first == whole // 3
        assert {r["state"] for r in journal_rows(out)} == {"pending"}
    second = decoder.run(whole // 3, [root], out, translators, resume)
    last = decoder.run(None, [root], out, translators, resume)
    # Every batch decoded once across the three runs: what was kept was taken back.
    assert first + second + last == whole
    assert second == whole // 3 and last > 0
    assert kept(out) == 0
    rows = journal_rows(out)
    assert [r["state"] for r in rows] == ["done"] * len(rows)
    assert [r["done_count"] for r in rows] == [1] * len(rows)
    assert outputs(out) == outputs(tmp_path / "whole")


class Events:
    def __init__(self) -> None:
        self.translated_rows: list[int] = []
        self.pools = 0

    def started(self, summary: Summary) -> None:
        pass

    def pool_done(self, result: PoolResult) -> None:
        self.pools += 1

    def translated(self, sentences: int) -> None:
        self.translated_rows.append(sentences)


@pytest.mark.timing  # a batch must outlast the job's poll of its workers
def test_progress_hears_of_each_batch_before_its_pool_is_done(
    tiny_model_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "in"
    write_archive(root, stories=10, sentences=corpus("ar"))
    translators = Workspace.open(tmp_path / "home").batch_translators(
        tiny_model_dir, device="cpu", beam_size=1
    )
    decoder, events = Decoder(monkeypatch), Events()
    decoder.delay = 0.3  # longer than the job's poll of its workers (0.1 s)
    run_job([root], tmp_path / "out", translators, JobOptions(), events)
    assert events.pools == 1  # one pool, yet progress moved many times during it
    assert len(events.translated_rows) > 1
    assert sum(events.translated_rows) == decoder.rows > 0


def test_the_bar_shows_the_rate_of_a_pool_in_flight() -> None:
    bar = RichProgress(Console(file=io.StringIO()))
    bar.started(Summary(Path("out"), total=10, pending=10))
    bar.translated(40)
    task = bar.progress.tasks[0]
    assert task.completed == 0 and task.fields["rate"] > 0
    bar.pool_done(PoolResult(0, [DocResult("a.txt", "", "done", "h", sentences=50)]))
    assert task.completed == 1 and task.fields["rate"] > 0
    bar.progress.stop()

"""The Ray backend on a local Ray (two CPUs) with the tiny real model: the outputs of the
local backend, a resume that skips what the journal has, and an actor killed mid-job whose
pools are run again with no document lost or doubled."""

from __future__ import annotations

import logging
import os
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from tarjama.batch import JobOptions, run_job
from tarjama.engines import Hypothesis
from tarjama.pipeline import Translator
from tarjama.workspace import TranslatorFactory, Workspace

from .conftest import journal_rows, outputs, write_archive
from .test_job import _Crash, _CrashAfter

pytestmark = [pytest.mark.slow, pytest.mark.needs_ray]  # a local Ray cluster: a minute and more

#: Small pools: a job of many pools, so that a resume and a kill fall between them.
POOL = 250


@pytest.fixture(scope="module")
def ray_local() -> Iterator[Any]:
    import ray
    import ray.data  # the extra brings Ray Data
    from ray import cloudpickle

    # The killing translators below live in this test module, which Ray workers cannot
    # import: they travel by value.
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    ray.init(num_cpus=2, include_dashboard=False, logging_level=logging.WARNING)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def translators(
    tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> TranslatorFactory:
    home = tmp_path_factory.mktemp("home")
    return Workspace.open(home).batch_translators(tiny_model_dir, device="cpu", beam_size=2)


@pytest.fixture(scope="module")
def job(
    tmp_path_factory: pytest.TempPathFactory, translators: TranslatorFactory
) -> dict[str, Path]:
    """A mixed archive and its translation by the local backend."""
    root = tmp_path_factory.mktemp("ray-job")
    write_archive(root / "in", stories=8)
    run_job([root / "in"], root / "local", translators, JobOptions(pool_chars=POOL))
    return {"in": root / "in", "local": root / "local", "root": root}


def ray_options(**kw: Any) -> JobOptions:
    return JobOptions(pool_chars=POOL, backend="ray", threads=1, **kw)


def test_ray_gives_the_outputs_of_the_local_backend(
    ray_local: Any, job: dict[str, Path], translators: TranslatorFactory, tmp_path: Path
) -> None:
    summary = run_job([job["in"]], tmp_path / "ray", translators, ray_options())
    assert summary.done == summary.total == 13 and summary.failed == 0
    assert outputs(tmp_path / "ray") == outputs(job["local"])
    signatures = {r["signature"] for r in journal_rows(tmp_path / "ray")}
    assert signatures == {r["signature"] for r in journal_rows(job["local"])}


def test_a_resumed_ray_job_skips_what_the_journal_has(
    ray_local: Any, job: dict[str, Path], translators: TranslatorFactory, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    with pytest.raises(_Crash):
        run_job([job["in"]], out, translators, JobOptions(pool_chars=POOL), _CrashAfter(2))
    before = {
        (r["name"], r["record"]): r["finished"] for r in journal_rows(out) if r["state"] == "done"
    }
    assert 0 < len(before) < 13
    run_job([job["in"]], out, translators, ray_options(resume=True))
    after = journal_rows(out)
    assert all(r["state"] == "done" and r["done_count"] == 1 for r in after)
    for r in after:  # what the journal had was not touched again
        if (r["name"], r["record"]) in before:
            assert r["finished"] == before[(r["name"], r["record"])]
    assert outputs(out) == outputs(job["local"])


class SlowEngine:
    """The real engine, slowed down, so that a kill lands while pools are in flight."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        time.sleep(0.3)
        return list(
            self.engine.translate_batch(texts, source, target, num_alternatives=num_alternatives)
        )


class Marked:
    """The workspace's translators, slowed down; each actor leaves its pid in ``marks``."""

    def __init__(self, inner: TranslatorFactory, marks: Path) -> None:
        self.inner, self.marks = inner, marks
        self.source, self.settings = inner.source, inner.settings

    def __call__(self, threads: int | None = None) -> Translator:
        t = self.inner(threads)
        t.engine = SlowEngine(t.engine)
        (self.marks / str(os.getpid())).touch()
        return t


@pytest.mark.timing  # the kill must land while pools are in flight
def test_a_worker_killed_mid_job_is_retried_and_no_document_is_lost_or_doubled(
    ray_local: Any, job: dict[str, Path], translators: TranslatorFactory, tmp_path: Path
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    out = tmp_path / "out"
    journal = out / ".tarjama" / "journal.sqlite"
    killed: list[int] = []

    def killer() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            # The newest actor translates documents (the first one may have done the repeats).
            pids = [int(p.name) for p in sorted(marks.iterdir(), key=lambda p: p.stat().st_mtime)]
            if pids and journal.is_file():
                db = sqlite3.connect(journal)
                try:
                    done = db.execute(
                        "SELECT COUNT(*) FROM documents WHERE done_count > 0"
                    ).fetchone()[0]
                except sqlite3.Error:
                    done = 0
                finally:
                    db.close()
                if done >= 2:
                    try:
                        os.kill(pids[-1], signal.SIGKILL)
                    except ProcessLookupError:
                        continue
                    killed.append(pids[-1])
            time.sleep(0.05)

    watch = threading.Thread(target=killer)
    watch.start()
    summary = run_job([job["in"]], out, Marked(translators, marks), ray_options())
    watch.join()
    assert killed, "the job ended before the actor could be killed"
    assert int(max(marks.iterdir(), key=lambda p: p.stat().st_mtime).name) != killed[0]
    # Ray started another actor in its place, which finished the job.
    assert summary.done == summary.total == 13
    rows = journal_rows(out)
    assert [r["done_count"] for r in rows] == [1] * 13  # none lost, none journalled twice
    assert outputs(out) == outputs(job["local"])

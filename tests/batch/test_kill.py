"""Kill a job with SIGKILL at many random points and resume it after each: in the end every
document is done exactly once, every output is the one an uninterrupted run writes, and no
temporary file is left."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tarjama.batch.outputs import TEMP_SUFFIX

from ..conftest import FLORES
from .conftest import journal_rows, outputs, write_archive

pytestmark = [pytest.mark.slow, pytest.mark.timing, pytest.mark.needs_data]

KILLS = 12


def dev_lines() -> list[str]:
    return (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines()[:300]


def batch(home: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TARJAMA_HOME": str(home)}
    cmd = [sys.executable, "-m", "tarjama", "batch", *args]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def journal_count(out: Path, sql: str) -> int:
    """A count from the journal of a job that may be running, or not started yet."""
    path = out / ".tarjama" / "journal.sqlite"
    if not path.is_file():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
        try:
            return int(db.execute(sql).fetchone()[0])
        finally:
            db.close()
    except sqlite3.Error:  # the schema may not be there yet
        return 0


def done_count(out: Path) -> int:
    return journal_count(out, "SELECT COUNT(*) FROM documents WHERE state = 'done'")


def kept_batches(out: Path) -> int:
    return journal_count(out, "SELECT COUNT(*) FROM batches")


def uninterrupted(model: Path, tmp_path: Path, pool: str) -> tuple[Path, list[str], Path]:
    """Stories of FLORES sentences (half of them in two stories), so there is work in every
    pool, translated once without a kill: the home, the job's arguments, its output."""
    src = write_archive(tmp_path / "in", stories=150, sentences=dev_lines())
    inputs = [str(src["folder"]), str(src["feed"]), str(src["sheet"])]
    common = ["-m", str(model), "--beam", "2", "--pool", pool, "--device", "cpu"]
    home = tmp_path / "home"
    whole = tmp_path / "whole"
    ref = batch(home, *inputs, *common, "--out", str(whole))
    assert ref.wait(timeout=300) == 0, ref.stderr.read() if ref.stderr else ""
    return home, [*inputs, *common], whole


def assert_as_uninterrupted(out: Path, whole: Path) -> None:
    """Every document done exactly once, as the uninterrupted run wrote it, and no
    temporary file left."""
    rows = journal_rows(out)
    assert [r["state"] for r in rows] == ["done"] * 155
    assert [r["done_count"] for r in rows] == [1] * 155
    assert outputs(out) == outputs(whole)
    assert not [p for p in out.rglob("*") if p.name.endswith(TEMP_SUFFIX)]


def while_running(home: Path, out: Path, pid: int, job: list[str]) -> None:
    """`batch status` reads a running job; a second job on its directory is refused."""
    env = {**os.environ, "TARJAMA_HOME": str(home)}
    run = [sys.executable, "-m", "tarjama", "batch"]
    status = subprocess.run([*run, "status", str(out)], capture_output=True, env=env, text=True)
    assert status.returncode == 0
    assert status.stdout.splitlines()[0] == f"{out}: running (pid {pid})"
    assert status.stdout.splitlines()[1].startswith("documents: 155 in all, ")
    second = subprocess.run([*run, *job, "--resume"], capture_output=True, env=env, text=True)
    assert second.returncode == 2
    assert f"another batch job (pid {pid}) is running on {out}" in second.stderr


def test_sigkill_at_random_points_then_resume(tiny_model_dir: Path, tmp_path: Path) -> None:
    home, job, whole = uninterrupted(tiny_model_dir, tmp_path, "200")
    out = tmp_path / "cut"
    rng = random.Random(20240611)
    kills, runs, seen = 0, 0, 0
    while True:
        proc = batch(home, *job, "--out", str(out), "--resume")
        runs += 1
        if kills < KILLS:
            start = time.monotonic()
            if kills % 2:  # anywhere: starting, scanning, recovering or translating
                time.sleep(rng.uniform(0.3, 2.5))
            else:  # while translating: once the journal has moved on, a little later
                while (
                    done_count(out) <= seen
                    and proc.poll() is None
                    and time.monotonic() - start < 60
                ):
                    time.sleep(0.02)
                time.sleep(rng.uniform(0.0, 0.2))
                if kills == 0:
                    while_running(home, out, proc.pid, [*job, "--out", str(out)])
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                kills += 1
                seen = done_count(out)
                continue
        err = proc.stderr.read().decode() if proc.stderr else ""
        assert proc.wait(timeout=300) == 0, err
        break
    assert kills >= 10, f"only {kills} kills landed in {runs} runs"
    assert_as_uninterrupted(out, whole)


def test_sigkill_between_engine_batches_then_resume(tiny_model_dir: Path, tmp_path: Path) -> None:
    # Pools of several engine batches each: the kills land inside a pool, once the journal
    # holds some of its batches, so every resume takes kept batches back.
    home, job, whole = uninterrupted(tiny_model_dir, tmp_path, "20000")
    out = tmp_path / "cut"
    rng = random.Random(20261206)
    kills = 0
    for _ in range(40):
        before = kept_batches(out)  # those of the pool in flight when the last run died
        proc = batch(home, *job, "--out", str(out), "--resume")
        start = time.monotonic()
        while (
            kept_batches(out) in (0, before)
            and proc.poll() is None
            and time.monotonic() - start < 60
        ):
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
    else:
        pytest.fail("the job never finished")
    err = proc.stderr.read().decode() if proc.stderr else ""
    assert proc.wait() == 0, err
    assert kills >= 5, f"only {kills} kills landed inside a pool"
    assert_as_uninterrupted(out, whole)
    assert kept_batches(out) == 0

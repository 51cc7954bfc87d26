"""`tarjama batch` and `tarjama batch status` as a user runs them, with the tiny model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ..batch.conftest import journal_rows, write_archive
from ..commands import Ran, tarjama


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> Path:
    home = tmp_path_factory.mktemp("home")
    r = tarjama("models", "add", str(tiny_model_dir), "--name", "tiny", home=home)
    assert r.returncode == 0, r.stderr
    return home


def lines(r: Ran[bytes]) -> list[str]:
    return r.stdout.decode().splitlines()


def test_a_job_its_status_its_resume_and_its_report(home: Path, tmp_path: Path) -> None:
    src = write_archive(tmp_path / "in")
    (src["folder"] / "bad.txt").write_bytes(b"\xff")
    out = tmp_path / "out"
    args = [str(src["folder"]), str(src["feed"]), str(src["sheet"]), "--out", str(out)]
    r = tarjama("batch", *args, "-m", "tiny", "--beam", "1", home=home)
    assert r.returncode == 1, r.stderr  # one document failed
    said = lines(r)
    assert said[0] == f"{out}: finished"
    assert said[1] == "documents: 10 in all, 9 done, 1 failed, 0 pending"
    assert said[-2:] == ["failed (1):", f"  wire/bad.txt: {src['folder'] / 'bad.txt'} is not "
                         "valid UTF-8 (first bad byte at offset 0)"]  # fmt: skip
    assert "documents" in r.stderr.decode()  # the progress bar
    feed = [json.loads(x) for x in (out / "feed.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [f["id"] for f in feed] == ["n0", "n1", "n2"]
    # status prints the same from the journal.
    st = tarjama("batch", "status", str(out), home=home)
    assert st.returncode == 0 and lines(st)[:5] == said[:5]
    # The same command again is refused; with --resume it does nothing new.
    again = tarjama("batch", *args, "-m", "tiny", "--beam", "1", home=home)
    assert again.returncode == 2 and again.stdout == b""
    assert again.stderr.decode().strip().endswith("add --resume to continue it (it skips what "
                                                  "is done), or choose another --out")  # fmt: skip
    (src["folder"] / "bad.txt").write_text("أصلح الملف.\n", encoding="utf-8")
    report = tmp_path / "report" / "job.html"
    resumed = tarjama(
        "batch", *args, "-m", "tiny", "--beam", "1", "--resume", "--report", str(report), home=home
    )
    assert resumed.returncode == 0, resumed.stderr
    assert lines(resumed)[1] == "documents: 10 in all, 10 done, 0 failed, 0 pending"
    assert lines(resumed)[-1] == f"report: {report} (and {report.with_suffix('.csv')})"
    assert [r["done_count"] for r in journal_rows(out)] == [1] * 10
    assert report.is_file() and report.with_suffix(".csv").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["batch", "x.txt"], "batch needs --out DIR"),
        (["batch", "status"], "usage: tarjama batch status DIR"),
        (["batch", "status", "nowhere"], "nowhere holds no batch job"),
        (["batch", "missing.txt", "--out", "o", "-m", "tiny"], "no such file: missing.txt"),
        (["batch", "in.txt", "--out", "o", "-m", "nope"], "unknown model 'nope'"),
        (["batch", "in.txt", "--out", "o", "-m", "tiny", "--workers", "0"], "workers must be"),
        (["batch", "in.txt", "--out", "o", "-m", "tiny", "-s", "en", "-t", "ar"], "does not"),
    ],
)
def test_mistakes_are_one_line_and_exit_2(
    home: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "in.txt").write_text("قال.\n", encoding="utf-8")
    r = tarjama(*args, home=home, cwd=tmp_path)
    err = r.stderr.decode()
    assert r.returncode == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert (
        not (tmp_path / "o").exists() or not (tmp_path / "o" / ".tarjama/journal.sqlite").exists()
    )

"""A batch job survives its inputs: what is not a regular file, a record nested too deep,
an Excel CSV and a long cell each fail alone or are read, and the rest (an ODT and a PPTX
among them) is translated."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from tarjama import formats
from tarjama.batch import run_job

from ..commands import tarjama
from ..formats import offices
from .conftest import FakeTranslators, journal_rows, outputs

pytestmark = pytest.mark.timing

#: A hostile folder must not take the job longer than this (it would hang or fill memory).
SECONDS = 60.0


def _folder(root: Path) -> Path:
    folder = root / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("افتتح الرئيس الميناء.\n", encoding="utf-8")
    (folder / "zero.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "pipe.txt")
    nested = "[" * 1000 + "]" * 1000
    (folder / "feed.jsonl").write_text(
        json.dumps({"id": "a", "text": "وصلت السفن."}, ensure_ascii=False)
        + "\n"
        + f'{{"id": "b", "text": "x", "deep": {nested}}}\n'
        + json.dumps({"id": "c", "text": "غادرت السفن."}, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    long_cell = "كلمة " * 40_000  # 200,000 characters, past csv's default 131,072
    (folder / "sheet.csv").write_bytes(
        "\ufeffid,text\n1,وصل الوزير.\n".encode() + f'2,"{long_cell}"\n'.encode()
    )
    (folder / "report.odt").write_bytes(offices.odt())
    (folder / "slides.pptx").write_bytes(offices.pptx())
    return folder


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_each_bad_input_fails_alone_and_the_rest_is_translated(tmp_path: Path) -> None:
    out = tmp_path / "out"
    start = time.monotonic()
    summary = run_job([_folder(tmp_path)], out, FakeTranslators())
    assert time.monotonic() - start < SECONDS
    failed = {r["name"]: r["error"] for r in journal_rows(out) if r["state"] == "failed"}
    assert set(failed) == {"in/zero.txt", "in/pipe.txt", "in/feed.jsonl"}, failed
    assert all("\n" not in e for e in failed.values())
    assert "not a regular file" in failed["in/zero.txt"]
    assert "not a regular file" in failed["in/pipe.txt"]
    assert failed["in/feed.jsonl"].endswith("feed.jsonl:2: JSON nested too deep to read")
    assert summary.failed == 3 and summary.done == summary.total - 3
    files = outputs(out)
    feed = [json.loads(x) for x in files["in/feed.jsonl"].decode().splitlines()]
    assert [f["id"] for f in feed] == ["a", "c"]
    sheet = files["in/sheet.csv"].decode().splitlines()
    assert sheet[0] == "id,text"  # the BOM read as a BOM, not as part of the id column
    assert len(sheet) == 3 and len(sheet[2]) > 131_072
    for name, build in (("report.odt", offices.odt), ("slides.pptx", offices.pptx)):
        kind = name.rsplit(".", 1)[1]
        before = [b.text for b in formats.read(build(), kind).blocks]
        after = [b.text for b in formats.read(files[f"in/{name}"], kind).blocks]
        assert len(after) == len(before) and after != before  # translated, read back whole


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_the_command_line_batch_over_the_same_folder(
    tmp_path: Path, tiny_model_dir: Path, home: Path
) -> None:
    folder = _folder(tmp_path)
    out = tmp_path / "out"
    r = tarjama("batch", str(folder), "--out", str(out), "--model", str(tiny_model_dir), home=home)
    failed = {r["name"] for r in journal_rows(out) if r["state"] == "failed"}
    assert failed == {"in/zero.txt", "in/pipe.txt", "in/feed.jsonl"}
    assert r.returncode == 1, r.stderr
    files = outputs(out)
    for name in ("report.odt", "slides.pptx"):
        kind = name.rsplit(".", 1)[1]
        assert formats.read(files[f"in/{name}"], kind).blocks

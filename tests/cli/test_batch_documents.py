"""`tarjama batch` over an HTML page and a DOCX, as the command line runs it (in-process):
both come back in their formats, readable, and a resume translates nothing again."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import lxml.html
import pytest

from tarjama.cli import main

from ..batch.conftest import journal_rows
from ..formats import samples


def test_batch_translates_an_html_page_and_a_docx(
    tiny_model_dir: Path, home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "desk"
    folder.mkdir()
    for key in ("html", "docx"):
        name, build = samples.SAMPLES[key]
        (folder / name).write_bytes(build())
    out = tmp_path / "out"
    args = ["batch", str(folder), "--out", str(out), "-m", str(tiny_model_dir), "--beam", "1"]
    assert main([*args, "--device", "cpu"]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[1] == "documents: 2 in all, 2 done, 0 failed, 0 pending"
    assert not any("skipped" in line for line in said)
    page = lxml.html.fromstring((out / "desk/article.html").read_bytes())
    assert page.tag == "html" and len(list(page.iter("p"))) >= len(samples.PARAGRAPHS)
    word = docx.Document(io.BytesIO((out / "desk/article.docx").read_bytes()))
    texts = [p.text for p in word.paragraphs if p.text.strip()]
    assert texts and samples.TITLE not in texts
    before = {p: p.read_bytes() for p in out.rglob("article.*")}
    assert main([*args, "--device", "cpu", "--resume"]) == 0
    assert {p: p.read_bytes() for p in out.rglob("article.*")} == before  # nothing redone
    assert [r["done_count"] for r in journal_rows(out)] == [1, 1]

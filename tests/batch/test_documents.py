"""Formatted documents in a batch job on the local backend: an HTML page and a DOCX (and
every other format the CLI translates) come out in their own format, as ``translate``
makes them, journalled and resumed exactly like text."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest

from tarjama.batch import JobOptions, run_job
from tarjama.pipeline import Translator

from ..fakes import FakeEngine
from ..formats import samples
from .conftest import FakeTranslators, journal_rows, outputs, write_archive
from .test_job import _Crash, _CrashAfter


def translated(data: bytes, kind: str) -> bytes:
    """What ``translate`` gives for a file on the fake engine."""
    return Translator(FakeEngine()).translate_file(data, kind).data


def content(data: bytes) -> object:
    """A file's content: a DOCX as its parts, since a zip stamps the time it was written."""
    if not data.startswith(b"PK"):
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(name, z.read(name)) for name in z.namelist()]


def contents(out: Path) -> dict[str, object]:
    return {name: content(data) for name, data in outputs(out).items()}


def desk(root: Path, copies: int = 1) -> Path:
    """A folder of the article in every format, ``copies`` times, beside a text story."""
    folder = root / "desk"
    for i in range(copies):
        for name, build in samples.SAMPLES.values():
            path = folder / f"{i}" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(build())
    write_archive(root / "text", stories=2)
    (folder / "story.txt").write_bytes((root / "text/wire/2023/story-0.txt").read_bytes())
    return folder


def test_every_document_format_comes_out_as_translate_makes_it(tmp_path: Path) -> None:
    folder = desk(tmp_path)
    out = tmp_path / "out"
    summary = run_job([folder], out, FakeTranslators())
    n = len(samples.SAMPLES) + 1
    assert (summary.total, summary.done, summary.failed) == (n, n, 0)
    assert summary.skipped == {}  # none left out as "other types" any more
    files = outputs(out)
    for key, (name, build) in samples.SAMPLES.items():
        kind = "xliff" if key.startswith("xliff") else key
        assert content(files[f"desk/0/{name}"]) == content(translated(build(), kind)), name
    rows = {r["name"]: r for r in journal_rows(out)}
    assert rows["desk/0/article.html"]["sentences"] > 0
    assert rows["desk/0/article.docx"]["signature"]


def test_the_html_page_and_the_docx_are_readable_translations(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_job([desk(tmp_path)], out, FakeTranslators())
    page = lxml.html.fromstring((out / "desk/0/article.html").read_bytes())
    assert page.tag == "html" and page.find("body") is not None
    paragraphs = [p.text_content() for p in page.iter("p")]
    first = samples.text_of(samples.PARAGRAPHS[0])
    assert any(p.startswith("<افتتح الرئيس") for p in paragraphs), paragraphs
    assert first not in paragraphs  # translated, not copied
    assert page.find(".//a").get("href") == samples.LINK  # the link kept its target
    word = docx.Document(io.BytesIO((out / "desk/0/article.docx").read_bytes()))
    texts = [p.text for p in word.paragraphs if p.text]
    assert any(t.startswith("<افتتح الرئيس") for t in texts), texts
    assert samples.TITLE not in texts


def test_a_resumed_job_of_documents_translates_each_once_and_ends_as_one_run(
    tmp_path: Path,
) -> None:
    folder = desk(tmp_path, copies=3)
    small = JobOptions(pool_chars=600)
    whole = FakeTranslators()
    run_job([folder], tmp_path / "whole", whole, small)
    first = FakeTranslators()
    with pytest.raises(_Crash):  # a kill after two pools are journalled
        run_job([folder], tmp_path / "cut", first, small, _CrashAfter(2))
    before = {r["name"] for r in journal_rows(tmp_path / "cut") if r["state"] == "done"}
    assert 0 < len(before) < len(journal_rows(tmp_path / "whole"))
    rest = FakeTranslators()
    run_job([folder], tmp_path / "cut", rest, JobOptions(pool_chars=600, resume=True))
    # What was journalled is not translated again: the resumed run makes the last calls
    # of the uninterrupted one, and the outputs are the same.
    assert rest.calls and rest.calls == whole.calls[len(whole.calls) - len(rest.calls) :]
    assert contents(tmp_path / "cut") == contents(tmp_path / "whole")
    assert [r["done_count"] for r in journal_rows(tmp_path / "cut")] == [
        1 for _ in journal_rows(tmp_path / "whole")
    ]
    again = FakeTranslators()
    run_job([folder], tmp_path / "cut", again, JobOptions(pool_chars=600, resume=True))
    assert again.calls == []  # a finished job is not translated twice


def test_a_changed_page_is_translated_again_and_a_broken_one_fails_alone(
    tmp_path: Path,
) -> None:
    folder = desk(tmp_path)
    out = tmp_path / "out"
    run_job([folder], out, FakeTranslators())
    page = folder / "0/article.html"
    page.write_bytes(page.read_bytes().replace("السفن الأولى".encode(), "السفن الجديدة".encode()))
    (folder / "0/broken.docx").write_bytes(b"not a zip")
    again = FakeTranslators()
    summary = run_job([folder], out, again, JobOptions(resume=True))
    assert summary.failed == 1 and summary.done == summary.total - 1
    (bad,) = [r for r in journal_rows(out) if r["state"] == "failed"]
    assert bad["name"] == "desk/0/broken.docx" and "\n" not in bad["error"]
    alone = FakeEngine()  # only the changed page reached the engine, as translate sends it
    Translator(alone).translate_file(page.read_bytes(), "html")
    assert again.calls == alone.calls
    assert (out / "desk/0/article.html").read_bytes() == translated(page.read_bytes(), "html")

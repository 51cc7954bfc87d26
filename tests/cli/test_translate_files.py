"""`tarjama translate FILE` for documents, as a user runs it (in-process): the same
format back as NAME.en.EXT, a report, and exit 2 with one line for a bad document."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from lxml import etree

from ..commands import tarjama
from ..formats import offices, samples


@pytest.fixture
def work(tmp_path: Path) -> Path:
    for name, build in samples.SAMPLES.values():
        (tmp_path / name).write_bytes(build())
    return tmp_path


def _reads_as(kind: str, data: bytes) -> None:
    """The output is a document of the same format."""
    if kind == "docx":
        docx.Document(io.BytesIO(data))
    elif kind in ("xliff", "xliff2"):
        assert etree.QName(etree.fromstring(data)).localname == "xliff"
    elif kind == "html":
        assert data.lstrip().lower().startswith(b"<!doctype html>")
    elif kind == "vtt":
        assert data.startswith(b"WEBVTT")
    else:
        assert data.decode("utf-8").strip()


@pytest.mark.parametrize("key", list(samples.SAMPLES))
def test_a_document_comes_back_in_its_format_beside_the_input(
    work: Path, tiny_model_dir: Path, home: Path, key: str
) -> None:
    name = samples.SAMPLES[key][0]
    r = tarjama("translate", name, "--model", str(tiny_model_dir), home=home, cwd=work)
    assert r.returncode == 0, r.stderr
    out = work / name.replace(".", ".en.", 1)
    assert r.stdout == b""
    lines = r.stderr.decode().splitlines()
    assert lines[0].startswith("tarjama: ") and "error(s)" in lines[0]
    assert lines[1] == f"tarjama: wrote {out.name}"
    _reads_as(key, out.read_bytes())


def test_output_and_the_json_report(work: Path, tiny_model_dir: Path, home: Path) -> None:
    r = tarjama(
        "translate", "article.docx", "--model", str(tiny_model_dir), "-o", "out.docx", "-f", "json",
        home=home, cwd=work,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["format"] == "docx"
    assert report["paragraphs"] and all("segments" in p for p in report["paragraphs"])
    assert (work / "out.docx").is_file() and not (work / "article.en.docx").exists()


def test_stdin_with_an_input_format_writes_stdout(
    work: Path, tiny_model_dir: Path, home: Path
) -> None:
    r = tarjama(
        "translate", "-", "--input-format", "srt", "--model", str(tiny_model_dir),
        home=home, stdin=samples.srt(),
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(b"1\n00:00:03,000 --> 00:00:05,500")


def test_plain_text_is_still_plain_text(work: Path, tiny_model_dir: Path, home: Path) -> None:
    (work / "story.ar").write_text("قال الرئيس إن الخطة جاهزة.\n", encoding="utf-8")
    r = tarjama("translate", "story.ar", "--model", str(tiny_model_dir), home=home, cwd=work)
    assert r.returncode == 0, r.stderr
    assert r.stdout.decode().endswith("\n") and r.stdout.decode().strip()
    assert sorted(p.name for p in work.iterdir() if p.name.startswith("story")) == ["story.ar"]


_zip = offices.zip_of


BAD = [
    ("not-a-zip.docx", b"<p>a page</p>", "is not a DOCX file (not a zip archive)"),
    ("bomb.docx", _zip({f"f{k}": b"" for k in range(5001)}), "zip entries; at most 5000"),
    (
        "xxe.xlf",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"/>',
        "declares XML entities",
    ),
    ("broken.srt", "1\n00:00:01,000 --> 00:00:xx,000\nنص\n".encode(), "broken timings"),
    ("lies.html", b"PK\x03\x04" + b"\0" * 64, "its content is Word document"),
    ("report.pdf", b"%PDF-1.4", ".pdf files are not supported"),
]


@pytest.mark.parametrize(("name", "data", "message"), BAD, ids=[b[0] for b in BAD])
def test_a_bad_document_is_one_line_and_exit_2(
    tmp_path: Path, tiny_model_dir: Path, home: Path, name: str, data: bytes, message: str
) -> None:
    (tmp_path / name).write_bytes(data)
    r = tarjama("translate", name, "--model", str(tiny_model_dir), home=home, cwd=tmp_path)
    assert r.returncode == 2
    err = r.stderr.decode()
    assert err.count("\n") == 1 and err.startswith("tarjama: error: ")
    assert message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing written


def test_the_input_is_never_overwritten(work: Path, tiny_model_dir: Path, home: Path) -> None:
    before = (work / "article.md").read_bytes()
    r = tarjama(
        "translate", "article.md", "-o", "article.md", "--model", str(tiny_model_dir),
        home=home, cwd=work,
    )  # fmt: skip
    assert r.returncode == 2
    assert b"is the input file" in r.stderr
    assert (work / "article.md").read_bytes() == before

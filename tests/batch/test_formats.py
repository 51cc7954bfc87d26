"""The format seam: scans find every document and where it lies; reads give them back."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from tarjama.batch import DocumentFile, Fields, JobFormats
from tarjama.batch.formats import CsvFormat, JsonlFormat, TextFormat, digest
from tarjama.pipeline import Translator

from ..fakes import FakeEngine

F = Fields()


def test_suffixes_find_their_format() -> None:
    job = JobFormats()
    assert isinstance(job.for_path(Path("a/B.TXT")), TextFormat)
    assert isinstance(job.for_path(Path("a.csv")), CsvFormat)
    docx = job.for_path(Path("a.docx"))  # every document format the CLI translates
    assert isinstance(docx, DocumentFile) and docx.name == "docx"
    assert job.for_path(Path("a.pdf")) is None


def test_text_scan_hashes_the_bytes_and_reads_them_back(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("\ufeffقال.\r\nوأضاف.\r\n".encode())
    (entry,) = TextFormat().scan(p, F)
    assert (entry.record, entry.digest, entry.error) == ("", digest(p.read_bytes()), None)
    (src,) = TextFormat().read(p, [entry], F)
    assert src.text == "قال.\nوأضاف.\n" and src.digest == entry.digest


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"ok\n\xc3(", "not valid UTF-8 (first bad byte at offset 3)"),
        (b"a\x00b", "looks binary"),
    ],
)
def test_text_that_cannot_be_read_is_one_failed_document(
    tmp_path: Path, data: bytes, message: str
) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes(data)
    (entry,) = TextFormat().scan(p, F)
    assert entry.error is not None and message in entry.error


def test_jsonl_records_are_found_by_offset_and_read_back(tmp_path: Path) -> None:
    p = tmp_path / "f.jsonl"
    rows: list[dict[str, Any]] = [
        {"id": 7, "text": "أولا.\nثانيا.", "x": [1]},
        {"id": "b", "text": "ثالثا."},
    ]
    p.write_text(
        "\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\r\n\n", encoding="utf-8"
    )
    entries = list(JsonlFormat().scan(p, F))
    assert [e.record for e in entries] == ["7", "b"]
    assert [e.chars for e in entries] == [len(r["text"]) for r in rows]
    sources = JsonlFormat().read(p, entries[::-1], F)
    assert [s.text for s in sources] == ["ثالثا.", "أولا.\nثانيا."]
    assert [s.digest for s in sources] == [e.digest for e in entries[::-1]]
    doc = Translator(FakeEngine()).translate_document(sources[1].text)
    out = json.loads(JsonlFormat().render(sources[1], doc, F))
    assert out == {"id": 7, "text": "<أولا.>\n<ثانيا.>", "x": [1]}


def test_jsonl_lines_that_cannot_be_used_fail_alone(tmp_path: Path) -> None:
    p = tmp_path / "f.jsonl"
    p.write_bytes(
        b'{"id": 1, "text": "\xd9\x82."}\n[1, 2]\n{"id": true, "text": "x"}\n'
        b'{"id": 2}\n{"id": 1, "text": "y"}\n\xff\n{"id": 3, "text": "z"}\n'
    )
    found = {e.record: e.error for e in JsonlFormat().scan(p, F)}
    assert found["1"] is None and found["3"] is None
    assert "not a JSON object" in (found["(line 2)"] or "")
    assert "no 'id'" in (found["(line 3)"] or "")
    assert "no 'text' string" in (found["(line 4)"] or "")
    assert "id '1' appears twice" in (found["(line 5)"] or "")
    assert "not valid UTF-8" in (found["(line 6)"] or "")


def test_csv_rows_with_quoted_line_breaks_are_found_and_read_back(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    with p.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["desk", "id", "text"])
        w.writerow(["gulf", "a1", "سطر أول.\nسطر ثان، مع «فاصلة»."])
        w.writerow(["", "", ""])
        w.writerow(["levant", "a2", "خبر قصير."])
    entries = list(CsvFormat().scan(p, F))
    assert [e.record for e in entries] == ["a1", "a2"]
    sources = CsvFormat().read(p, entries, F)
    assert [s.text for s in sources] == ["سطر أول.\nسطر ثان، مع «فاصلة».", "خبر قصير."]
    doc = Translator(FakeEngine()).translate_document(sources[0].text)
    rendered = [CsvFormat().render(s, doc, F) for s in sources]
    whole = b"".join(CsvFormat().join(p, rendered, F)).decode()
    rows = list(csv.reader(io.StringIO(whole)))
    assert rows[0] == ["desk", "id", "text"]
    assert rows[1] == ["gulf", "a1", doc.text]
    assert rows[2][:2] == ["levant", "a2"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty (a CSV file needs a header row)"),
        (b"id,body\n1,x\n", "no 'text' column (it has: id, body)"),
        (b"id,text\n1,ok\n2,\xe2\x82\n", "not valid UTF-8 (first bad byte at offset 15)"),
        # Past the first 1 MB chunk, with a character cut in two by the chunk boundary.
        (
            b"id,text\n1,x" + "ق".encode() * 600_000 + b"\n2,\xff\n",
            f"not valid UTF-8 (first bad byte at offset {11 + 1_200_000 + 3})",
        ),
    ],
    ids=["empty", "no text column", "bad byte", "bad byte past a chunk"],
)
def test_a_csv_that_cannot_be_read_fails_as_one_document(
    tmp_path: Path, content: bytes, message: str
) -> None:
    p = tmp_path / "s.csv"
    p.write_bytes(content)
    (entry,) = CsvFormat().scan(p, F)
    assert entry.record == "" and message in (entry.error or "")


def test_csv_rows_that_cannot_be_used_fail_alone(tmp_path: Path) -> None:
    p = tmp_path / "s.csv"
    p.write_text("id,text\n1,a\n2\n,b\n1,c\n3,d\n", encoding="utf-8")
    found = {e.record: e.error for e in CsvFormat().scan(p, F)}
    assert found["1"] is None and found["3"] is None
    assert "1 cells where the header has 2" in (found["(line 3)"] or "")
    assert "the 'id' column is empty" in (found["(line 4)"] or "")
    assert "id '1' appears twice" in (found["(line 5)"] or "")


def test_other_field_names(tmp_path: Path) -> None:
    p = tmp_path / "f.jsonl"
    p.write_text('{"guid": "x", "body": "قال."}\n', encoding="utf-8")
    fields = Fields(id="guid", text="body")
    (entry,) = JsonlFormat().scan(p, fields)
    assert entry.record == "x" and entry.error is None

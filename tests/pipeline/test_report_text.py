"""A formatted document's report has its blocks' text one a line (as a plain text
document has its paragraphs), blocks kept as they were included."""

from __future__ import annotations

from tarjama.document import Document
from tarjama.pipeline import Translator

from ..fakes import FakeEngine

PAGE = (
    "<html><body><h1>عنوان الخبر</h1><p>قال الرئيس.</p>"
    "<p>The minister said nothing at all today.</p><p>انتهى.</p></body></html>"
)


def test_blocks_are_lines_of_the_text() -> None:
    done = Translator(FakeEngine()).translate_file(PAGE.encode(), "html")
    report = done.document
    lines = report.text.split("\n")
    assert lines == [p.translation for p in report.paragraphs] + [""]
    assert lines[2] == "The minister said nothing at all today."  # kept, and in the text
    assert [p.source for p in Document.parse(report.text).paragraphs] == lines[:-1]
    assert done.to_json()["text"] == report.text
    assert done.in_target == 1

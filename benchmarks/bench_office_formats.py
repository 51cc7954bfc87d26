"""What a large-ish ODT, ODP, PPTX, EPUB and DOCX cost: reading alone (here), and reading,
translating with the tests' fake engine and writing, each in a fresh process (its time and
the peak memory it adds: ``tests/formats/hostile.py``'s ``measure``).

    PYTHONPATH=src:. python benchmarks/bench_office_formats.py [--paragraphs 5000]

Each document repeats the test samples' formatted paragraph (a bold span or run, a link, a
tab or break, a note in ODT) ``--paragraphs`` times: an ODT and an EPUB in one body, a
PPTX and an ODP as slides of a text box each holding 10 of them. The figures are in
docs/formats.md ("ODT, ODP, PPTX and EPUB").
"""

from __future__ import annotations

import argparse
import copy
import io
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from lxml import etree
from tests.formats import offices
from tests.formats.hostile import measure

from tarjama import formats

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def _rezip(data: bytes, part: str, grow: object) -> bytes:
    """``data`` with its entry ``part`` replaced by ``grow(root)``'s change of it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == part:
                root = etree.fromstring(body)
                grow(root)  # type: ignore[operator]
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
            method = zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            dst.writestr(info.filename, body, method)
    return out.getvalue()


def _repeat(tag: str, times: int, pick: int = 0):  # type: ignore[no-untyped-def]
    def grow(root: etree._Element) -> None:
        paragraph = list(root.iter(tag))[pick]
        parent = paragraph.getparent()
        assert parent is not None
        at = parent.index(paragraph)
        for k in range(times - 1):
            parent.insert(at + 1 + k, copy.deepcopy(paragraph))

    return grow


def _slides(times: int) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    for _ in range(times // 10):
        slide = deck.slides.add_slide(deck.slide_layouts[6])
        frame = slide.shapes.add_textbox(Inches(1), Inches(1), Inches(8), Inches(5)).text_frame
        for k in range(10):
            p = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
            for text, bold in (("قال الرئيس إن ", False), (offices.BOLD, True), (" جاهزة.", False)):
                run = p.add_run()
                run.text = text
                run.font.bold = bold or None
            link = p.add_run()
            link.text = " " + offices.LINK
            link.hyperlink.address = "https://example.org/port"
            p.add_line_break()
            p.add_run().text = "وصلت السفن إلى الميناء."
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def documents(n: int) -> dict[str, bytes]:
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.style import MasterPage, PageLayout
    from odf.text import P

    odp = OpenDocumentPresentation()
    layout = PageLayout(name="L")
    odp.automaticstyles.addElement(layout)
    master = MasterPage(name="M", pagelayoutname=layout)
    odp.masterstyles.addElement(master)
    for _ in range(n // 10):
        page = Page(masterpagename=master)
        frame = Frame(width="20cm", height="10cm", x="1cm", y="1cm")
        box = TextBox()
        for _ in range(10):
            box.addElement(P(text="قال الرئيس إن الخطة جاهزة. وصلت السفن إلى الميناء."))
        frame.addElement(box)
        page.addElement(frame)
        odp.presentation.addElement(page)
    out = io.BytesIO()
    odp.write(out)
    from tests.formats import samples

    return {
        "odt": _rezip(offices.odt(), "content.xml", _repeat(f"{TEXT}p", n)),
        "odp": out.getvalue(),
        "pptx": _slides(n),
        "epub": _rezip(offices.epub(), "OEBPS/text/chapter1.xhtml", _repeat(f"{XHTML}p", n)),
        "docx": _rezip(samples.docx_document(), "word/document.xml", _repeat(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p", n, 1
        )),
    }  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for kind, data in documents(args.paragraphs).items():
            path = Path(tmp) / f"big.{kind}"
            path.write_bytes(data)
            got = measure(path, kind)
            status = "refused: " + got.refused if got.refused else "translated"
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                inflated = sum(i.file_size for i in archive.infolist())
            start = time.perf_counter()
            blocks = formats.read(data, kind).blocks
            read = time.perf_counter() - start
            chars = sum(len(b.text) for b in blocks)
            print(
                f"{kind:5} {len(data) / 2**20:4.1f} MB ({inflated / 2**20:5.1f} MB inflated), "
                f"{len(blocks)} blocks, {chars} characters: read in {read:.1f} s; "
                f"{status}  {got.seconds:6.1f} s  "
                f"+{got.cost_mb:5.0f} MB peak",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())

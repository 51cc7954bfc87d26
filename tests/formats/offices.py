"""Small fictional ODT, ODP, PPTX and EPUB documents, built at test time with odfpy,
python-pptx and zipfile, each with a bold or italic run, a link, a note or a table, a
line break and a title: what the formats must carry through a translation."""

from __future__ import annotations

import io
import zipfile

#: The Arabic sentences the documents hold (fictional news).
HEADLINE = "افتتح الوزير الميناء الجديد"
SENTENCE = "قال الرئيس إن الخطة جاهزة"
BOLD = "الخطة"
LINK = "الموقع"
CELL = "الميناء"
NOTE = "هذه حاشية قصيرة."
TITLE = "تقرير الميناء"


def odt() -> bytes:
    """A text document: a heading, a paragraph with a bold span, a link, a tab and a
    footnote, a table, a header on the master page, and a title; Arabic throughout."""
    from odf import teletype
    from odf.opendocument import OpenDocumentText
    from odf.style import Header as StyleHeader
    from odf.style import (
        MasterPage,
        PageLayout,
        PageLayoutProperties,
        ParagraphProperties,
        Style,
        TextProperties,
    )
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import A, H, LineBreak, Note, NoteBody, NoteCitation, P, Span, Tab

    doc = OpenDocumentText()
    arabic = Style(name="Arabic", family="paragraph")
    arabic.addElement(ParagraphProperties(writingmode="rl-tb"))
    arabic.addElement(TextProperties(languagecomplex="ar", countrycomplex="EG"))
    doc.styles.addElement(arabic)
    bold = Style(name="Bold", family="text")
    bold.addElement(TextProperties(fontweight="bold", fontweightcomplex="bold"))
    doc.automaticstyles.addElement(bold)
    layout = PageLayout(name="Page")
    layout.addElement(PageLayoutProperties(writingmode="rl-tb"))
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    header = StyleHeader()
    header.addElement(P(stylename=arabic, text="نشرة الأخبار"))
    master.addElement(header)
    doc.masterstyles.addElement(master)

    doc.text.addElement(H(outlinelevel=1, stylename=arabic, text=HEADLINE))
    p = P(stylename=arabic)
    teletype.addTextToElement(p, "قال الرئيس إن ")
    p.addElement(Span(stylename=bold, text=BOLD))
    teletype.addTextToElement(p, " جاهزة. زوروا ")
    p.addElement(A(href="https://example.org/port", text=LINK))
    p.addElement(Tab())
    teletype.addTextToElement(p, "اليوم")
    note = Note(id="n1", noteclass="footnote")
    note.addElement(NoteCitation(text="1"))
    body = NoteBody()
    body.addElement(P(text=NOTE))
    note.addElement(body)
    p.addElement(note)
    p.addElement(LineBreak())
    teletype.addTextToElement(p, "وصلت السفن.")
    doc.text.addElement(p)
    table = Table(name="T")
    table.addElement(TableColumn())
    row = TableRow()
    for text in (CELL, "45"):
        cell = TableCell()
        cell.addElement(P(stylename=arabic, text=text))
        row.addElement(cell)
    table.addElement(row)
    doc.text.addElement(table)
    from odf.dc import Language, Title

    doc.meta.addElement(Title(text=TITLE))
    doc.meta.addElement(Language(text="ar"))
    return _save(doc)


def odp() -> bytes:
    """A presentation: a slide with a title frame, a text frame with an italic span, and
    speaker notes."""
    from odf import teletype
    from odf.draw import Frame, Page, TextBox
    from odf.opendocument import OpenDocumentPresentation
    from odf.presentation import Notes
    from odf.style import MasterPage, PageLayout, Style, TextProperties
    from odf.text import P, Span

    doc = OpenDocumentPresentation()
    layout = PageLayout(name="Layout")
    doc.automaticstyles.addElement(layout)
    master = MasterPage(name="Default", pagelayoutname=layout)
    doc.masterstyles.addElement(master)
    italic = Style(name="Italic", family="text")
    italic.addElement(TextProperties(fontstyle="italic", languagecomplex="ar"))
    doc.automaticstyles.addElement(italic)
    page = Page(masterpagename=master)
    for y, build in (("1cm", [HEADLINE]), ("5cm", ["قال الرئيس إن ", BOLD, " جاهزة"])):
        frame = Frame(width="20cm", height="3cm", x="1cm", y=y)
        box = TextBox()
        p = P()
        for k, text in enumerate(build):
            if k == 1:
                p.addElement(Span(stylename=italic, text=text))
            else:
                teletype.addTextToElement(p, text)
        box.addElement(p)
        frame.addElement(box)
        page.addElement(frame)
    notes = Notes()
    frame = Frame(width="20cm", height="3cm", x="1cm", y="1cm")
    box = TextBox()
    box.addElement(P(text=NOTE))
    frame.addElement(box)
    notes.addElement(frame)
    page.addElement(notes)
    doc.presentation.addElement(page)
    return _save(doc)


def pptx(slides: int = 2) -> bytes:
    """A presentation: a title slide, a slide with a bold run, a link, a line break, and
    a table, speaker notes, and a title in its properties."""
    from pptx import Presentation
    from pptx.util import Inches

    deck = Presentation()
    deck.core_properties.title = TITLE
    first = deck.slides.add_slide(deck.slide_layouts[0])
    first.shapes.title.text = HEADLINE
    for _ in range(slides - 1):
        slide = deck.slides.add_slide(deck.slide_layouts[5])
        slide.shapes.title.text = TITLE
        box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(8), Inches(2))
        p = box.text_frame.paragraphs[0]
        for text, style in (("قال الرئيس إن ", None), (BOLD, "bold"), (" جاهزة. ", None)):
            run = p.add_run()
            run.text = text
            run.font.bold = style == "bold" or None
        link = p.add_run()
        link.text = LINK
        link.hyperlink.address = "https://example.org/port"
        p.add_line_break()
        tail = p.add_run()
        tail.text = "وصلت السفن."
        for r in p.runs:
            r.font._rPr.set("lang", "ar-EG")
        p._p.get_or_add_pPr().set("rtl", "1")
        table = slide.shapes.add_table(1, 2, Inches(1), Inches(4), Inches(6), Inches(1))
        table.table.cell(0, 0).text = CELL
        table.table.cell(0, 1).text = "45"
        slide.notes_slide.notes_text_frame.text = NOTE
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles></container>"""

_OPF = """<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"
 xml:lang="ar" dir="rtl">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="id">urn:uuid:00000000-0000-4000-8000-000000000000</dc:identifier>
<dc:title>{title}</dc:title><dc:language>ar</dc:language>
<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta></metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="c1" href="text/chapter1.xhtml" media-type="application/xhtml+xml"/>
<item id="css" href="style.css" media-type="text/css"/>
</manifest>
<spine toc="ncx" page-progression-direction="rtl"><itemref idref="c1"/></spine>
</package>"""

_CHAPTER = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"
 lang="ar" xml:lang="ar" dir="rtl">
<head><title>{headline}</title><link rel="stylesheet" href="../style.css"/></head>
<body><section epub:type="chapter"><h1>{headline}</h1>
<p>قال الرئيس إن <b>{bold}</b> جاهزة.<br/>زوروا <a href="https://example.org/port">{link}</a>.</p>
<p><code>ISO-9001</code> {note}</p>
<img src="../pic.png" alt="{cell}"/>
</section></body></html>"""

_NAV = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="ar">
<head><title>{title}</title></head>
<body><nav epub:type="toc"><ol><li><a href="text/chapter1.xhtml">{headline}</a></li></ol></nav>
</body></html>"""

_NCX = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE ncx PUBLIC "-//NISO//DTD ncx 2005-1//EN" "http://www.daisy.org/z3986/2005/ncx-2005-1.dtd">
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="ar">
<head><meta name="dtb:uid" content="urn:uuid:00000000-0000-4000-8000-000000000000"/></head>
<docTitle><text>{title}</text></docTitle>
<docAuthor><text>Nadia Example</text></docAuthor>
<navMap><navPoint id="p1" playOrder="1"><navLabel><text>{headline}</text></navLabel>
<content src="text/chapter1.xhtml"/></navPoint></navMap></ncx>"""


def epub() -> bytes:
    """An EPUB 3 book with an EPUB 2 NCX: one chapter (bold, a link, a line break, a code,
    an image's alt), its navigation document, its title."""
    words = dict(title=TITLE, headline=HEADLINE, bold=BOLD, link=LINK, note=NOTE, cell=CELL)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip", zipfile.ZIP_STORED)
        book.writestr("META-INF/container.xml", _CONTAINER)
        book.writestr("OEBPS/content.opf", _OPF.format(**words))
        book.writestr("OEBPS/nav.xhtml", _NAV.format(**words))
        book.writestr("OEBPS/toc.ncx", _NCX.format(**words))
        book.writestr("OEBPS/text/chapter1.xhtml", _CHAPTER.format(**words))
        book.writestr("OEBPS/style.css", "body { direction: rtl; }\n")
        book.writestr("OEBPS/pic.png", b"\x89PNG\r\n\x1a\n")
    return out.getvalue()


def _save(doc: object) -> bytes:
    out = io.BytesIO()
    doc.write(out)  # type: ignore[attr-defined]
    return out.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    """A zip of ``entries`` (name -> bytes), deflated."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def entries(data: bytes) -> dict[str, bytes]:
    """A zip's entries, by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {i.filename: archive.read(i) for i in archive.infolist()}

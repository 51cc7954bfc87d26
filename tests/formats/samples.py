"""A fictional Arabic news article, built in every format with the format's own library.

The article has a title, three paragraphs with bold, a link and italics inside sentences,
a sentence that runs across a line break, a table, a footnote, a header, an image, a text
box and some text that must stay untouched. Its sentences use no mark that rendering for
English changes (، ؛ ؟ « »), so that a model that copies its source gives it back exactly.
"""

from __future__ import annotations

import io
import struct
import zlib

import docx
import pysrt
import webvtt
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph
from lxml import etree
from lxml.html import builder as E

TITLE = "افتتاح ميناء الساحل الجديد"
#: Each paragraph as (text, code) pieces; code is None, "b", "a" or "i".
PARAGRAPHS: list[list[tuple[str, str | None]]] = [
    [
        ("افتتح الرئيس ", None),
        ("سالم النعيمي", "b"),
        (" ميناء الساحل الجديد صباح الأحد. وقال إن ", None),
        ("الميناء", "a"),
        (" سيستقبل 40 سفينة في الشهر.", None),
    ],
    [
        ("وأضاف وزير النقل أن المشروع كلف 3.5 مليار دولار. وسيوفر الميناء نحو ", None),
        ("12 ألف وظيفة", "i"),
        (" في المنطقة.", None),
    ],
    [("وقال مدير الميناء إن العمل بدأ قبل ثلاث سنوات وإن السفن الأولى وصلت أمس.", None)],
]
TABLE = [("السفن", "40 سفينة"), ("الوظائف", "12 ألف وظيفة")]
NOTE = "المصدر وكالة أنباء الساحل."
HEADER = "صحيفة الساحل اليومية"
CAPTION = "صورة الميناء الجديد"
LINK = "https://example.org/port"
#: Kept as written: a news agency's name marked notranslate, and a code sample.
KEPT = "Reuters"
CODE = "port_id = 40"


def text_of(paragraph: list[tuple[str, str | None]]) -> str:
    return "".join(t for t, _ in paragraph)


# -- HTML ------------------------------------------------------------------------------


def _html_paragraph(pieces: list[tuple[str, str | None]]) -> etree._Element:
    p = E.P()
    for text, code in pieces:
        if code is None:
            if len(p):
                p[-1].tail = (p[-1].tail or "") + text
            else:
                p.text = (p.text or "") + text
        elif code == "a":
            p.append(E.A(text, href=LINK, title=CAPTION))
        else:
            p.append({"b": E.B, "i": E.I}[code](text))
    return p


def html_page() -> bytes:
    body = E.ARTICLE(
        E.H1(TITLE),
        *[_html_paragraph(p) for p in PARAGRAPHS],
        E.P(E.SPAN(KEPT, E.CLASS("notranslate")), " ", E.CODE(CODE)),
        E.FIGURE(E.IMG(src="port.jpg", alt=CAPTION), E.FIGCAPTION(CAPTION)),
        E.TABLE(*[E.TR(E.TD(a), E.TD(b)) for a, b in TABLE]),
        E.PRE(CODE),
        E.P(NOTE, E.BR(), HEADER),
        id="story",
    )
    body.set("class", "story")
    page = E.HTML(
        E.HEAD(E.META(charset="utf-8"), E.TITLE(TITLE), E.STYLE("p { margin: 0 }")),
        E.BODY(body),
        lang="ar",
        dir="rtl",
    )
    return bytes(etree.tostring(page, method="html", encoding="utf-8", doctype="<!DOCTYPE html>"))


def html_fragment() -> bytes:
    """What a CMS exports: paragraphs, no page around them."""
    div = E.DIV(*[_html_paragraph(p) for p in PARAGRAPHS])
    return b"".join(etree.tostring(p, method="html", encoding="utf-8") for p in div)


# -- DOCX ------------------------------------------------------------------------------


def png() -> bytes:
    """A 2x2 grey PNG (python-docx reads its size)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0)
    raw = zlib.compress(b"\x00\x80\x80" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _hyperlink(paragraph: Paragraph, text: str) -> None:
    rid = paragraph.part.relate_to(LINK, RT.HYPERLINK, is_external=True)
    link = parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{rid}"><w:r><w:rPr><w:rStyle w:val="Hyperlink"/>'
        f"<w:rtl/></w:rPr><w:t>{text}</w:t></w:r></w:hyperlink>"
    )
    paragraph._p.append(link)


def _footnotes(document: docx.document.Document) -> None:
    """A footnotes part (python-docx writes none) and a reference to it."""
    xml = (
        f"<w:footnotes {nsdecls('w')}>"
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
        "</w:r></w:p></w:footnote>"
        f'<w:footnote w:id="1"><w:p><w:pPr><w:bidi/></w:pPr><w:r><w:rPr><w:rtl/></w:rPr>'
        f"<w:t>{NOTE}</w:t></w:r></w:p></w:footnote></w:footnotes>"
    ).encode()
    part = Part(
        PackURI("/word/footnotes.xml"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
        xml,
        document.part.package,
    )
    document.part.relate_to(part, RT.FOOTNOTES)


VML = "urn:schemas-microsoft-com:vml"


def _textbox(paragraph: Paragraph) -> None:
    run = parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="{VML}"><w:pict><v:shape style="width:200pt;height:40pt">'
        f"<v:textbox><w:txbxContent><w:p><w:r><w:rPr><w:rtl/></w:rPr><w:t>{CAPTION}</w:t>"
        "</w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    paragraph._p.append(run)


def _rtl(paragraph: Paragraph) -> None:
    """An Arabic paragraph as Word writes it: right to left, runs marked rtl."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.insert(0, parse_xml(f"<w:bidi {nsdecls('w')}/>"))
    for run in paragraph.runs:
        run.font.rtl = True


def docx_document() -> bytes:
    document = docx.Document()
    document.core_properties.title = TITLE
    document.core_properties.author = "Desk"
    document.sections[0].header.paragraphs[0].text = HEADER
    _rtl(document.sections[0].header.paragraphs[0])
    heading = document.add_heading(TITLE, level=1)
    _rtl(heading)
    for k, pieces in enumerate(PARAGRAPHS):
        p = document.add_paragraph()
        for text, code in pieces:
            if code == "a":
                _hyperlink(p, text)
                continue
            run = p.add_run(text)
            run.bold = code == "b" or None
            run.italic = code == "i" or None
        _rtl(p)
        if k == 0:
            ref = parse_xml(
                f'<w:r {nsdecls("w")}><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                '<w:footnoteReference w:id="1"/></w:r>'
            )
            p._p.append(ref)
    table = document.add_table(rows=len(TABLE), cols=2)
    for row, (a, b) in zip(table.rows, TABLE, strict=True):
        row.cells[0].text, row.cells[1].text = a, b
    document.add_picture(io.BytesIO(png()))
    box = document.add_paragraph()
    _textbox(box)
    _footnotes(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- XLIFF -----------------------------------------------------------------------------

XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF20 = "urn:oasis:names:tc:xliff:document:2.0"


def _inline(
    parent: etree._Element, pieces: list[tuple[str, str | None]], ns: str, v2: bool
) -> None:
    paired = f"{{{ns}}}{'pc' if v2 else 'g'}"
    for n, (text, code) in enumerate(pieces, 1):
        if code is None:
            if len(parent):
                parent[-1].tail = (parent[-1].tail or "") + text
            else:
                parent.text = (parent.text or "") + text
        else:
            el = etree.SubElement(parent, paired, id=str(n))
            el.text = text
    # A standalone code (a line break in the source document) at the end.
    etree.SubElement(parent, f"{{{ns}}}{'ph' if v2 else 'x'}", id="br")


#: The title, then the paragraphs: the units of the XLIFF files.
UNITS: list[list[tuple[str, str | None]]] = [[(TITLE, None)], *PARAGRAPHS]


def xliff12() -> bytes:
    root = etree.Element(f"{{{XLIFF12}}}xliff", nsmap={None: XLIFF12}, version="1.2")
    file = etree.SubElement(root, f"{{{XLIFF12}}}file", original="port.html", datatype="html")
    file.set("source-language", "ar")
    file.set("target-language", "en")
    body = etree.SubElement(file, f"{{{XLIFF12}}}body")
    for n, pieces in enumerate(UNITS, 1):
        unit = etree.SubElement(body, f"{{{XLIFF12}}}trans-unit", id=str(n))
        source = etree.SubElement(unit, f"{{{XLIFF12}}}source")
        _inline(source, pieces, XLIFF12, v2=False)
    done = etree.SubElement(body, f"{{{XLIFF12}}}trans-unit", id="final", approved="yes")
    etree.SubElement(done, f"{{{XLIFF12}}}source").text = HEADER
    etree.SubElement(done, f"{{{XLIFF12}}}target", state="final").text = "The Coast Daily"
    return _indented(root)


def xliff20() -> bytes:
    root = etree.Element(f"{{{XLIFF20}}}xliff", nsmap={None: XLIFF20}, version="2.0")
    root.set("srcLang", "ar")
    file = etree.SubElement(root, f"{{{XLIFF20}}}file", id="f1")
    for n, pieces in enumerate(UNITS, 1):
        unit = etree.SubElement(file, f"{{{XLIFF20}}}unit", id=f"u{n}")
        segment = etree.SubElement(unit, f"{{{XLIFF20}}}segment", id=f"s{n}")
        _inline(etree.SubElement(segment, f"{{{XLIFF20}}}source"), pieces, XLIFF20, v2=True)
    unit = etree.SubElement(file, f"{{{XLIFF20}}}unit", id="final")
    segment = etree.SubElement(unit, f"{{{XLIFF20}}}segment", id="sf", state="final")
    etree.SubElement(segment, f"{{{XLIFF20}}}source").text = HEADER
    etree.SubElement(segment, f"{{{XLIFF20}}}target").text = "The Coast Daily"
    return _indented(root)


def _indented(root: etree._Element) -> bytes:
    """Indented like a CAT tool writes it, the mixed content of sources left as built."""
    tails = [[el.tail for el in source] for source in root.iter("{*}source", "{*}target")]
    etree.indent(root)
    for source, kept in zip(root.iter("{*}source", "{*}target"), tails, strict=True):
        for el, tail in zip(source, kept, strict=True):
            el.tail = tail
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


# -- subtitles -------------------------------------------------------------------------

#: Cues of a video report; the second sentence runs from cue 2 into cue 3.
CUES = [
    ["افتتح الرئيس <i>سالم النعيمي</i>", "ميناء الساحل الجديد صباح الأحد."],
    ["وقال إن الميناء سيستقبل"],
    ["40 سفينة في الشهر."],
    [text_of(PARAGRAPHS[2])],
]


def srt() -> bytes:
    items = pysrt.SubRipFile()
    for n, lines in enumerate(CUES, 1):
        item = pysrt.SubRipItem(
            index=n,
            start=pysrt.SubRipTime(seconds=3 * n),
            end=pysrt.SubRipTime(seconds=3 * n + 2, milliseconds=500),
            text="\n".join(lines),
        )
        if n == 1:
            item.position = "X1:100 X2:600 Y1:50 Y2:100"
        items.append(item)
    out = io.StringIO()
    items.write_into(out)
    return out.getvalue().encode("utf-8")


def vtt() -> bytes:
    captions = webvtt.WebVTT()
    for n, lines in enumerate(CUES, 1):
        caption = webvtt.Caption(
            f"00:00:{3 * n:02d}.000",
            f"00:00:{3 * n + 2:02d}.500",
            [f"<v المذيع>{line}" if n == 1 and k == 0 else line for k, line in enumerate(lines)],
            identifier=f"cue-{n}",
        )
        if n == 1:
            caption.settings = "line:0 align:start"
        captions.captions.append(caption)
    content: str = captions.content
    return content.encode("utf-8")


# -- Markdown --------------------------------------------------------------------------


def markdown() -> bytes:
    """Markdown has no writer library: the text is written here, the way a desk writes it."""

    def inline(pieces: list[tuple[str, str | None]]) -> str:
        marks = {"b": ("**", "**"), "i": ("*", "*"), "a": ("[", f"]({LINK})")}
        return "".join(
            text if code is None else marks[code][0] + text + marks[code][1]
            for text, code in pieces
        )

    lines = [
        f"# {TITLE}",
        "",
        inline(PARAGRAPHS[0]),
        "",
        inline(PARAGRAPHS[1]),
        "",
        f"> {text_of(PARAGRAPHS[2])}",
        "",
        f"- {TABLE[0][0]} `{CODE}`",
        f"- {TABLE[1][0]}",
        "",
        "| البند | القيمة |",
        "|---|---|",
        *[f"| {a} | {b} |" for a, b in TABLE],
        "",
        "```",
        CODE,
        "```",
        "",
        f"![{CAPTION}](port.jpg)",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


SAMPLES = {
    "html": ("article.html", html_page),
    "docx": ("article.docx", docx_document),
    "xliff": ("article.xlf", xliff12),
    "xliff2": ("article-2.xlf", xliff20),
    "srt": ("article.srt", srt),
    "vtt": ("article.vtt", vtt),
    "markdown": ("article.md", markdown),
}


def has_qn(el: etree._Element, tag: str) -> bool:
    return el.find(".//" + qn(tag)) is not None

"""Word documents (DOCX), read and written with python-docx and its lxml tree.

Every paragraph of the body (tables and text boxes included), the headers and footers, the
footnotes and endnotes is a block, and so are the core properties' title and subject.
In a paragraph, the formatting that covers most of its text is the paragraph's own; a run
formatted otherwise (bold, italic, another font) is a paired code around its words, and so
is a hyperlink. What is not text stays whole and keeps its place as a standalone code: a
tab, a break, an image or a text box (whose own paragraphs are blocks of their own), a
footnote reference, a bookmark, a field (its instruction and its cached result), tracked
changes, content controls, equations. On writing, runs are rebuilt with the formatting of
the words they now hold, in the source's run structure where the words map one to one.

Before python-docx sees the file, the zip is checked (:mod:`.zips`): at most
:data:`MAX_ENTRIES` entries and :data:`MAX_UNCOMPRESSED` bytes really inflated, counted in
bounded chunks (a zip bomb or a zip that lies about its sizes is refused, not inflated), at
most :data:`~.zips.MAX_ELEMENTS` XML elements, counted while parsing, and no XML part may
declare a DOCTYPE or entities.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.exceptions import PackageNotFoundError
from docx.opc.part import PartFactory, XmlPart
from docx.oxml.ns import qn
from lxml import etree

from ..errors import InputError
from .base import BlockResult, direction, refuse_entities, same_language
from .inline import Block, Close, Code, Open, Point, Token
from .zips import MAX_ENTRIES as MAX_ENTRIES
from .zips import MAX_UNCOMPRESSED as MAX_UNCOMPRESSED
from .zips import check_zip

# Footnotes and endnotes load as XML parts, so that their paragraphs can be translated.
PartFactory.part_type_for.setdefault(CT.WML_FOOTNOTES, XmlPart)
PartFactory.part_type_for.setdefault(CT.WML_ENDNOTES, XmlPart)

#: Parts whose paragraphs are translated, in the order the report lists them.
STORIES = (CT.WML_DOCUMENT_MAIN, CT.WML_HEADER, CT.WML_FOOTER, CT.WML_FOOTNOTES, CT.WML_ENDNOTES)
PROPERTIES = ("title", "subject")
#: The most a core property holds.
MAX_PROPERTY = 255

_P, _R, _T, _RPR, _PPR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:rPr"), qn("w:pPr")
_HYPERLINK = qn("w:hyperlink")
_FIELD = {qn("w:fldChar"), qn("w:instrText")}
#: A run holding a reference mark is the mark: it keeps its own content and style.
_REFERENCES = {
    qn("w:footnoteReference"),
    qn("w:endnoteReference"),
    qn("w:commentReference"),
    qn("w:footnoteRef"),
    qn("w:endnoteRef"),
    qn("w:annotationRef"),
}
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _format_key(rpr: Any) -> bytes:
    return etree.tostring(rpr) if rpr is not None else b""


class _Paragraph:
    """A paragraph being read: its tokens, and the formatting of its plain text."""

    def __init__(self, p: Any, in_field: int) -> None:
        self.p = p
        self.in_field = in_field
        runs = [*p.findall(_R), *(r for link in p.findall(_HYPERLINK) for r in link.findall(_R))]
        weight: dict[bytes, int] = {}
        first: dict[bytes, Any] = {}
        for r in runs:
            key = _format_key(r.find(_RPR))
            weight[key] = weight.get(key, 0) + sum(len(t.text or "") for t in r.findall(_T))
            first.setdefault(key, r.find(_RPR))
        self.base = max(weight, key=lambda k: weight[k]) if weight else b""
        self.base_rpr = first.get(self.base)
        self.tokens: list[Token] = list(self._content(p))

    def _content(self, parent: Any) -> Iterator[Token]:
        open_format: tuple[bytes, Code] | None = None
        for child in parent:
            if child.tag == _PPR:
                continue
            is_run = child.tag == _R
            key = _format_key(child.find(_RPR)) if is_run else None
            kept = is_run and self._kept(child)
            if open_format is not None and (not is_run or key != open_format[0] or kept):
                yield Close(open_format[1])
                open_format = None
            if not is_run:
                if child.tag == _HYPERLINK:
                    code = Code("link", True, child)
                    yield Open(code)
                    yield from self._content(child)
                    yield Close(code)
                else:
                    yield Point(Code(_local(child.tag), False, ("element", child)))
                continue
            if kept:
                yield Point(Code("field", False, ("element", child)))
                continue
            if key != self.base and open_format is None:
                assert key is not None
                open_format = (key, Code(_run_name(child), True, ("format", child)))
                yield Open(open_format[1])
            yield from self._run(child)
        if open_format is not None:
            yield Close(open_format[1])

    def _kept(self, run: Any) -> bool:
        """Runs of a field (instruction and cached result), and runs of a footnote, endnote
        or comment reference, stay whole."""
        kept = self.in_field > 0
        for el in run:
            if el.tag == qn("w:fldChar"):
                kind = el.get(qn("w:fldCharType"))
                self.in_field += {"begin": 1, "end": -1}.get(kind or "", 0)
                kept = True
            elif el.tag in _FIELD or el.tag in _REFERENCES:
                kept = True
        return kept

    def _run(self, run: Any) -> Iterator[Token]:
        for el in run:
            if el.tag == _RPR:
                continue
            if el.tag == _T:
                yield el.text or ""
            else:
                yield Point(Code(_local(el.tag), False, ("in-run", el, run.find(_RPR))))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _run_name(run: Any) -> str:
    rpr = run.find(_RPR)
    if rpr is None:
        return "run"
    names = [_local(c.tag) for c in rpr if _local(c.tag) in ("b", "i", "u", "strike", "rStyle")]
    return "+".join(names) or "run"


class DocxDocument:
    kind = "docx"

    def __init__(self, data: bytes, where: str = "DOCX") -> None:
        check_zip(data, where)
        try:
            self.doc, self.stand_ins = _load(data)
        except etree.XMLSyntaxError as exc:
            raise InputError(f"{where} holds XML that cannot be read: {exc}") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            raise InputError(f"{where} is a damaged zip archive: {exc}") from None
        except (PackageNotFoundError, KeyError, ValueError, IndexError):
            raise InputError(f"{where} is a zip archive but not a Word document") from None
        try:  # parts whose content type was damaged load as plain parts
            self.styles = self.doc.styles.element
            core = self.doc.core_properties
        except (AttributeError, KeyError, ValueError):
            raise InputError(
                f"{where} is a damaged Word document (its parts are mislabelled)"
            ) from None
        self.parts = sorted(
            (p for p in self.doc.part.package.iter_parts() if p.content_type in STORIES),
            key=lambda p: STORIES.index(p.content_type),
        )
        for part in self.doc.part.package.iter_parts():
            if isinstance(part, XmlPart):
                refuse_entities(part.element, where)
        self.paragraphs: list[_Paragraph] = []
        self.blocks: list[Block] = []
        self.properties: list[str] = []
        for part in self.parts:
            in_field = 0
            for p in part.element.iter(_P):
                para = _Paragraph(p, in_field)
                in_field = max(para.in_field, 0)
                try:
                    block = Block(para.tokens)
                except ValueError:
                    continue  # runs nested in a way Word does not write: left as they are
                if block.text.strip():
                    self.paragraphs.append(para)
                    self.blocks.append(block)
        for name in PROPERTIES:
            value = getattr(core, name)
            if value and value.strip():
                self.properties.append(name)
                self.blocks.append(Block([value]))

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        n = len(self.paragraphs)
        for para, result in zip(self.paragraphs, results[:n], strict=True):
            _rebuild(para, result.tokens)
        core = self.doc.core_properties
        for name, result in zip(self.properties, results[n:], strict=True):
            value = "".join(t for t in result.tokens if isinstance(t, str))
            setattr(core, name, _fit(value, MAX_PROPERTY))
        if core.language and same_language(core.language, source):
            core.language = target
        for part in self.parts:
            switch_language(part.element, source, target)
            set_layout_direction(part.element, target)
        for para in self.paragraphs:
            set_direction(para.p, target)
        switch_language(self.styles, source, target)
        out = io.BytesIO()
        self.doc.save(out)
        return _without(out.getvalue(), self.stand_ins)


_MISSING = re.compile(r"There is no item named '([^']+)' in the archive")
#: Parts a document can lack and still be read: media (images, audio, video), fonts and
#: other binary payloads; never a story's XML.
_OPTIONAL = re.compile(r"^word/(media|embeddings|fonts)/[^/]+$")
#: The most missing parts stood in for: each costs a reload.
MAX_MISSING = 20


def _load(data: bytes) -> tuple[Any, set[str]]:
    """The document, and the names of the optional parts it lacks: python-docx refuses a
    package with a dangling relationship, so each such part gets an empty stand-in while it
    reads, and :func:`_without` takes them out of the written file again."""
    stand_ins: set[str] = set()
    while True:
        try:
            return docx.Document(io.BytesIO(data)), stand_ins
        except KeyError as exc:
            found = _MISSING.search(str(exc))
            name = found.group(1) if found else ""
            if not _OPTIONAL.match(name) or name in stand_ins or len(stand_ins) >= MAX_MISSING:
                raise
            stand_ins.add(name)
            data = _with_entry(data, name)


def _with_entry(data: bytes, name: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info.filename))
        dst.writestr(name, b"")
    return out.getvalue()


def _without(data: bytes, names: set[str]) -> bytes:
    """``data`` (a zip) without the entries ``names``."""
    if not names:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename not in names:
                dst.writestr(info, src.read(info.filename))
    return out.getvalue()


def _fit(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word (core properties hold 255)."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def _rebuild(para: _Paragraph, tokens: Sequence[Token]) -> None:
    """Replace the paragraph's content with the translated tokens."""
    p = para.p
    for child in list(p):
        if child.tag != _PPR:
            p.remove(child)
    containers = [p]
    formats: list[tuple[Any, Any]] = []  # (rPr, run) of each open formatting code
    current: dict[str, Any] = {"run": None, "key": None, "parent": None}

    def run_for(rpr: Any, attrs: Any) -> Any:
        key = _format_key(rpr)
        parent = containers[-1]
        if current["run"] is not None and current["key"] == key and current["parent"] is parent:
            return current["run"]
        run = etree.SubElement(parent, _R, dict(attrs.attrib) if attrs is not None else {})
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        current.update(run=run, key=key, parent=parent)
        return run

    for token in tokens:
        if isinstance(token, str):
            rpr, attrs = formats[-1] if formats else (para.base_rpr, None)
            t = etree.SubElement(run_for(rpr, attrs), _T)
            t.text = token
            if token != token.strip():
                t.set(_SPACE, "preserve")
        elif isinstance(token, Open):
            data = token.code.data
            if isinstance(data, tuple):  # ("format", run)
                formats.append((data[1].find(_RPR), data[1]))
            else:  # a hyperlink
                link = etree.SubElement(containers[-1], data.tag, dict(data.attrib))
                containers.append(link)
                current["run"] = None
        elif isinstance(token, Close):
            if isinstance(token.code.data, tuple):
                formats.pop()
            else:
                containers.pop()
                current["run"] = None
        else:
            kind, el, *rest = token.code.data
            if kind == "in-run":
                run_for(rest[0], None).append(el)
            else:
                containers[-1].append(el)
                current["run"] = None


def switch_language(root: Any, source: str, target: str) -> None:
    """``w:lang`` of the source language names the target; into a left-to-right language,
    right-to-left marks (``w:bidi`` on paragraphs and sections, ``w:rtl`` on runs,
    ``w:bidiVisual`` on tables) are dropped, and so are the paragraph and run properties
    they leave empty."""
    # w:bidi names the language of right-to-left runs: it changes only into one.
    slots = ["w:val", "w:eastAsia", *(["w:bidi"] if direction(target) == "rtl" else [])]
    for lang in root.iter(qn("w:lang")):
        for attr in map(qn, slots):
            if same_language(lang.get(attr), source):
                lang.set(attr, target)
    if direction(target) == "ltr":
        # Paragraphs, runs, tables (mirrored columns) and sections (mirrored layout)
        # together; tblPr and sectPr stay even when emptied (a table must have its tblPr).
        for props, tag in _RTL_MARKS:
            for el in list(root.iter(props)):
                for flag in el.findall(qn(tag)):
                    el.remove(flag)
                optional = props in (_PPR, _RPR)
                if optional and not len(el) and not el.attrib and el.getparent() is not None:
                    el.getparent().remove(el)


def set_layout_direction(root: Any, target: str) -> None:
    """Tables and sections of a story translated into a right-to-left language read right
    to left, like its paragraphs (:func:`set_direction`)."""
    if direction(target) == "rtl":
        for tblpr in root.iter(qn("w:tblPr")):
            if tblpr.find(qn("w:bidiVisual")) is None:
                tblpr.insert_element_before(
                    tblpr.makeelement(qn("w:bidiVisual"), {}), *_AFTER_BIDI_VISUAL
                )
        for sectpr in root.iter(qn("w:sectPr")):
            if sectpr.find(qn("w:bidi")) is None:
                sectpr.insert_element_before(
                    sectpr.makeelement(qn("w:bidi"), {}), *_AFTER_SECTION_BIDI
                )


#: Right-to-left marks by the properties that hold them.
_RTL_MARKS = (
    (_PPR, "w:bidi"),
    (_RPR, "w:rtl"),
    (qn("w:tblPr"), "w:bidiVisual"),
    (qn("w:sectPr"), "w:bidi"),
)
#: What follows ``w:bidiVisual`` in CT_TblPr, and ``w:bidi`` in CT_SectPr (ECMA-376).
_AFTER_BIDI_VISUAL = (
    "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize",
    "w:tblW",
    "w:jc",
    "w:tblCellSpacing",
    "w:tblInd",
    "w:tblBorders",
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)
_AFTER_SECTION_BIDI = ("w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


#: What follows ``w:bidi`` in a paragraph's properties (ECMA-376 CT_PPr), so that a new
#: one goes where Word expects it.
_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def set_direction(p: Any, target: str) -> None:
    """A paragraph translated into a right-to-left language reads right to left."""
    if direction(target) != "rtl":
        return
    ppr = p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(ppr.makeelement(qn("w:bidi"), {}), *_AFTER_BIDI)
    for run in p.iter(_R):
        run.get_or_add_rPr().get_or_add_rtl()

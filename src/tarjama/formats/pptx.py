"""PowerPoint presentations (PPTX), read and written as their DrawingML.

Every paragraph (``a:p``) of every slide, in the presentation's order, is a block: text
boxes, placeholders, shapes, groups and tables; then the slide's speaker notes; then the
presentation's title and subject (``docProps/core.xml``). In a paragraph, the run
formatting that covers most of its text is the paragraph's own, and each run formatted
otherwise (bold, italic, a colour, a hyperlink, which DrawingML keeps in the run's
properties) is a paired code around its words, as in a DOCX. A line break (``a:br``)
keeps its place between words; a field (a slide number, a date) and anything else stays
whole as a standalone code. Layouts, masters, charts and SmartArt are kept as they are.

On writing, runs are rebuilt with the formatting of the words they now hold; ``lang`` (and
``altLang``) naming the source names the target; into Arabic every translated paragraph
and table reads right to left (``rtl="1"``), into English none does.

The zip is checked by :mod:`.zips` before any part is parsed (see :mod:`.packages`).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from typing import Any

from lxml import etree

from ..errors import InputError
from .base import BlockResult, direction, same_language
from .inline import Block, Close, Code, Open, Point, Token
from .packages import Package, dublin_core, local_name, set_texts

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_SLIDE = _OFFICE + "slide"
_NOTES = _OFFICE + "notesSlide"
_MAIN = _OFFICE + "officeDocument"
CORE = "docProps/core.xml"
PROPERTIES = ("title", "subject")


def _a(name: str) -> str:
    return f"{{{A}}}{name}"


_PARA, _RUN, _TEXT, _RPR, _PPR, _BR = map(_a, ("p", "r", "t", "rPr", "pPr", "br"))
_END = _a("endParaRPr")
#: Properties that carry a language, and those that carry a direction.
_LANG_HOLDERS = frozenset(map(_a, ("rPr", "endParaRPr", "defRPr")))


def _format_key(rpr: Any) -> bytes:
    if rpr is None:
        return b""
    # The language and the spell-check state are no formatting: a run that differs only
    # in them is the paragraph's own.
    bare = copy.copy(rpr)
    for attr in ("lang", "altLang", "dirty", "err", "noProof", "smtClean"):
        bare.attrib.pop(attr, None)
    key: bytes = etree.tostring(bare)
    return key


class _Paragraph:
    """A paragraph being read: its tokens, and the formatting of its plain text."""

    def __init__(self, p: Any) -> None:
        self.p = p
        weight: dict[bytes, int] = {}
        first: dict[bytes, Any] = {}
        for r in p.findall(_RUN):
            key = _format_key(r.find(_RPR))
            weight[key] = weight.get(key, 0) + len(r.findtext(_TEXT) or "")
            first.setdefault(key, r.find(_RPR))
        self.base = max(weight, key=lambda k: weight[k]) if weight else b""
        self.base_rpr = first.get(self.base)
        self.tokens: list[Token] = list(self._content())

    def _content(self) -> Iterator[Token]:
        open_format: tuple[bytes, Code] | None = None
        for child in self.p:
            if child.tag in (_PPR, _END):
                continue
            key = _format_key(child.find(_RPR)) if child.tag == _RUN else None
            if open_format is not None and key != open_format[0]:
                yield Close(open_format[1])
                open_format = None
            if child.tag != _RUN:
                name = "br" if child.tag == _BR else local_name(str(child.tag))
                yield Point(Code(name, False, child))
                continue
            if key != self.base and open_format is None:
                assert key is not None
                open_format = (key, Code(_run_name(child), True, child.find(_RPR)))
                yield Open(open_format[1])
            yield child.findtext(_TEXT) or ""
        if open_format is not None:
            yield Close(open_format[1])


def _run_name(run: Any) -> str:
    rpr = run.find(_RPR)
    if rpr is None:
        return "run"
    names = [n for n in ("b", "i", "u", "strike") if rpr.get(n) not in (None, "0", "none")]
    if rpr.find(_a("hlinkClick")) is not None:
        names.append("link")
    return "+".join(names) or "run"


class PptxDocument:
    kind = "pptx"

    def __init__(self, data: bytes, where: str = "PPTX") -> None:
        self.package = Package(data, where, "a PowerPoint presentation")
        self.parts = self._story(where)
        self.paragraphs: list[_Paragraph] = []
        self.blocks: list[Block] = []
        for name in self.parts:
            for p in self.package.xml(name).iter(_PARA):
                para = _Paragraph(p)
                block = Block(para.tokens)
                if block.text.strip():
                    self.paragraphs.append(para)
                    self.blocks.append(block)
        core = self.package.xml(CORE) if CORE in self.package else None
        self.properties = dublin_core(core, PROPERTIES) if core is not None else []
        self.blocks.extend(Block([el.text]) for el in self.properties)

    def _story(self, where: str) -> list[str]:
        """The slides in the presentation's order, each followed by its notes."""
        main = next(
            (t for kind, t in self.package.relationships("").values() if kind == _MAIN), None
        )
        if main is None or main not in self.package:
            raise InputError(f"{where} is a zip archive but not a PowerPoint presentation")
        rels = self.package.relationships(main)
        parts: list[str] = []
        for sld in self.package.xml(main).iter(f"{{{P}}}sldId"):
            kind, slide = rels.get(sld.get(f"{{{R}}}id", ""), ("", ""))
            if kind != _SLIDE or slide not in self.package:
                continue
            parts.append(slide)
            notes = [t for k, t in self.package.relationships(slide).values() if k == _NOTES]
            parts.extend(n for n in notes if n in self.package)
        return parts

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        n = len(self.paragraphs)
        for para, result in zip(self.paragraphs, results[:n], strict=True):
            _rebuild(para, result.tokens)
            set_direction(para.p, target)
        set_texts(self.properties, results[n:])
        for name in self.parts:
            root = self.package.xml(name)
            switch_language(root, source, target)
            for tblpr in root.iter(_a("tblPr")):
                _set_rtl(tblpr, target)
        return self.package.write()


def _rebuild(para: _Paragraph, tokens: Sequence[Token]) -> None:
    """Replace the paragraph's runs with the translated tokens, between its properties
    and its end-of-paragraph properties."""
    p = para.p
    for child in list(p):
        if child.tag not in (_PPR, _END):
            p.remove(child)
    built: list[Any] = []
    formats: list[Any] = []  # the rPr of each open formatting code
    last: tuple[Any, bytes] | None = None  # the run text goes on, and its format
    for token in tokens:
        if isinstance(token, str):
            rpr = formats[-1] if formats else para.base_rpr
            key = _format_key(rpr)
            if last is not None and last[1] == key:
                last[0].text += token
                continue
            run = p.makeelement(_RUN, {})
            if rpr is not None:
                run.append(copy.deepcopy(rpr))
            text = etree.SubElement(run, _TEXT)
            text.text = token
            built.append(run)
            last = (text, key)
        elif isinstance(token, Open):
            formats.append(token.code.data)
        elif isinstance(token, Close):
            formats.pop()
        else:
            built.append(token.code.data)
            last = None
    end = p.find(_END)
    for el in built:
        if end is not None:
            end.addprevious(el)
        else:
            p.append(el)


def _set_rtl(props: Any, target: str) -> None:
    if direction(target) == "rtl":
        props.set("rtl", "1")
    elif props.get("rtl") is not None:
        props.set("rtl", "0")


def set_direction(p: Any, target: str) -> None:
    """A paragraph translated into a right-to-left language reads right to left; one
    translated out of it no longer does (``rtl="0"``, over what a master gives)."""
    ppr = p.find(_PPR)
    if ppr is None:
        if direction(target) != "rtl":
            return
        ppr = p.makeelement(_PPR, {})
        p.insert(0, ppr)
    _set_rtl(ppr, target)


def switch_language(root: Any, source: str, target: str) -> None:
    for el in root.iter(*_LANG_HOLDERS):
        for attr in ("lang", "altLang"):
            if same_language(el.get(attr), source):
                el.set(attr, target)

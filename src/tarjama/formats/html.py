"""HTML, a whole page or a CMS fragment, read and written with lxml.

Blocks are the runs of inline content of each block element (a paragraph, a heading, a
list item, a table cell, the ``<title>``): text and inline elements up to the next block
element. Inline elements with text (``<b>``, ``<a>``, ``<span>``...) are paired codes;
``<br>``, ``<img>``, comments and everything that must stay untouched are standalone codes
that keep their element whole: ``<code>``, ``<kbd>``, ``<script>``, ``<style>``, ``<svg>``,
``<time>``, ``<audio>``, ``<video>``, ``<canvas>``, ``<embed>``, ``<applet>`` (with ``<pre>``
and ``<address>``, what LibreTranslate leaves alone), and any element with
``translate="no"`` or the class ``notranslate``. Block elements that must stay untouched
(``<pre>``, ``<address>``, ``<script>``, ``<style>``, ``translate="no"``) are skipped. Every
untouched element comes back byte for byte, attributes included (:mod:`.verbatim`).
``alt`` and ``title`` attributes are blocks of their own. On writing, ``lang`` and ``dir``
name the target language (see :func:`switch_language`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import lxml.html
from lxml import etree

from ..errors import DecodeError, InputError
from .base import BlockResult, decode_markup, direction, legacy_text, same_language
from .inline import Block, Close, Code, Open, Point, Token
from .trees import fill, shallow
from .verbatim import Verbatim, untouched

#: The deepest nesting read (libxml2's own default limit, which it applied by cutting the
#: page; a news page nests 20 to 40 deep).
MAX_DEPTH = 256
#: The most elements read: a long news page has a few thousand, a book-length page tens of
#: thousands; each costs about 0.5 KB of blocks once collected (see docs/formats.md).
MAX_ELEMENTS = 250_000

#: Inline elements whose text is translated: paired codes around it.
INLINE = frozenset(
    [
        "a",
        "abbr",
        "acronym",
        "b",
        "bdi",
        "bdo",
        "big",
        "button",
        "cite",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "ins",
        "label",
        "mark",
        "nobr",
        "output",
        "q",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "tt",
        "u",
    ]
)
#: Inline elements kept whole, as standalone codes.
KEPT_INLINE = frozenset(
    [
        "br",
        "wbr",
        "img",
        "code",
        "kbd",
        "samp",
        "var",
        "input",
        "select",
        "textarea",
        "svg",
        "math",
        "object",
        "embed",
        "iframe",
        "picture",
        "video",
        "audio",
        "canvas",
        "map",
        "script",
        "style",
        "noscript",
        "template",
        "ruby",
        "time",
        "applet",
    ]
)
#: Block elements whose content is never translated.
KEPT_BLOCKS = frozenset(
    [
        "pre",
        "address",
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "textarea",
        # Read as raw text by the parser (HTML5): kept as written rather than escaped.
        "noframes",
        "noembed",
    ]
)
#: Attributes libxml2's HTML writer would rewrite (percent-encoded, trimmed) or drop (the
#: Content-Type ``<meta>``): their values are written back as they were read.
_WRITER_REWRITES = frozenset(
    [
        "href",
        "src",
        "action",
        "name",
        "background",
        "cite",
        "longdesc",
        "usemap",
        "data",
        "formaction",
        "poster",
        "codebase",
        "classid",
        "profile",
        "http-equiv",
    ]
)
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
#: Attributes whose text is translated.
ATTRIBUTES = ("alt", "title")

_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*", re.I)
_DOCUMENT = re.compile(r"^\s*(?:<!--.*?-->\s*)*(?:<!doctype|<html)", re.I | re.S)
_DOCTYPE = re.compile(r"^\s*(?:<!--.*?-->\s*)*<!doctype", re.I | re.S)
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([\w-]+)", re.I)


def _untouched(el: Any) -> bool:
    return untouched(el.attrib)


def _kept(tag: str, attrs: dict[str, str | None]) -> bool:
    """Whether the element is left alone whole, content included (so kept byte for byte)."""
    return tag in KEPT_INLINE or tag in KEPT_BLOCKS or untouched(attrs)


def _kind(el: Any) -> str:
    """How an element takes part in a run: "paired", "point" or "block"."""
    if not isinstance(el.tag, str):
        return "point"  # a comment or a processing instruction
    tag = el.tag.lower()
    if tag in KEPT_INLINE or (tag in INLINE and _untouched(el)):
        return "point"
    if tag in INLINE and not any(_kind(c) == "block" for c in el):
        return "paired"
    return "block"


@dataclass
class _Run:
    """A run of inline content: ``parent.text`` (no ``anchor``) or ``anchor.tail``, and
    the inline children that follow it."""

    parent: Any
    anchor: Any | None
    children: list[Any]


@dataclass
class _Attribute:
    element: Any
    name: str


class HtmlDocument:
    kind = "html"

    def __init__(self, data: bytes, where: str = "HTML", *, xhtml: bool = False) -> None:
        text = _decode(data, where)
        # XHTML: lxml.html reads it without its XML declaration; it is written back as XML
        # (and so is any page read with ``xhtml``, as an EPUB's content documents are).
        declaration = _DECLARATION.match(text)
        self.xhtml = xhtml or declaration is not None
        if declaration is not None:
            text = text[declaration.end() :]
        self.verbatim = Verbatim(text, _kept)
        text = self.verbatim.text
        self.whole = bool(_DOCUMENT.match(text))
        self.root = _parse(text, where, whole=self.whole)
        # libxml2 gives a page without one HTML 4's doctype: only a declared one is kept.
        declared = self.whole and _DOCTYPE.match(text)
        self.doctype = self.root.getroottree().docinfo.doctype if declared else ""
        self.places: list[_Run | _Attribute] = []
        self.blocks: list[Block] = []
        self._collect(self.root)

    # -- reading -----------------------------------------------------------------------

    def _collect(self, container: Any) -> None:
        if _untouched(container) or str(container.tag).lower() in KEPT_BLOCKS:
            return
        self._attributes(container)
        run = _Run(container, None, [])
        for child in container:
            if _kind(child) == "block":
                self._flush(run)
                self._collect(child)
                run = _Run(container, child, [])
            else:
                run.children.append(child)
                if _kind(child) == "paired":
                    self._attributes_within(child)
                elif isinstance(child.tag, str) and not _untouched(child):
                    self._attributes(child)  # <img alt>, <abbr title>
        self._flush(run)

    def _attributes_within(self, el: Any) -> None:
        self._attributes(el)
        for child in el:
            if _kind(child) == "paired":
                self._attributes_within(child)
            elif isinstance(child.tag, str) and not _untouched(child):
                self._attributes(child)

    def _attributes(self, el: Any) -> None:
        if not isinstance(el.tag, str):
            return
        for name in ATTRIBUTES:
            value = el.get(name)
            if value and value.strip():
                self.places.append(_Attribute(el, name))
                self.blocks.append(Block([value]))

    def _flush(self, run: _Run) -> None:
        tokens = list(_tokens(run))
        block = Block(tokens)
        if block.text.strip():
            self.places.append(run)
            self.blocks.append(block)

    # -- writing -------------------------------------------------------------------------

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        # Attributes first: rebuilt inline elements copy them from the originals.
        for place, result in zip(self.places, results, strict=True):
            if isinstance(place, _Attribute):
                place.element.set(
                    place.name, "".join(t for t in result.tokens if isinstance(t, str))
                )
        for place, result in zip(self.places, results, strict=True):
            if isinstance(place, _Run):
                _replace(place, result.tokens)
        switch_language(self.root, source, target, whole=self.whole)
        if self.whole:
            _declare_utf8(self.root)
            if self.xhtml:
                _as_xhtml(self.root)
                xml: bytes = etree.tostring(
                    self.root.getroottree(),
                    doctype=self.doctype or None,
                    encoding="utf-8",
                    xml_declaration=True,
                )
                return self._restored(xml) + b"\n"
            values = _protect(self.root, self.verbatim.marker)
            out: bytes = lxml.html.tostring(
                self.root, doctype=self.doctype or None, encoding="utf-8", method="html"
            )
            return _unprotect(self._restored(out), self.verbatim.marker, values) + b"\n"
        values = _protect(self.root, self.verbatim.marker)
        inner = (self.root.text or "") + "".join(
            lxml.html.tostring(c, encoding="unicode", method="html") for c in self.root
        )
        written = self.verbatim.restore(inner).encode("utf-8")
        return _unprotect(written, self.verbatim.marker, values)

    def _restored(self, written: bytes) -> bytes:
        return self.verbatim.restore(written.decode("utf-8")).encode("utf-8")


def _parse(text: str, where: str, *, whole: bool) -> Any:
    """The page's tree, whole or refused: never cut.

    Without ``huge_tree`` libxml2 silently drops a text node or attribute over 10 MB (an
    inline ``data:`` image) and everything after it, and cuts nesting at 256 levels; with it,
    it still stops at 2048 levels. Any fatal parser error is a refusal, and so is nesting
    past :data:`MAX_DEPTH`, since the blocks are collected recursively.
    """
    parser = lxml.html.HTMLParser(huge_tree=True)
    try:
        if whole:
            root = lxml.html.document_fromstring(text, parser=parser)
        else:
            root = lxml.html.fragment_fromstring(text, create_parent="div", parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"{where} cannot be read as HTML: {exc}") from None
    fatal = [e for e in parser.error_log if e.level == etree.ErrorLevels.FATAL]
    if fatal:
        message = fatal[0].message.strip().split(",")[0]
        raise InputError(f"{where} cannot be read whole as HTML: {message}; refused")
    depth, elements = nesting(root)
    if elements > MAX_ELEMENTS:  # before blocks are built: they cost far more than the tree
        raise InputError(f"{where} holds {elements} elements; at most {MAX_ELEMENTS} are read")
    if depth > MAX_DEPTH:
        raise InputError(
            f"{where} nests elements {depth} deep; at most {MAX_DEPTH} levels are read"
        )
    return root


def nesting(root: Any) -> tuple[int, int]:
    """How deep elements nest under ``root``, and how many there are, without recursion."""
    deepest = count = 0
    stack = [(root, 0)]
    while stack:
        el, depth = stack.pop()
        deepest, count = max(deepest, depth), count + 1
        stack.extend((child, depth + 1) for child in el)
    return deepest, count


def _decode(data: bytes, where: str) -> str:
    """UTF-8, or the charset the page declares (Arabic pages still come in windows-1256).

    Only a decoding error falls back to the declared charset: the size cap and the NUL
    check hold for every page."""
    try:
        return decode_markup(data, where, legacy=False)
    except DecodeError:
        found = _CHARSET.search(data[:4096])
        if not found:
            # No declaration: the legacy encoding that fits best.
            text = legacy_text(data, where)
            if text is None:
                raise
            return text
        try:
            return data.decode(found.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            raise InputError(
                f"{where} is neither UTF-8 nor the {found.group(1).decode('ascii')} it declares"
            ) from None


def _tokens(run: _Run) -> Iterator[Token]:
    yield (run.anchor.tail if run.anchor is not None else run.parent.text) or ""
    for child in run.children:
        yield from _element_tokens(child)
        yield child.tail or ""


def _element_tokens(el: Any) -> Iterator[Token]:
    if _kind(el) == "point":
        yield Point(Code(el.tag if isinstance(el.tag, str) else "comment", False, el))
        return
    code = Code(str(el.tag), True, el)
    yield Open(code)
    yield el.text or ""
    for child in el:
        yield from _element_tokens(child)
        yield child.tail or ""
    yield Close(code)


def _replace(run: _Run, tokens: Sequence[Token]) -> None:
    """Put the translated run in place of the original one."""
    parent = run.parent
    index = parent.index(run.children[0]) if run.children else None
    if index is None:
        index = parent.index(run.anchor) + 1 if run.anchor is not None else 0
    for child in run.children:
        parent.remove(child)
    holder = parent.makeelement("span", {})
    fill(holder, tokens, paired=lambda code: shallow(code.data), point=lambda code: code.data)
    lead = holder.text or ""
    if run.anchor is not None:
        run.anchor.tail = lead
    else:
        parent.text = lead
    for offset, child in enumerate(list(holder)):
        parent.insert(index + offset, child)


def switch_language(root: Any, source: str, target: str, *, whole: bool) -> None:
    """``lang`` of the source language becomes the target's, and ``dir`` follows; a whole
    page's ``<html>`` gets both. Untouched regions keep theirs."""
    skip: set[Any] = set()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        if _untouched(el) or (parent is not None and parent in skip):
            skip.add(el)
            continue
        if same_language(el.get("xml:lang"), source):
            el.set("xml:lang", target)
        if same_language(el.get("lang"), source):
            el.set("lang", target)
            if el.get("dir") is not None:
                el.set("dir", direction(target))
        elif el.get("dir") == direction(source) and el.get("lang") is None:
            el.set("dir", direction(target))
    if whole and root.tag == "html":
        root.set("lang", target)
        if root.get("dir") is not None or direction(target) == "rtl":
            root.set("dir", direction(target))


def _declare_utf8(root: Any) -> None:
    """The page is written in UTF-8; its ``<meta>`` must say so (one that does already is
    left as written)."""
    for meta in root.iter("meta"):
        charset = meta.get("charset")
        if charset is not None and not _says_utf8(charset):
            meta.set("charset", "utf-8")
        equiv = (meta.get("http-equiv") or "").lower() == "content-type"
        content = (meta.get("content") or "").lower().partition("charset=")[2]
        if charset is None and equiv and not _says_utf8(content):
            meta.set("content", "text/html; charset=utf-8")


def _says_utf8(charset: str) -> bool:
    return charset.strip().lower().replace("-", "") == "utf8"


def _protect(root: Any, marker: str) -> dict[str, str]:
    """Swap the values :data:`_WRITER_REWRITES` names for markers; returns marker ->
    value, for :func:`_unprotect` to write back after serialising."""
    values: dict[str, str] = {}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            if name.lower() in _WRITER_REWRITES:
                key = f"{marker}-v{len(values)}"
                values[key] = value
                el.set(name, key)
    return values


def _unprotect(written: bytes, marker: str, values: dict[str, str]) -> bytes:
    if not values:
        return written

    def value(m: re.Match[bytes]) -> bytes:
        text = values[m.group().decode("ascii")]
        return text.replace("&", "&amp;").replace('"', "&quot;").encode("utf-8")

    return re.sub(re.escape(marker.encode("ascii")) + rb"-v\d+", value, written)


def _as_xhtml(root: Any) -> None:
    """libxml2 writes XHTML with an ``xml:lang`` beside each ``lang``; the HTML parser read
    the source's ``xml:lang`` as a plain attribute, which would then come out twice. It
    becomes the real one, in its place."""
    for el in root.iter():
        if not isinstance(el.tag, str) or "xml:lang" not in el.attrib:
            continue
        items = list(el.attrib.items())
        el.attrib.clear()
        for k, v in items:
            el.set(_XML_LANG if k == "xml:lang" else k, v)

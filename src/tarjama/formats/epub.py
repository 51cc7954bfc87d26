"""EPUB 2 and 3 books: their XHTML content documents through the HTML path, and their
titles.

The package document (OPF) that ``META-INF/container.xml`` names lists the content
documents; each XHTML one (the spine's in reading order, then the others, the EPUB 3
navigation document among them) is read by :class:`~.html.HtmlDocument` and written back
as XHTML, so a book gets exactly what a page gets (blocks, inline codes, untouched
elements, ``lang`` and ``dir``). The book's ``dc:title`` and ``dc:description``, and the
EPUB 2 table of contents (the NCX's title and labels) are blocks too.

On writing, ``dc:language`` and the package's ``xml:lang`` naming the source name the
target, and so does the NCX's; the spine's ``page-progression-direction`` follows the
target's direction.

The zip is checked by :mod:`.zips` before any part is parsed, the XHTML, OPF and NCX parts
included (their elements counted; a DOCTYPE may name XHTML's or the NCX's DTD, never
declare entities).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote

from ..errors import InputError
from .base import BlockResult, direction, same_language
from .html import HtmlDocument
from .inline import Block
from .packages import Package, dublin_core, set_texts, switch_dc_language

OPF = "http://www.idpf.org/2007/opf"
NCX = "http://www.daisy.org/z3986/2005/ncx/"
_CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MIMETYPE = b"application/epub+zip"
#: The parts check_zip parses as XML besides ``*.xml``.
MARKUP = (".xhtml", ".html", ".htm", ".opf", ".ncx")
#: Book metadata translated.
PROPERTIES = ("title", "description")
_XHTML = "application/xhtml+xml"


def _part(folder: str, href: str) -> str:
    """The zip entry a manifest's ``href`` (relative to the OPF, percent-encoded) names."""
    return posixpath.normpath(posixpath.join(folder, unquote(href)))


class EpubDocument:
    kind = "epub"

    def __init__(self, data: bytes, where: str = "EPUB") -> None:
        self.package = Package(data, where, "an EPUB book", markup=MARKUP)
        if self.package.entries.get("mimetype", b"").strip() != MIMETYPE:
            raise InputError(f"{where} is a zip archive but not an EPUB book (no mimetype)")
        container = self.package.xml("META-INF/container.xml")
        rootfile = next(container.iter(f"{{{_CONTAINER}}}rootfile"), None)
        self.opf_name = rootfile.get("full-path", "") if rootfile is not None else ""
        if not self.opf_name:
            raise InputError(f"{where} is an EPUB book that names no package document")
        self.opf = self.package.xml(self.opf_name, public_dtd=True)
        folder = posixpath.dirname(self.opf_name)
        items = {
            item.get("id"): item
            for item in self.opf.iter(f"{{{OPF}}}item")
            if item.get("media-type") == _XHTML and item.get("href")
        }
        spine = [r.get("idref") for r in self.opf.iter(f"{{{OPF}}}itemref")]
        order = [i for i in spine if i in items] + [i for i in items if i not in spine]
        self.pages: list[tuple[str, HtmlDocument]] = []
        self.blocks: list[Block] = []
        for item_id in dict.fromkeys(order):
            name = _part(folder, items[item_id].get("href", ""))
            if name not in self.package:
                raise InputError(f"{where} lists {name}, which it does not hold")
            page = HtmlDocument(self.package.entries[name], f"{where}: {name}", xhtml=True)
            self.pages.append((name, page))
            self.blocks.extend(page.blocks)
        self.labels = dublin_core(self.opf, PROPERTIES)
        self.ncx = self._ncx(items_of=self.opf, folder=folder)
        if self.ncx is not None:
            for holder in self.ncx.iter(f"{{{NCX}}}docTitle", f"{{{NCX}}}navLabel"):
                found = holder.iter(f"{{{NCX}}}text")
                self.labels.extend(el for el in found if (el.text or "").strip())
        self.blocks.extend(Block([el.text]) for el in self.labels)

    def _ncx(self, items_of: Any, folder: str) -> Any | None:
        for item in items_of.iter(f"{{{OPF}}}item"):
            if item.get("media-type") == "application/x-dtbncx+xml":
                name = _part(folder, item.get("href", ""))
                if name in self.package:
                    return self.package.xml(name, public_dtd=True)
        return None

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        at = 0
        for name, page in self.pages:
            size = len(page.blocks)
            self.package.put(
                name, page.write(results[at : at + size], source=source, target=target)
            )
            at += size
        set_texts(self.labels, results[at:])
        for root in (self.opf, self.ncx):
            if root is None:
                continue
            if same_language(root.get(_XML_LANG), source):
                root.set(_XML_LANG, target)
            switch_dc_language(root, source, target)
        if self.opf.get("dir") is not None:
            self.opf.set("dir", direction(target))
        for spine in self.opf.iter(f"{{{OPF}}}spine"):
            if spine.get("page-progression-direction") or direction(target) == "rtl":
                spine.set("page-progression-direction", direction(target))
        return self.package.write()

"""Documents that are XML in a zip (ODT, ODP, PPTX, EPUB), read and written as their parts.

The zip is checked first (:func:`.zips.check_zip`: entries inflated in bounded chunks
against their real size, XML elements counted while parsing, DOCTYPEs refused), so that
reading its entries afterwards is bounded. Only the parts that hold text are parsed, with
lxml's safe settings; on writing, those parts are serialised again and every other entry is
copied byte for byte, in the archive's order and with its compression (an ODF or EPUB
``mimetype`` stays first and stored).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from lxml import etree

from ..errors import InputError
from .base import BlockResult, parse_xml, same_language
from .inline import Close, Code, Open, Point, Token, text_of
from .zips import check_zip

_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
#: Dublin Core, where ODF, OPC and EPUB keep a document's title, subject and language.
DC = "http://purl.org/dc/elements/1.1/"


class Package:
    """A checked zip: its entries' bytes, and the parts rewritten so far."""

    def __init__(self, data: bytes, where: str, kind: str, *, markup: tuple[str, ...] = ()) -> None:
        check_zip(data, where, kind, markup=markup)
        self.where, self.kind = where, kind
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                self.infos = archive.infolist()
                # Bounded: check_zip inflated each entry against its declared size.
                self.entries = {i.filename: archive.read(i) for i in self.infos}
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
            raise InputError(f"{where} is a damaged zip archive: {exc}") from None
        self.trees: dict[str, Any] = {}

    def __contains__(self, name: str) -> bool:
        return name in self.entries

    def xml(self, name: str, *, public_dtd: bool = False) -> Any:
        """The parsed part ``name`` (parsed once; what is changed in it is written back)."""
        if name not in self.trees:
            if name not in self.entries:
                raise InputError(f"{self.where} is a zip archive but not {self.kind} (no {name})")
            where = f"{self.where}: {name}"
            self.trees[name] = parse_xml(self.entries[name], where, public_dtd=public_dtd)
        return self.trees[name]

    def put(self, name: str, data: bytes) -> None:
        self.entries[name] = data

    def relationships(self, name: str) -> dict[str, tuple[str, str]]:
        """An OPC part's relationships: id -> (type, the target's part name)."""
        folder, base = posixpath.split(name)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.entries:
            return {}
        out = {}
        for rel in self.xml(rels).iter(_RELS):
            if rel.get("TargetMode") == "External":
                continue
            target = posixpath.normpath(posixpath.join(folder, rel.get("Target", "")))
            out[rel.get("Id", "")] = (rel.get("Type", ""), target.lstrip("/"))
        return out

    def write(self) -> bytes:
        """The archive with its parsed parts serialised again, everything else as it was."""
        for name, root in self.trees.items():
            tree = root.getroottree()
            self.entries[name] = etree.tostring(
                tree,
                encoding="UTF-8",
                xml_declaration=True,
                # lxml reads an absent declaration as "no", which is its meaning anyway
                standalone=True if tree.docinfo.standalone else None,
            )
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as archive:
            for info in self.infos:
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.compress_type = info.compress_type
                copy.external_attr = info.external_attr
                archive.writestr(copy, self.entries[info.filename])
        return out.getvalue()


def mixed_tokens(
    el: Any, paired: frozenset[str], names: dict[str, str], spaces: str | None = None
) -> Iterator[Token]:
    """The tokens of an element whose text is mixed content (ODF's ``text:p``): its text
    and tails as text, children whose tag is in ``paired`` as paired codes around their
    own tokens, every other child whole as a standalone code, named by ``names`` (a line
    break ``br``, a tab ``tab``) or by its local name. ``spaces`` is the tag of a space
    element (ODF's ``text:s``), read as that many spaces of text."""
    yield el.text or ""
    for child in el:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag in paired:
            code = Code(names.get(tag, local_name(tag)), True, child)
            yield Open(code)
            yield from mixed_tokens(child, paired, names, spaces)
            yield Close(code)
        elif tag and tag == spaces:
            yield " " * max(1, min(_count(child), 1000))
        else:
            yield Point(Code(names.get(tag, local_name(tag) or "comment"), False, child))
        yield child.tail or ""


def _count(el: Any) -> int:
    for name, value in el.attrib.items():
        if local_name(name) == "c":
            return int(value) if str(value).isdigit() else 1
    return 1


def local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def dublin_core(root: Any, names: Sequence[str]) -> list[Any]:
    """The Dublin Core elements ``names`` (``title``, ``subject``, ...) under ``root`` that
    hold text: each is a block of its own."""
    found = (el for name in names for el in root.iter(f"{{{DC}}}{name}"))
    return [el for el in found if (el.text or "").strip()]


def set_texts(elements: Sequence[Any], results: Sequence[BlockResult]) -> None:
    """Each element's text replaced by its block's translation (text only: no codes)."""
    for el, result in zip(elements, results, strict=True):
        el.text = text_of(result.tokens)


def switch_dc_language(root: Any, source: str, target: str) -> None:
    for el in root.iter(f"{{{DC}}}language"):
        if same_language(el.text, source):
            el.text = target

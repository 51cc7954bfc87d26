"""Zip-based documents (DOCX, and any format that is XML in a zip) checked before a library
opens them.

A zip declares each entry's size, and a liar declares small ones: :mod:`zipfile` trusts
them, and its ``read`` inflates all of an entry's compressed bytes in one call before it
cuts them to the declared size (a 1 MB file took 2.1 GB). So every entry is inflated here,
in bounded chunks, against the bytes it really holds: more than it declares, or more than
:data:`MAX_UNCOMPRESSED` in all, is refused after at most one chunk too many. Each XML part
is parsed while it inflates, its elements counted and dropped as they end, so that a part
with millions of tiny elements is refused before any library builds its tree; a DOCTYPE in
any XML part (``[Content_Types].xml`` and ``.rels`` included) is refused too.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import Any

from lxml import etree

from ..errors import InputError
from .base import check_size

#: Most entries and uncompressed bytes a zip-based document may hold (a long article with
#: many pictures has a few hundred entries and tens of MB).
MAX_ENTRIES = 5000
MAX_UNCOMPRESSED = 256 * 2**20
MAX_ZIP_BYTES = 64 * 2**20
#: Most XML elements in all the parts together: a 300-page report has about 300,000; a
#: DOCX of 1.2 million took 14 s and 225 MB to read (see docs/formats.md).
MAX_ELEMENTS = 1_000_000

#: Inflated bytes per step: the most memory one step of the check takes.
_CHUNK = 2**20
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_XML_SUFFIXES = (".xml", ".rels")
#: A DOCTYPE with an internal subset, where entities are declared.
_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*\[")


def check_zip(data: bytes, where: str, kind: str = "DOCX", *, markup: tuple[str, ...] = ()) -> None:
    """Refuse what is not a zip, a zip bomb, a liar and hostile XML, before anything
    inflates more than a chunk of it. Entries named ``*.xml`` and ``*.rels`` are XML that
    may have no DOCTYPE; those whose names end in one of ``markup`` (an EPUB's ``.xhtml``,
    ``.opf``, ``.ncx``) are XML whose DOCTYPE may name a DTD (XHTML 1.1's, the NCX's) but
    declare nothing itself. Both are counted."""
    check_size(data, where, MAX_ZIP_BYTES)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError(f"{where} is not a {kind} file (not a zip archive)") from None
    if len(entries) > MAX_ENTRIES:
        raise InputError(f"{where} holds {len(entries)} zip entries; at most {MAX_ENTRIES}")
    declared = sum(e.file_size for e in entries)
    if declared > MAX_UNCOMPRESSED:  # an honest bomb, refused before inflating anything
        raise InputError(
            f"{where} would inflate to {declared / 2**20:.0f} MB; at most "
            f"{MAX_UNCOMPRESSED / 2**20:g} MB (a zip bomb?)"
        )
    budget = _Budget(where)
    view = memoryview(data)
    for entry in entries:
        size = 0
        name = entry.filename.lower()
        public = bool(markup) and name.endswith(markup)
        xml = None
        if public or name.endswith(_XML_SUFFIXES):
            xml = _XmlCount(where, entry.filename, budget, doctype=public)
        for chunk in _inflate(view, entry, where):
            size += len(chunk)
            budget.spend(len(chunk))
            if size > entry.file_size:
                raise InputError(
                    f"{where}: zip entry {entry.filename} holds more than the "
                    f"{entry.file_size} bytes it declares; refused"
                )
            if xml is not None:
                xml.feed(chunk)
        if xml is not None:
            xml.close()


class _Budget:
    """The bytes all entries together may inflate to, and the elements their XML holds."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.spent = 0
        self.elements = 0

    def element(self) -> None:
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise InputError(f"{self.where} holds more than {MAX_ELEMENTS} XML elements; refused")

    def spend(self, n: int) -> None:
        self.spent += n
        if self.spent > MAX_UNCOMPRESSED:
            raise InputError(
                f"{self.where} inflates to more than {MAX_UNCOMPRESSED / 2**20:g} MB "
                "(a zip bomb?); refused"
            )


def _inflate(view: memoryview, entry: zipfile.ZipInfo, where: str) -> Iterator[bytes]:
    """An entry's bytes, inflated at most :data:`_CHUNK` at a time."""
    start = entry.header_offset
    header = bytes(view[start : start + _LOCAL_HEADER.size])
    if len(header) < _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise InputError(f"{where} is a damaged zip archive (entry {entry.filename})")
    fields = _LOCAL_HEADER.unpack(header)
    begin = start + _LOCAL_HEADER.size + fields[-2] + fields[-1]
    raw = view[begin : begin + entry.compress_size]
    if entry.compress_type == zipfile.ZIP_STORED:
        for at in range(0, len(raw), _CHUNK):
            yield bytes(raw[at : at + _CHUNK])
        return
    if entry.compress_type != zipfile.ZIP_DEFLATED:
        raise InputError(
            f"{where}: zip entry {entry.filename} uses compression method "
            f"{entry.compress_type}; only stored and deflated entries are read"
        )
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    try:
        for at in range(0, len(raw), _CHUNK):
            pending = bytes(raw[at : at + _CHUNK])
            while pending and not inflater.eof:
                out = inflater.decompress(pending, _CHUNK)
                pending = inflater.unconsumed_tail
                if out:
                    yield out
        if not inflater.eof:
            yield inflater.flush()
    except zlib.error as exc:
        raise InputError(f"{where} is a damaged zip archive: {exc}") from None


class _XmlCount:
    """One XML part parsed as it inflates: elements counted and dropped as they end."""

    def __init__(self, where: str, name: str, budget: _Budget, *, doctype: bool) -> None:
        self.where, self.name, self.budget = where, name, budget
        #: Whether a DOCTYPE may name a DTD (one with an internal subset never may).
        self.doctype = doctype
        self.parser = etree.XMLPullParser(
            events=("end",), resolve_entities=False, no_network=True, load_dtd=False
        )
        self.head = b""

    def feed(self, chunk: bytes) -> None:
        if len(self.head) < 4096:
            self.head += chunk[:4096]
            if _DOCTYPE.search(self.head) if self.doctype else b"<!DOCTYPE" in self.head:
                raise InputError(
                    f"{self.where}: {self.name} has a DOCTYPE "
                    "(it declares XML entities or a DTD); refused"
                )
        try:
            self.parser.feed(chunk)
        except etree.XMLSyntaxError as exc:
            raise InputError(f"{self.where} holds XML that cannot be read: {exc}") from None
        self._drain()

    def close(self) -> None:
        try:
            self.parser.close()
        except etree.XMLSyntaxError as exc:
            raise InputError(f"{self.where} holds XML that cannot be read: {exc}") from None
        self._drain()

    def _drain(self) -> None:
        for _, el in self.parser.read_events():
            self.budget.element()
            _drop(el)


def _drop(el: Any) -> None:
    """Free what has been counted: the element's content and its earlier siblings."""
    el.clear()
    parent = el.getparent()
    while parent is not None and el.getprevious() is not None:
        del parent[0]

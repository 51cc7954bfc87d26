"""What every format implements, and the safety rules all of them share.

A format reads bytes into a :class:`Formatted` document: its blocks (see :mod:`.inline`)
and a ``write`` that puts translated blocks back into the same structure. Reading never
changes anything; writing happens once, after translation, so that a refused or failed
document leaves nothing half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from lxml import etree

from ..document import Paragraph, decode_bytes, normalize_newlines
from ..errors import DecodeError, InputError
from .inline import Block, Token

_log = logging.getLogger(__name__)

#: The most a markup document (HTML, XLIFF, subtitles, Markdown) may weigh: a long article
#: with its page is well under 1 MB; 20 MB leaves room for inline images.
MAX_MARKUP_BYTES = 20 * 2**20

#: Languages written right to left (for ``dir``).
RTL = frozenset({"ar", "fa", "he", "ur", "ps", "yi"})


@dataclass
class BlockResult:
    """One block translated: its tokens, and its paragraph of the report (segments with
    their origins and issues, for formats that can carry them, like XLIFF)."""

    tokens: list[Token]
    paragraph: Paragraph


class Formatted(Protocol):
    """A document read by a format."""

    #: The format's name (``html``, ``docx``, ...).
    kind: str
    blocks: list[Block]

    def write(self, results: Sequence[BlockResult], *, source: str, target: str) -> bytes:
        """The document with each block replaced by its translation (same order)."""
        ...


@runtime_checkable
class NamesLanguages(Protocol):
    """A document that names its language pair (XLIFF): one meant for another pair is
    refused before anything is translated."""

    def check_languages(self, source: str, target: str) -> None: ...


def direction(lang: str) -> str:
    return "rtl" if lang.split("-")[0].lower() in RTL else "ltr"


def same_language(code: str | None, lang: str) -> bool:
    """``ar-SA`` and ``ar`` name the same language."""
    return bool(code) and str(code).replace("_", "-").split("-")[0].lower() == lang.lower()


def check_size(data: bytes, where: str, limit: int = MAX_MARKUP_BYTES) -> None:
    if len(data) > limit:
        raise InputError(
            f"{where} is {len(data) / 2**20:.1f} MB; a document may be at most {limit / 2**20:g} MB"
        )


def decode_markup(data: bytes, where: str, *, legacy: bool = True) -> str:
    """A markup document's text: capped in size, UTF-8 (a BOM allowed), UTF-16 or UTF-32
    by its byte-order mark, or else (with ``legacy``) a legacy single-byte encoding
    (:func:`legacy_text`)."""
    check_size(data, where)
    try:
        return decode_bytes(data, where)
    except DecodeError:
        text = legacy_text(data, where) if legacy else None
        if text is None:
            raise
        return text


#: The single-byte encodings Arabic and Western documents still come in.
LEGACY = ("cp1256", "iso8859_6", "cp1252")


def legacy_text(data: bytes, where: str) -> str | None:
    """``data`` read in the legacy encoding (:data:`LEGACY`) charset-normalizer finds most
    coherent; None if none fits. What was read is logged."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(LEGACY)).best()
    if best is None:
        return None
    _log.warning("%s is not UTF-8; read it as %s", where, best.encoding)
    return normalize_newlines(str(best))


#: XML from users: no DTD loading, no entity resolution, no network.
_XML = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


_ENTITIES = "{where} declares XML entities (an external entity or entity expansion); refused"


def parse_xml(
    data: bytes, where: str, *, remove_blank_text: bool = False, public_dtd: bool = False
) -> Any:
    """Parse an XML document safely; a document that declares entities is refused.

    External entities (XXE) and entity expansion (billion laughs) both need an entity
    declaration in a DTD; no legitimate XLIFF or DOCX part has one, so any is an error.
    With ``public_dtd``, a DOCTYPE may name a DTD (an EPUB 2 NCX names its own), which is
    never loaded; entities declared in the document are refused all the same.
    """
    parser = etree.XMLParser(remove_blank_text=remove_blank_text, **_XML)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "entit" in str(exc).lower():  # libxml2 stopped an expansion itself
            raise InputError(_ENTITIES.format(where=where)) from None
        raise InputError(f"{where} is not well-formed XML: {exc}") from None
    refuse_entities(root, where, public_dtd=public_dtd)
    return root


def refuse_entities(root: Any, where: str, *, public_dtd: bool = False) -> None:
    docinfo = root.getroottree().docinfo
    for dtd in (docinfo.internalDTD, docinfo.externalDTD):
        if dtd is not None and (list(dtd.iterentities()) or (dtd.system_url and not public_dtd)):
            raise InputError(_ENTITIES.format(where=where))
    if (docinfo.system_url or docinfo.public_id) and not public_dtd:
        raise InputError(f"{where} refers to an external DTD; refused")


def cap_text(blocks: Sequence[Block], where: str, limit: int | None) -> None:
    """Refuse a document with more than ``limit`` characters to translate."""
    cap_chars(sum(len(b.text) for b in blocks), where, limit)


def cap_chars(size: int, where: str, limit: int | None) -> None:
    """Refuse more than ``limit`` characters to translate (None or -1: no limit)."""
    if limit is not None and 0 <= limit < size:
        raise InputError(f"{where} holds {size} characters to translate; the limit is {limit}")

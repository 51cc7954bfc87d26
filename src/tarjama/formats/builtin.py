"""The formats tarjama reads, each one class: names, suffixes, how its content shows, and
its reader (imported on use: a face that only lists the formats loads no document
library)."""

from __future__ import annotations

import re

from .base import Formatted
from .registry import DocumentFormat

_XML_HEAD = rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*"
_XLIFF = re.compile(_XML_HEAD + rb"<(?:\w+:)?xliff\b", re.S)
_HTML = re.compile(_XML_HEAD + rb"<(?:!doctype\s+html|html\b|head\b|body\b)", re.I | re.S)
_SRT = re.compile(rb"^\s*\d+\s*\r?\n\s*\d+:\d+:\d+[,.]\d+\s*-->")
_VTT = re.compile(rb"^WEBVTT(?:[ \t\r\n]|$)")


class TextFormat(DocumentFormat):
    kind = "txt"
    suffixes = (".txt",)
    media_type = "text/plain; charset=utf-8"
    description = "plain text, one paragraph per line"
    formatted = False


class HtmlFormat(DocumentFormat):
    kind = "html"
    suffixes = (".html", ".htm")
    media_type = "text/html; charset=utf-8"
    description = "HTML page or fragment"

    def sniff(self, head: bytes) -> bool:
        return bool(_HTML.match(head))

    def read(self, data: bytes, where: str) -> Formatted:
        from .html import HtmlDocument

        return HtmlDocument(data, where)


class DocxFormat(DocumentFormat):
    kind = "docx"
    suffixes = (".docx",)
    media_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    description = "Word document"

    def sniff(self, head: bytes) -> bool:
        return _office_open(head)

    def read(self, data: bytes, where: str) -> Formatted:
        from .docx import DocxDocument

        return DocxDocument(data, where)


class PptxFormat(DocumentFormat):
    kind = "pptx"
    suffixes = (".pptx",)
    media_type = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    description = "PowerPoint presentation"

    def sniff(self, head: bytes) -> bool:
        return _office_open(head)

    def read(self, data: bytes, where: str) -> Formatted:
        from .pptx import PptxDocument

        return PptxDocument(data, where)


class OdtFormat(DocumentFormat):
    kind = "odt"
    suffixes = (".odt",)
    media_type = "application/vnd.oasis.opendocument.text"
    description = "OpenDocument text"

    def sniff(self, head: bytes) -> bool:
        return _zip_mimetype(head) == self.media_type.encode()

    def read(self, data: bytes, where: str) -> Formatted:
        from .odf import OdfDocument

        return OdfDocument(data, where, self.kind, self.description)


class OdpFormat(OdtFormat):
    kind = "odp"
    suffixes = (".odp",)
    media_type = "application/vnd.oasis.opendocument.presentation"
    description = "OpenDocument presentation"


class EpubFormat(DocumentFormat):
    kind = "epub"
    suffixes = (".epub",)
    media_type = "application/epub+zip"
    description = "EPUB book"

    def sniff(self, head: bytes) -> bool:
        return _zip_mimetype(head) == self.media_type.encode()

    def read(self, data: bytes, where: str) -> Formatted:
        from .epub import EpubDocument

        return EpubDocument(data, where)


def _zip_mimetype(head: bytes) -> bytes | None:
    """What an ODF or EPUB file says it is: its first zip entry, ``mimetype``, stored."""
    if not head.startswith(b"PK\x03\x04") or head[30:38] != b"mimetype":
        return None
    size = int.from_bytes(head[18:22], "little")
    return head[38 : 38 + min(size, 128)].strip()


def _office_open(head: bytes) -> bool:
    """A zip that does not say it is something else (DOCX and PPTX are OPC packages, whose
    first entry can be any part: the two look alike until read)."""
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06")) and _zip_mimetype(head) is None


class XliffFormat(DocumentFormat):
    kind = "xliff"
    suffixes = (".xlf", ".xliff")
    media_type = "application/xliff+xml"
    description = "XLIFF 1.2 or 2.x"

    def sniff(self, head: bytes) -> bool:
        return bool(_XLIFF.match(head))

    def read(self, data: bytes, where: str) -> Formatted:
        from .xliff import XliffDocument

        return XliffDocument(data, where)


class SrtFormat(DocumentFormat):
    kind = "srt"
    suffixes = (".srt",)
    media_type = "application/x-subrip; charset=utf-8"
    description = "SubRip subtitles"

    def sniff(self, head: bytes) -> bool:
        return bool(_SRT.match(head))

    def read(self, data: bytes, where: str) -> Formatted:
        from .subtitles import SrtDocument

        return SrtDocument(data, where)


class VttFormat(DocumentFormat):
    kind = "vtt"
    suffixes = (".vtt",)
    media_type = "text/vtt; charset=utf-8"
    description = "WebVTT subtitles"

    def sniff(self, head: bytes) -> bool:
        return bool(_VTT.match(head))

    def read(self, data: bytes, where: str) -> Formatted:
        from .subtitles import VttDocument

        return VttDocument(data, where)


class MarkdownFormat(DocumentFormat):
    kind = "markdown"
    suffixes = (".md", ".markdown")
    media_type = "text/markdown; charset=utf-8"
    description = "Markdown"
    may_hold = ("html",)  # a Markdown file may open with an HTML block

    def read(self, data: bytes, where: str) -> Formatted:
        from .markdown import MarkdownDocument

        return MarkdownDocument(data, where)


BUILTIN: tuple[DocumentFormat, ...] = (
    TextFormat(),
    HtmlFormat(),
    DocxFormat(),
    XliffFormat(),
    SrtFormat(),
    VttFormat(),
    MarkdownFormat(),
    OdtFormat(),
    OdpFormat(),
    PptxFormat(),
    EpubFormat(),
)

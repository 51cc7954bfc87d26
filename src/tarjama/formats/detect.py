"""What a file's bytes hold, whatever its name says: a file whose extension lies is
refused with one line instead of being read as something it is not."""

from __future__ import annotations

import re

_HEAD = 2048
_BOM = b"\xef\xbb\xbf"
_XLIFF = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:\w+:)?xliff\b", re.S)
_HTML = re.compile(
    rb"^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html\b|head\b|body\b)",
    re.I | re.S,
)
_SRT = re.compile(rb"^\s*\d+\s*\r?\n\s*\d+:\d+:\d+[,.]\d+\s*-->")
_VTT = re.compile(rb"^WEBVTT(?:[ \t\r\n]|$)")


def sniff(data: bytes) -> str | None:
    """The format the content shows clearly (None when it shows none: text, Markdown, a
    fragment of HTML)."""
    head = data[:_HEAD]
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "docx"
    if head.startswith(_BOM):
        head = head[len(_BOM) :]
    if _VTT.match(head):
        return "vtt"
    if _XLIFF.match(head):
        return "xliff"
    if _HTML.match(head):
        return "html"
    if _SRT.match(head):
        return "srt"
    return None

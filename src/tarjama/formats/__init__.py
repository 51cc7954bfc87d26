"""Document formats in and out: blocks of text with inline codes, and writing them back.

``read(data, kind)`` checks that the bytes are what the format says (a DOCX must be a zip,
an XLIFF file XML with an ``<xliff>`` root, ...), caps their size, and returns a
:class:`~.base.Formatted` document: its blocks, and ``write`` to put translations back.
Plain text (``txt``) has no reader here: it is the pipeline's own paragraphs-per-line input.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import PurePath

from ..errors import InputError
from .base import MAX_MARKUP_BYTES, BlockResult, Formatted
from .detect import sniff
from .inline import Block, Code, Token

#: Every format, by name: (extensions, media type, what it is).
FORMATS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "txt": ((".txt",), "text/plain; charset=utf-8", "plain text, one paragraph per line"),
    "html": ((".html", ".htm"), "text/html; charset=utf-8", "HTML page or fragment"),
    "docx": (
        (".docx",),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document",
    ),
    "xliff": ((".xlf", ".xliff"), "application/xliff+xml", "XLIFF 1.2 or 2.x"),
    "srt": ((".srt",), "application/x-subrip; charset=utf-8", "SubRip subtitles"),
    "vtt": ((".vtt",), "text/vtt; charset=utf-8", "WebVTT subtitles"),
    "markdown": ((".md", ".markdown"), "text/markdown; charset=utf-8", "Markdown"),
}
KINDS = tuple(FORMATS)
#: Every extension tarjama reads, as LibreTranslate's ``supportedFilesFormat`` lists them.
EXTENSIONS = tuple(ext for exts, _, _ in FORMATS.values() for ext in exts)


#: Document formats people will try that tarjama does not read (yet): a clear refusal.
UNSUPPORTED = frozenset({".doc", ".odt", ".pptx", ".ppt", ".odp", ".pdf", ".epub", ".rtf"})


def kind_of(name: str, declared: str | None = None) -> str:
    """The format of a file: ``declared`` (``--input-format``), else its extension."""
    if declared is not None:
        if declared not in FORMATS:
            raise InputError(f"unknown input format '{declared}' (known: {', '.join(KINDS)})")
        return declared
    suffix = PurePath(name).suffix.lower()
    for kind, (exts, _, _) in FORMATS.items():
        if suffix in exts:
            return kind
    if suffix in UNSUPPORTED:
        raise InputError(
            f"{name}: {suffix} files are not supported (tarjama reads {', '.join(EXTENSIONS)})"
        )
    return "txt"  # stdin and any other name are plain text, as always


def media_type(kind: str) -> str:
    return FORMATS[kind][1]


def output_name(name: str, source: str, target: str, kind: str | None = None) -> str:
    """Where the translation of ``name`` goes: ``article.html`` -> ``article.en.html``;
    a name that says its language (``article.ar.html``) has it replaced."""
    path = PurePath(name)
    suffix = path.suffix or (FORMATS[kind][0][0] if kind else "")
    stem = path.stem if path.suffix else path.name
    if PurePath(stem).suffix.lower() == f".{source.lower()}":
        stem = PurePath(stem).stem
    return str(path.with_name(f"{stem}.{target}{suffix}"))


def read(data: bytes, kind: str, *, where: str = "input") -> Formatted:
    """The document in ``data``, read as ``kind`` (never ``txt``)."""
    found = sniff(data)
    if found is not None and found != kind and not (kind == "markdown" and found == "html"):
        raise InputError(
            f"{where} does not hold {FORMATS[kind][2]}: its content is {FORMATS[found][2]}"
        )
    if kind not in _READERS:
        raise InputError(f"{kind} is read as plain text, not as a formatted document")
    module, name = _READERS[kind]
    # Imported on use: a face that only lists the formats loads no document library.
    reader: Callable[[bytes, str], Formatted] = getattr(
        importlib.import_module(f".{module}", __name__), name
    )
    return reader(data, where)


_READERS = {
    "html": ("html", "HtmlDocument"),
    "docx": ("docx", "DocxDocument"),
    "xliff": ("xliff", "XliffDocument"),
    "srt": ("subtitles", "SrtDocument"),
    "vtt": ("subtitles", "VttDocument"),
    "markdown": ("markdown", "MarkdownDocument"),
}


__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "KINDS",
    "MAX_MARKUP_BYTES",
    "Block",
    "BlockResult",
    "Code",
    "Formatted",
    "Token",
    "kind_of",
    "media_type",
    "output_name",
    "read",
]

"""The one document-format registry: what each format is called, how its files are
recognised by name and by content, and how they are read (and so written back).

A format is one :class:`DocumentFormat` subclass and one :meth:`Registry.register`. The
CLI (``translate``, ``batch``), the server (``/translate_file``, ``/v1/translate``,
``supportedFilesFormat``) and batch jobs all ask a :class:`Registry`; the package's
default one (:data:`tarjama.formats.REGISTRY`) holds the built-in formats. A registry is
a plain picklable value, so a batch job hands it to its Ray workers with their work
instead of relying on what their interpreter happened to import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import PurePath
from typing import ClassVar

from ..errors import ConfigError, InputError
from .base import Formatted

#: The bytes a format's :meth:`DocumentFormat.sniff` sees: enough for any header.
SNIFF_BYTES = 2048
_BOM = b"\xef\xbb\xbf"

#: Document formats people will try that tarjama does not read, and what to do instead: a
#: clear refusal. PDF: see docs/formats.md ("PDF").
REFUSED: dict[str, str] = {
    ".pdf": "a PDF holds placed glyphs, not paragraphs to write a translation back into; "
    "convert it to DOCX or ODT (LibreOffice, Word) and translate that",
    ".doc": "convert it to DOCX or ODT",
    ".ppt": "convert it to PPTX or ODP",
    ".rtf": "convert it to DOCX or ODT",
}
UNSUPPORTED = frozenset(REFUSED)


class DocumentFormat:
    """A document format. A subclass sets the class attributes and fills :meth:`read`
    (and :meth:`sniff` when its content shows it); the :class:`~.base.Formatted` document
    that ``read`` returns writes the translation back in the same format.

    Instances must pickle (a batch job sends them to its workers): keep state out of them.
    """

    #: Its name (``--input-format``, the batch journal, the API's ``format``).
    kind: ClassVar[str] = ""
    #: File name endings, lower case with the dot; the first names an output without one.
    suffixes: ClassVar[tuple[str, ...]] = ()
    media_type: ClassVar[str] = "application/octet-stream"
    #: What it is, in words ("Word document").
    description: ClassVar[str] = ""
    #: False for plain text: the pipeline's own paragraphs-per-line input, with no reader.
    formatted: ClassVar[bool] = True
    #: Formats whose content may show inside this one (HTML inside Markdown).
    may_hold: ClassVar[tuple[str, ...]] = ()

    def sniff(self, head: bytes) -> bool:
        """Whether the first :data:`SNIFF_BYTES` (a UTF-8 BOM removed) clearly are this
        format; False when they show nothing (text, a fragment)."""
        return False

    def read(self, data: bytes, where: str) -> Formatted:
        """The document in ``data`` (``where`` names it in errors); bad input raises
        :class:`~tarjama.errors.InputError`."""
        raise InputError(f"{self.kind} is read as plain text, not as a formatted document")


class Registry:
    """Formats by kind and by suffix, in the order registered (sniffing asks them in it)."""

    def __init__(self, formats: Iterable[DocumentFormat] = ()) -> None:
        self._kinds: dict[str, DocumentFormat] = {}
        for fmt in formats:
            self.register(fmt)

    def register(self, fmt: DocumentFormat) -> DocumentFormat:
        """Add ``fmt``; a kind or suffix that another format holds is refused."""
        if not fmt.kind or not fmt.suffixes:
            raise ConfigError(f"{type(fmt).__name__} needs a kind and at least one suffix")
        if fmt.kind in self._kinds:
            raise ConfigError(f"the format '{fmt.kind}' is already registered")
        for suffix in fmt.suffixes:
            if suffix != suffix.lower() or not suffix.startswith("."):
                raise ConfigError(f"{fmt.kind}: a suffix is lower case with its dot: {suffix!r}")
            held = self.for_suffix(suffix)
            if held is not None:
                raise ConfigError(f"{suffix} is already the suffix of '{held.kind}'")
        self._kinds[fmt.kind] = fmt
        return fmt

    def unregister(self, kind: str) -> None:
        self._kinds.pop(kind, None)

    def copy(self) -> Registry:
        return Registry(self._kinds.values())

    def __iter__(self) -> Iterator[DocumentFormat]:
        return iter(list(self._kinds.values()))

    def __contains__(self, kind: object) -> bool:
        return kind in self._kinds

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    @property
    def extensions(self) -> tuple[str, ...]:
        """Every suffix, as LibreTranslate's ``supportedFilesFormat`` lists them."""
        return tuple(s for fmt in self._kinds.values() for s in fmt.suffixes)

    def get(self, kind: str) -> DocumentFormat:
        try:
            return self._kinds[kind]
        except KeyError:
            known = ", ".join(self._kinds)
            raise InputError(f"unknown input format '{kind}' (known: {known})") from None

    def for_suffix(self, suffix: str) -> DocumentFormat | None:
        suffix = suffix.lower()
        return next((f for f in self._kinds.values() if suffix in f.suffixes), None)

    def kind_of(self, name: str, declared: str | None = None) -> str:
        """The format of a file: ``declared`` (``--input-format``), else its extension;
        any other name (stdin, no extension) is plain text."""
        if declared is not None:
            return self.get(declared).kind
        suffix = PurePath(name).suffix.lower()
        fmt = self.for_suffix(suffix)
        if fmt is not None:
            return fmt.kind
        if suffix in REFUSED:
            raise InputError(
                f"{name}: {suffix} files are not supported: {REFUSED[suffix]} "
                f"(tarjama reads {', '.join(self.extensions)})"
            )
        return "txt"

    def media_type(self, kind: str) -> str:
        return self.get(kind).media_type

    def sniff(self, data: bytes) -> str | None:
        """The format the content shows clearly (None when it shows none; the first
        registered when several formats look alike, as DOCX and PPTX do)."""
        found = self._sniffed(data)
        return found[0].kind if found else None

    def _sniffed(self, data: bytes) -> list[DocumentFormat]:
        head = data[:SNIFF_BYTES]
        if head.startswith(_BOM):
            head = head[len(_BOM) :]
        return [f for f in self._kinds.values() if f.sniff(head)]

    def read(self, data: bytes, kind: str, *, where: str = "input") -> Formatted:
        """The document in ``data``, read as ``kind`` (never plain text); content that
        clearly is another format is refused with one line. Content that may be this
        format's (a DOCX and a PPTX look alike) is its reader's to judge."""
        fmt = self.get(kind)
        found = self._sniffed(data)
        if found and fmt not in found and not any(f.kind in fmt.may_hold for f in found):
            raise InputError(
                f"{where} does not hold {fmt.description}: "
                f"its content is {' or '.join(f.description for f in found)}"
            )
        return fmt.read(data, where)

    def output_name(self, name: str, source: str, target: str, kind: str | None = None) -> str:
        """Where the translation of ``name`` goes: ``article.html`` -> ``article.en.html``;
        a name that says its language (``article.ar.html``) has it replaced."""
        path = PurePath(name)
        suffix = path.suffix or (self.get(kind).suffixes[0] if kind else "")
        stem = path.stem if path.suffix else path.name
        if PurePath(stem).suffix.lower() == f".{source.lower()}":
            stem = PurePath(stem).stem
        return str(path.with_name(f"{stem}.{target}{suffix}"))

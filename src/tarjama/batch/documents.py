"""Formatted documents in a batch job, and the table of a job's formats.

A :class:`DocumentFile` wraps a format of :mod:`tarjama.formats` (HTML, DOCX, XLIFF, SRT,
WebVTT, Markdown, or one registered there); a :class:`JobFormats` is what one job reads:
plain text, JSONL and CSV records, and every formatted document of a registry. It is a
plain value handed to each backend, and so pickled to Ray workers with their work: a
format registered in the driver is known there too, whatever their interpreters imported.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from .. import formats
from ..errors import ConfigError, InputError
from ..pipeline import TranslatedFile, Translator
from .formats import (
    CsvFormat,
    Entry,
    Fields,
    Format,
    JsonlFormat,
    Source,
    TextFormat,
    digest,
    failure,
    read_bytes,
)


class DocumentFile(Format):
    """A formatted document of a registry (HTML, DOCX, ...): one document per file,
    translated whole by :meth:`Translator.translate_file`, written in its own format.

    Its bytes are read where it is translated, one document at a time, so that a pool of
    large files (a DOCX with its pictures) is never held in memory at once.
    """

    def __init__(
        self,
        fmt: formats.DocumentFormat,
        registry: formats.Registry,
        *,
        translate_all: bool = False,
    ) -> None:
        self.name, self.suffixes = fmt.kind, fmt.suffixes
        self.registry = registry
        #: Blocks already in the target language go to the model too (default: kept).
        self.translate_all = translate_all

    def scan(self, path: Path, fields: Fields) -> Iterator[Entry]:
        # Read once here: a file that is not what its name says fails at once, alone.
        try:
            data = read_bytes(path)
            doc = self.registry.read(data, self.name, where=str(path))
            chars = sum(len(b.text) for b in doc.blocks)
        except Exception as exc:  # any reader's failure is this document's alone
            yield Entry("", "", error=failure(exc))
            return
        yield Entry("", digest(data), chars=chars)

    def read(self, path: Path, entries: Sequence[Entry], fields: Fields) -> list[Source]:
        return [Source("", "", keep=str(path), whole=True)]

    def translate(self, translator: Translator, source: Source, where: str) -> TranslatedFile:
        """The file translated (its digest is set from the bytes translated)."""
        data = read_bytes(Path(source.keep))
        source.digest = digest(data)
        return translator.translate_file(
            data, self.name, where=where, registry=self.registry, translate_all=self.translate_all
        )


class JobFormats:
    """The formats of one job, by suffix: plain text, JSONL and CSV records, and every
    formatted document of ``registry`` (by default :data:`tarjama.formats.REGISTRY`, as it
    is when the job starts), whose blocks already in the target language are kept unless
    ``translate_all``. It pickles: each backend hands it to its workers."""

    def __init__(
        self, registry: formats.Registry | None = None, *, translate_all: bool = False
    ) -> None:
        docs = (registry or formats.REGISTRY).copy()
        self._by_suffix: dict[str, Format] = {}
        own: list[Format] = [TextFormat(), JsonlFormat(), CsvFormat()]
        every = translate_all
        documents = [DocumentFile(d, docs, translate_all=every) for d in docs if d.formatted]
        for fmt in [*own, *documents]:
            for suffix in fmt.suffixes:
                held = self._by_suffix.setdefault(suffix.lower(), fmt)
                if held is not fmt:
                    raise ConfigError(f"{suffix} is batch's {held.name}, not '{fmt.name}'")

    def for_path(self, path: Path) -> Format | None:
        return self._by_suffix.get(path.suffix.lower())

    def by_name(self, name: str) -> Format:
        for fmt in self._by_suffix.values():
            if fmt.name == name:
                return fmt
        raise InputError(f"unknown batch format '{name}'")

    def document(self, name: str) -> DocumentFile:
        """The formatted document format ``name``."""
        fmt = self.by_name(name)
        if not isinstance(fmt, DocumentFile):
            raise InputError(f"'{name}' is not a document format")
        return fmt

    def supported(self) -> str:
        return " ".join(sorted(self._by_suffix))

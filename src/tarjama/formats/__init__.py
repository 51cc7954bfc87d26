"""Document formats in and out: blocks of text with inline codes, and writing them back.

Every format is a :class:`~.registry.DocumentFormat` in a :class:`~.registry.Registry`;
:data:`REGISTRY` holds the built-in ones (:mod:`.builtin`) and :func:`register` adds one
there, for the CLI, the server and batch jobs alike. ``read(data, kind)`` checks that the
bytes are what the format says (a DOCX must be a zip, an XLIFF file XML with an
``<xliff>`` root, ...), caps their size, and returns a :class:`~.base.Formatted` document:
its blocks, and ``write`` to put translations back. Plain text (``txt``) has no reader
here: it is the pipeline's own paragraphs-per-line input.
"""

from __future__ import annotations

from .base import MAX_MARKUP_BYTES, BlockResult, Formatted, NamesLanguages
from .builtin import BUILTIN
from .inline import Block, Code, Token
from .registry import REFUSED, UNSUPPORTED, DocumentFormat, Registry

#: The default registry: the built-in formats and those :func:`register` adds.
REGISTRY = Registry(BUILTIN)


def register(fmt: DocumentFormat) -> DocumentFormat:
    """Add a format to the default registry (see :class:`~.registry.DocumentFormat`)."""
    return REGISTRY.register(fmt)


def kinds() -> tuple[str, ...]:
    return REGISTRY.kinds


def extensions() -> tuple[str, ...]:
    """Every extension tarjama reads, as LibreTranslate's ``supportedFilesFormat`` lists them."""
    return REGISTRY.extensions


def kind_of(name: str, declared: str | None = None) -> str:
    """The format of a file: ``declared`` (``--input-format``), else its extension."""
    return REGISTRY.kind_of(name, declared)


def media_type(kind: str) -> str:
    return REGISTRY.media_type(kind)


def output_name(name: str, source: str, target: str, kind: str | None = None) -> str:
    """Where the translation of ``name`` goes (see :meth:`Registry.output_name`)."""
    return REGISTRY.output_name(name, source, target, kind)


def read(data: bytes, kind: str, *, where: str = "input") -> Formatted:
    """The document in ``data``, read as ``kind`` (never ``txt``)."""
    return REGISTRY.read(data, kind, where=where)


def sniff(data: bytes) -> str | None:
    """The format the content shows clearly (None when it shows none)."""
    return REGISTRY.sniff(data)


__all__ = [
    "MAX_MARKUP_BYTES",
    "REFUSED",
    "REGISTRY",
    "UNSUPPORTED",
    "Block",
    "BlockResult",
    "Code",
    "DocumentFormat",
    "Formatted",
    "NamesLanguages",
    "Registry",
    "Token",
    "extensions",
    "kind_of",
    "kinds",
    "media_type",
    "output_name",
    "read",
    "register",
    "sniff",
]

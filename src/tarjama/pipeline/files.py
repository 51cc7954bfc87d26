"""Translating a file: read its format, translate its blocks, write the same format back.

Plain text goes through :meth:`Translator.translate_document` exactly as before; every
other format is read through a format registry (:mod:`tarjama.formats`), translated by
:func:`.blocks.translate_blocks` and written back only once everything is translated, so a
failure leaves nothing behind.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..document import MAX_INPUT_BYTES, TranslatedDocument, decode_bytes
from ..formats import REGISTRY, NamesLanguages, Registry
from ..formats.base import BlockResult, cap_chars, cap_text, check_size
from .blocks import translate_blocks

if TYPE_CHECKING:
    from .translator import Translator


@dataclass
class TranslatedFile:
    """A translated file: its bytes, its format, and the report (one paragraph per block)."""

    data: bytes
    kind: str
    document: TranslatedDocument
    media_type: str = "application/octet-stream"

    def to_json(self) -> dict[str, object]:
        return {"format": self.kind, **self.document.to_json()}


def translate_file(
    translator: Translator,
    data: bytes,
    kind: str,
    *,
    where: str = "input",
    char_limit: int | None = None,
    registry: Registry | None = None,
) -> TranslatedFile:
    """Translate the document ``data`` of format ``kind``, one of ``registry``'s (by
    default :data:`tarjama.formats.REGISTRY`).

    ``char_limit`` refuses a document with more text than that to translate (the server's
    limit); ``where`` names the input in error messages.
    """
    formats = registry or REGISTRY
    fmt = formats.get(kind)
    if not fmt.formatted:
        check_size(data, where, limit=MAX_INPUT_BYTES)
        text = decode_bytes(data, where)
        cap_chars(len(text), where, char_limit)
        doc = translator.translate_document(text)
        out = doc.text if doc.text.endswith("\n") or not doc.text else doc.text + "\n"
        return TranslatedFile(out.encode("utf-8"), kind, doc, fmt.media_type)
    document = formats.read(data, kind, where=where)
    if isinstance(document, NamesLanguages):  # an XLIFF file names its pair
        document.check_languages(translator.source, translator.target)
    cap_text(document.blocks, where, char_limit)
    done = translate_blocks(translator, document.blocks)
    results = [
        BlockResult(placed.tokens, para)
        for placed, para in zip(done.placed, done.document.paragraphs, strict=True)
    ]
    out_bytes = document.write(results, source=translator.source, target=translator.target)
    return TranslatedFile(out_bytes, kind, done.document, fmt.media_type)

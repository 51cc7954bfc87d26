"""Translating a file: read its format, translate its blocks, write the same format back.

Plain text goes through :meth:`Translator.translate_document` exactly as before; every
other format is read by :mod:`tarjama.formats`, translated by :func:`.blocks.translate_blocks`
and written back only once everything is translated, so a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..document import MAX_INPUT_BYTES, Paragraph, TranslatedDocument, decode_bytes
from ..formats import REGISTRY, NamesLanguages, Registry
from ..formats.base import BlockResult, Formatted, cap_chars, cap_text, check_size
from ..formats.budget import char_budget
from ..text.script import arabic_ratio
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
    #: Blocks already in the target language, written back as they were.
    in_target: int = 0

    def to_json(self) -> dict[str, object]:
        counted = {"already_in_target": self.in_target} if self.in_target else {}
        return {"format": self.kind, **counted, **self.document.to_json()}


#: Share of a block's letters in the target's script from which the block is taken as
#: already translated. Measured on the 59,791 lines of mozilla-eval (ar-en and en-ar): no
#: Arabic line has 90 % of its letters Latin (the lowest Arabic share is 0.5, the 0.1 %
#: quantile 0.59), and 99.9 % of English lines have.
IN_TARGET_SHARE = 0.9


def in_target(text: str, source: str, target: str) -> bool:
    """Whether ``text`` is already written in the target's script, when source and target
    are told apart by script (Arabic and a Latin-script language). Letterless text is not
    (it has no script to judge)."""
    if source == target or "ar" not in (source, target):
        return False
    if not any(ch.isalpha() for ch in text):
        return False
    ratio = arabic_ratio(text)
    return (ratio if target == "ar" else 1.0 - ratio) >= IN_TARGET_SHARE


def translate_file(
    translator: Translator,
    data: bytes,
    kind: str,
    *,
    where: str = "input",
    char_limit: int | None = None,
    registry: Registry | None = None,
    translate_all: bool = False,
) -> TranslatedFile:
    """Translate the document ``data`` of format ``kind``, one of ``registry``'s (by
    default :data:`tarjama.formats.REGISTRY`).

    ``char_limit`` refuses a document with more text than that to translate (the server's
    limit), counted while it is read; ``where`` names the input in error messages. A block
    of a formatted document already in the target language (:func:`in_target`) is written
    back as it was, unless ``translate_all``.
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
    with char_budget(char_limit, where):
        document = formats.read(data, kind, where=where)
    if isinstance(document, NamesLanguages):  # an XLIFF file names its pair
        document.check_languages(translator.source, translator.target)
    cap_text(document.blocks, where, char_limit)
    if translate_all:
        return translate_formatted(translator, [document], registry=formats)[0]
    source, target = translator.source, translator.target
    done = translate_formatted(
        translator,
        [document],
        registry=formats,
        wanted=lambda text: not in_target(text, source, target),
    )[0]
    done.in_target = sum(in_target(b.text, source, target) for b in document.blocks)
    return done


def translate_formatted(
    translator: Translator,
    documents: Sequence[Formatted],
    *,
    check: bool = True,
    wanted: Callable[[str], bool] | None = None,
    registry: Registry | None = None,
) -> list[TranslatedFile]:
    """Translate documents read by :func:`tarjama.formats.read` as one pool: the blocks of
    all of them in one :func:`.blocks.translate_blocks` call, then each written back.

    A block whose text fails ``wanted`` never reaches the pipeline and is written back as
    it was (the server's rule that a text without letters is given back unchanged); its
    paragraph in the report has no segments and its source as translation (``kept``).
    The report's ``text`` has one block a line, as a plain text document has one
    paragraph a line.
    """
    blocks = [b for d in documents for b in d.blocks if wanted is None or wanted(b.text)]
    done = translate_blocks(translator, blocks, check=check)
    translated = iter(zip(done.placed, done.document.paragraphs, strict=True))
    out: list[TranslatedFile] = []
    for document in documents:
        results = []
        for k, block in enumerate(document.blocks):
            if wanted is None or wanted(block.text):
                placed, para = next(translated)
                results.append(BlockResult(placed.tokens, _numbered(para, k)))
            else:
                results.append(BlockResult(list(block.tokens), Paragraph(k, block.text, kept=True)))
            results[-1].paragraph.separator = "\n"
        data = document.write(results, source=translator.source, target=translator.target)
        report = TranslatedDocument(
            paragraphs=[r.paragraph for r in results],
            source_lang=translator.source,
            target_lang=translator.target,
            model=done.document.model,
        )
        media_type = (registry or REGISTRY).get(document.kind).media_type
        out.append(TranslatedFile(data, document.kind, report, media_type))
    return out


def _numbered(para: Paragraph, index: int) -> Paragraph:
    """``para`` numbered as the ``index``-th block of its own document, not of the pool."""
    if para.index != index:
        para.index = index
        for seg in para.segments:
            seg.paragraph = index
            for issue in seg.issues:
                issue.paragraph = index + 1
    return para

"""Formatted documents through the one pipeline: blocks in, placed translations out.

Each block of a document (:class:`~tarjama.formats.inline.Block`) becomes one paragraph of
a :class:`~tarjama.document.TranslatedDocument`, split into sentences across its inline
codes. The sentences of all blocks go through the same stages, engine call and checks as
:meth:`Translator.translate_document` (:meth:`Translator.translate_segments`, then
:meth:`Translator.check`); the sentences that hold codes ask the engine for a
word alignment, and :func:`~tarjama.formats.placement.place` puts the codes back. How each
sentence's codes were placed becomes an issue when it was not by alignment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..document import Issue, Paragraph, Segment, TranslatedDocument
from ..fidelity import needs_a_look
from ..formats.inline import Block, Span, parse_markup, token_offsets, write_markup
from ..formats.placement import Placed, Sentence, place
from ..text import clean, split_sentences

if TYPE_CHECKING:
    from .translator import Translator

#: Line breaks inside a block are layout (HTML source lines), never sentence ends.
_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\u2028": " ", "\u2029": " "})


@dataclass
class TranslatedBlocks:
    """The blocks' report (one paragraph per block) and each block placed."""

    document: TranslatedDocument
    placed: list[Placed]


def split_blocks(translator: Translator, blocks: Sequence[Block]) -> TranslatedDocument:
    """One paragraph per block, its sentences as segments (nothing translated yet)."""
    doc = split_pair(blocks, translator.source, translator.target)
    doc.model = translator.signature
    return doc


def split_pair(blocks: Sequence[Block], source: str, target: str) -> TranslatedDocument:
    """:func:`split_blocks` for a language pair, without a translator (rendering again)."""
    doc = TranslatedDocument(paragraphs=[], source_lang=source, target_lang=target)
    for k, block in enumerate(blocks):
        para = Paragraph(index=k, source=block.text)
        sentences = split_sentences(block.text.translate(_BREAKS), source)
        markups = block.markups([(s.start, s.end) for s in sentences])
        for sent, markup in zip(sentences, markups, strict=True):
            para.segments.append(
                Segment(
                    paragraph=k,
                    index=len(para.segments),
                    source=sent.text,
                    start=sent.start,
                    end=sent.end,
                    normalized=clean(sent.text, source).text,
                    markup=markup,
                )
            )
        doc.paragraphs.append(para)
    return doc


def translate_blocks(
    translator: Translator, blocks: Sequence[Block], *, check: bool = True
) -> TranslatedBlocks:
    """Translate, check (unless ``check=False``) and place every block (see the module's
    docstring)."""
    doc = split_blocks(translator, blocks)
    # Only sentences with a paired code inside need the alignment (and pay for it).
    align = [
        any(isinstance(item, Span) for _, item, _, _ in local)
        for block, para in zip(blocks, doc.paragraphs, strict=True)
        for local in block.locals([(s.start, s.end) for s in para.segments])
    ]
    # Each sentence on its own: a memory span would leave sentences without the words
    # their inline codes are placed around.
    translator.translate_segments([[s] for s in doc.segments], align=align)
    if check:
        translator.check(doc)
    placed = [place_block(block, para) for block, para in zip(blocks, doc.paragraphs, strict=True)]
    return TranslatedBlocks(doc, placed)


def place_block(block: Block, para: Paragraph) -> Placed:
    """Put ``block``'s codes into its paragraph's translated segments; a code placed
    without a sure alignment becomes an issue on its segment."""
    sentences = [
        Sentence(
            s.start,
            s.end,
            s.translation,
            s.alignment,
            parse_markup(s.target_markup) if s.origin == "memory" and s.target_markup else None,
        )
        for s in para.segments
    ]
    result = place(block, sentences)
    offsets = token_offsets(result.tokens)
    for i, (seg, local) in enumerate(zip(para.segments, result.locals, strict=True)):
        if not local:
            continue
        start, end = result.offsets[i]
        seg.target_markup = write_markup(result.tokens, offsets, start, end, local)
        if result.failed:
            continue
        names = result.by_order.get(i)
        if names:
            why = "no word alignment" if seg.alignment is None else "the word alignment was unsure"
            warn_markup(
                para, seg, f"{listed_codes(names)} placed by word order ({why}): check the markup"
            )
        widened = result.widened.get(i)
        if widened:
            warn_markup(
                para,
                seg,
                f"{listed_codes(widened)} held no word where placed and now holds the nearest one: "
                "check the markup",
            )
    if result.failed and para.segments:
        seg = para.segments[0]
        _add(
            seg,
            Issue(
                check="markup",
                severity="error",
                message="the inline codes could not be put back in place; "
                "they follow the translated text",
                paragraph=para.index + 1,
                segment=seg.index,
            ),
        )
    return result


def warn_markup(para: Paragraph, seg: Segment, message: str) -> None:
    _add(
        seg,
        Issue(
            check="markup",
            severity="warning",
            message=message,
            paragraph=para.index + 1,
            segment=seg.index,
        ),
    )


def _add(seg: Segment, issue: Issue) -> None:
    """An issue found after the checks: a checked segment's risk counts it too."""
    seg.issues.append(issue)
    if seg.needs_a_look is not None:
        seg.needs_a_look = needs_a_look(seg.issues, seg.score)


def listed_codes(names: list[str]) -> str:
    tags = [f"<{n}>" for n in dict.fromkeys(names)]
    return ("inline code " if len(tags) == 1 else "inline codes ") + ", ".join(tags)

"""Writing a translated document again, with the editor's changes.

A document translated once keeps, beside its source bytes, what rendering needs of each
sentence (:func:`kept`): its translation, origin, word alignment, memory markup and
issues. :func:`render_file` reads the source again, splits it the same way, puts in the
kept sentences with the edited ones over them, and writes the format back. A sentence not
edited gets its alignment back, so its inline codes land where they landed before. An
edited one with inline codes is aligned anew when the caller can (``align``: the model's
:class:`~tarjama.engines.TargetAligner`, reading the editor's words as its own output), and
its codes go by that alignment; otherwise, or where the alignment is unsure, by word
order. Either way the segment says how (an issue, as when translating). Nothing else here
calls an engine.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..document import Issue, Paragraph, Segment, TranslatedDocument, decode_bytes
from ..engines import Alignment
from ..errors import InputError
from ..fidelity import needs_a_look
from ..formats import REGISTRY, Registry
from ..formats.base import BlockResult
from ..formats.inline import Block, Span
from .alignment import carry, word_map
from .blocks import listed_codes, place_block, split_pair, warn_markup
from .files import TranslatedFile
from .translator import segment

#: Aligns translations with their sources: (sources, translations) -> one alignment each
#: (source words to translation words), None where it cannot.
AlignTargets = Callable[[Sequence[str], Sequence[str]], Sequence[Alignment | None]]

#: What an editor may say of a sentence.
REVIEWS = ("approved", "edited")


@dataclass(frozen=True)
class Edit:
    """A sentence as the editor left it: ``paragraph`` and ``index`` as in the report."""

    paragraph: int
    index: int
    translation: str
    review: str = "edited"


def kept(doc: TranslatedDocument) -> list[list[dict[str, Any]]]:
    """What :func:`render_file` needs of each segment of a translation (JSON-able)."""
    return [
        [
            {
                "translation": s.translation,
                "origin": s.origin,
                "score": s.score,
                "alignment": [list(a) for a in s.alignment] if s.alignment is not None else None,
                "target_markup": s.target_markup,
                "covered_by": s.covered_by,
                "issues": [
                    {
                        "check": i.check,
                        "severity": i.severity,
                        "message": i.message,
                        "plain": i.plain,
                    }
                    for i in s.issues
                    if i.check != "markup"  # placement issues are found again
                ],
            }
            for s in p.segments
        ]
        for p in doc.paragraphs
    ]


def render_file(
    data: bytes,
    kind: str,
    *,
    source: str,
    target: str,
    segments: Sequence[Sequence[Mapping[str, Any]]],
    edits: Sequence[Edit],
    where: str = "document",
    registry: Registry | None = None,
    align: AlignTargets | None = None,
) -> TranslatedFile:
    """The document ``data`` (format ``kind``) written again from ``segments`` (see
    :func:`kept`) with ``edits`` over them; ``align`` aligns the edited sentences that
    hold inline codes (see the module)."""
    formats = registry or REGISTRY
    fmt = formats.get(kind)
    if not fmt.formatted:
        doc = _report(segment(decode_bytes(data, where), source).paragraphs, source, target)
        _fill(doc, segments, edits)
        text = doc.text if doc.text.endswith("\n") or not doc.text else doc.text + "\n"
        return TranslatedFile(text.encode("utf-8"), kind, doc, fmt.media_type)
    document = formats.read(data, kind, where=where)
    doc = split_pair(document.blocks, source, target)
    edited = _fill(doc, segments, edits)
    for para in doc.paragraphs:  # the report's text: one block a line, as when translated
        para.separator = "\n"
    coded = _with_codes(document.blocks, doc, edited)
    aligned = _realign(coded, align) if align is not None else set()
    results = []
    for block, para in zip(document.blocks, doc.paragraphs, strict=True):
        placed = place_block(block, para)
        for seg in para.segments:
            if id(seg) in aligned and seg.index not in placed.by_order:
                _placed_by_alignment(para, seg, _code_names(block, para, seg))
        results.append(BlockResult(placed.tokens, para))
    out = document.write(results, source=source, target=target)
    return TranslatedFile(out, kind, doc, fmt.media_type)


def _code_names(block: Block, para: Paragraph, seg: Segment) -> list[str]:
    """The names of the paired codes inside ``seg`` (a sentence of ``block``)."""
    local = block.locals([(s.start, s.end) for s in para.segments])[seg.index]
    return [item.code.name for _, item, _, _ in local if isinstance(item, Span)]


def _with_codes(
    blocks: Sequence[Block], doc: TranslatedDocument, edited: Sequence[Segment]
) -> list[Segment]:
    """The edited segments with a paired code inside: those an alignment would place."""
    return [s for s in edited if _code_names(blocks[s.paragraph], doc.paragraphs[s.paragraph], s)]


def _realign(coded: Sequence[Segment], align: AlignTargets) -> set[int]:
    """Give each segment the alignment of its source with its edited translation, where
    ``align`` finds one; returns the ids of those segments."""
    if not coded:
        return set()
    found = align([s.normalized for s in coded], [s.translation for s in coded])
    done = set()
    for seg, alignment in zip(coded, found, strict=True):
        if alignment:
            same = word_map(seg.translation, seg.translation)
            seg.alignment = carry(alignment, word_map(seg.normalized, seg.source), same)
            done.add(id(seg))
    return done


def _placed_by_alignment(para: Paragraph, seg: Segment, names: list[str]) -> None:
    warn_markup(
        para,
        seg,
        f"{listed_codes(names)} placed by word alignment with the edited translation: "
        "check the markup",
    )


def _report(paragraphs: list[Paragraph], source: str, target: str) -> TranslatedDocument:
    return TranslatedDocument(paragraphs=paragraphs, source_lang=source, target_lang=target)


def _fill(
    doc: TranslatedDocument, segments: Sequence[Sequence[Mapping[str, Any]]], edits: Sequence[Edit]
) -> list[Segment]:
    """Put the kept sentences in, and the edits over them; returns the segments whose
    words the editor changed."""
    shape = [len(p.segments) for p in doc.paragraphs]
    if shape != [len(p) for p in segments]:  # a change of the splitter since: say so
        raise InputError("the kept document no longer splits as it did; translate it again")
    for para, kept_para in zip(doc.paragraphs, segments, strict=True):
        for seg, k in zip(para.segments, kept_para, strict=True):
            _restore(seg, k)
    changed = []
    for edit in edits:
        if not (0 <= edit.paragraph < len(shape) and 0 <= edit.index < shape[edit.paragraph]):
            raise InputError(f"no sentence {edit.paragraph + 1}.{edit.index + 1} in this document")
        if edit.review not in REVIEWS:
            raise InputError(f"a sentence's review is one of {', '.join(REVIEWS)}")
        seg = doc.paragraphs[edit.paragraph].segments[edit.index]
        if edit.translation != seg.translation:  # new words: the old links no longer hold
            seg.translation = edit.translation
            seg.origin = "editor"
            seg.alignment = None
            seg.target_markup = None
            changed.append(seg)
        seg.review = edit.review
        seg.issues = []  # the editor's to judge now (an approval over errors was forced)
        seg.needs_a_look = 0.0
    return changed


def _restore(seg: Segment, k: Mapping[str, Any]) -> None:
    seg.translation = str(k.get("translation") or "")
    seg.origin = str(k.get("origin") or "model")
    alignment = k.get("alignment")
    seg.alignment = tuple((int(a), int(b)) for a, b in alignment) if alignment is not None else None
    seg.target_markup = k.get("target_markup")
    seg.covered_by = k.get("covered_by")
    seg.issues = [
        Issue(
            check=str(i["check"]),
            severity=str(i["severity"]),
            message=str(i["message"]),
            plain=str(i.get("plain") or ""),
            paragraph=seg.paragraph + 1,
            segment=seg.index,
        )
        for i in k.get("issues") or []
    ]
    score = k.get("score")
    seg.score = float(score) if isinstance(score, int | float) else None
    # Scored as when it was translated (a segment a memory match covers has no score).
    if seg.covered_by is None:
        seg.needs_a_look = needs_a_look(seg.issues, seg.score)

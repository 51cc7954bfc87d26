"""Fidelity: the checks on every translation (numbers, names, glossary, untranslated text,
omissions and additions, loops, quotations, empty output and low confidence), the
newsroom's glossary, and name matching. No engine inside: names are compared through an
injected ``transliterate`` callable.

>>> from tarjama.fidelity import check_pair
>>> [i.check for i in check_pair("بلغت الزيادة 6%.", "The increase was 9%.")]
['numbers', 'numbers']
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..document import Document, Issue, Segment, TranslatedDocument
from ..errors import InputError
from ..text.markup import unmarkup
from ..text.normalize import Cleaned
from .base import ERROR, WARNING, Check, Context
from .glossary import Glossary
from .length import OmissionCheck
from .names import NameMatcher
from .numbers import NumbersCheck
from .risk import needs_a_look, ranked
from .simple import ConfidenceCheck, EmptyCheck, QuotesCheck, RepetitionCheck, UntranslatedCheck
from .terms import GlossaryCheck, NamesCheck

__all__ = [
    "ERROR",
    "WARNING",
    "Check",
    "ConfidenceCheck",
    "Context",
    "EmptyCheck",
    "Glossary",
    "GlossaryCheck",
    "NameMatcher",
    "NamesCheck",
    "NumbersCheck",
    "OmissionCheck",
    "QuotesCheck",
    "RepetitionCheck",
    "UntranslatedCheck",
    "check_document",
    "check_pair",
    "check_paragraphs",
    "check_unit",
    "default_checks",
    "needs_a_look",
    "report",
]


def default_checks() -> list[Check]:
    return [
        EmptyCheck(),
        NumbersCheck(),
        NamesCheck(),
        GlossaryCheck(),
        UntranslatedCheck(),
        OmissionCheck(),
        RepetitionCheck(),
        QuotesCheck(),
        ConfidenceCheck(),
    ]


def check_pair(
    source: str,
    translation: str,
    *,
    source_lang: str = "ar",
    target_lang: str = "en",
    glossary: Glossary | None = None,
    names: NameMatcher | None = None,
    paragraph: int = 0,
    segment: int | None = None,
    unit: str = "paragraph",
    score: float | None = None,
    checks: Sequence[Check] | None = None,
) -> list[Issue]:
    """Run every check on one source text and its translation.

    Both texts are read once without HTML character references and tags (``&quot;`` is a
    quotation mark, not a lost quotation or the word "quot"); the issues' spans and quoted
    texts still point into the texts as given.
    """
    context = Context(source_lang, target_lang, paragraph, segment, unit, score, glossary, names)
    if not translation.strip():
        checks = [EmptyCheck()]  # nothing else can be said about an empty translation
    src, tgt = unmarkup(source), unmarkup(translation)
    issues = [i for c in (checks or default_checks()) for i in c.check(src.text, tgt.text, context)]
    if src.text != source or tgt.text != translation:
        for issue in issues:
            _point_into(issue, source, src, translation, tgt)
    return issues


def _point_into(issue: Issue, source: str, src: Cleaned, translation: str, tgt: Cleaned) -> None:
    """Move an issue's spans from the decoded texts back into the texts as given."""
    if issue.source_span:
        issue.source_span = src.original_span(*issue.source_span)
        issue.source_text = source[issue.source_span[0] : issue.source_span[1]]
    if issue.target_span:
        issue.target_span = tgt.original_span(*issue.target_span)
        issue.target_text = translation[issue.target_span[0] : issue.target_span[1]]


def check_paragraphs(
    source_text: str,
    translation_text: str,
    *,
    source_lang: str = "ar",
    target_lang: str = "en",
    glossary: Glossary | None = None,
    names: NameMatcher | None = None,
    checks: Sequence[Check] | None = None,
) -> list[Issue]:
    """Check a paragraph-aligned pair of texts (a human's, another system's, ours)."""
    src = Document.parse(source_text).paragraphs
    tgt = Document.parse(translation_text).paragraphs
    if len(src) != len(tgt):
        raise InputError(
            f"the texts are not paragraph-aligned: {len(src)} source paragraphs, "
            f"{len(tgt)} in the translation"
        )
    checks = checks or default_checks()
    return [
        issue
        for s, t in zip(src, tgt, strict=True)
        for issue in check_pair(
            s.source,
            t.source,
            source_lang=source_lang,
            target_lang=target_lang,
            glossary=glossary,
            names=names,
            paragraph=s.index,
            checks=checks,
        )
    ]


def report(issues: Sequence[Issue]) -> dict[str, Any]:
    """The JSON report of a check: the issues, how many are errors and warnings, and the
    risk order (:func:`.risk.ranked`): the highest "needs a look" score and the paragraphs
    (segments, when the issues name them) to read first.

    ``tarjama check --format json`` prints it and ``/v1/check`` answers it.
    """
    errors = sum(i.severity == ERROR for i in issues)
    worst, first = ranked(issues)
    return {
        "issues": [i.to_json() for i in issues],
        "errors": errors,
        "warnings": len(issues) - errors,
        "needs_a_look": worst,
        "look_first": first,
    }


def check_document(
    doc: TranslatedDocument,
    *,
    glossary: Glossary | None = None,
    names: NameMatcher | None = None,
    checks: Sequence[Check] | None = None,
) -> list[Issue]:
    """Check each translated segment of ``doc`` and attach the issues to it.

    A memory match covering several segments is checked as one unit (their sources
    joined against its one translation), and its issues go on its first segment.
    An issue's ``paragraph`` is its paragraph's ``index`` (from 0), as everywhere in the
    JSON; only the text report of ``tarjama check`` numbers paragraphs from 1.
    """
    checks = checks or default_checks()
    found: list[Issue] = []
    for unit in (u for p in doc.paragraphs for u in p.units()):
        found += check_unit(unit, doc, glossary=glossary, names=names, checks=checks)
    return found


def check_unit(
    unit: Sequence[Segment],
    doc: TranslatedDocument,
    *,
    glossary: Glossary | None = None,
    names: NameMatcher | None = None,
    checks: Sequence[Check] | None = None,
) -> list[Issue]:
    """Check one unit of ``doc`` (:meth:`~tarjama.document.Paragraph.units`) as
    :func:`check_document` does, and attach its issues: a streamed document's units are
    checked one by one as they are translated."""
    seg = unit[0]
    issues = check_pair(
        " ".join(s.source for s in unit),
        seg.translation,
        source_lang=doc.source_lang,
        target_lang=doc.target_lang,
        glossary=glossary,
        names=names,
        paragraph=seg.paragraph,
        segment=seg.index,
        unit="segment",
        score=seg.score,
        checks=checks or default_checks(),
    )
    seg.issues.extend(issues)
    seg.needs_a_look = needs_a_look(seg.issues, seg.score)
    return issues

"""Unit tables for each fidelity check, and the sample article: clean, then with planted errors."""

from __future__ import annotations

import pytest

from tarjama.document import Document, Segment, TranslatedDocument
from tarjama.engines.characters import Transliterator
from tarjama.fidelity import (
    ConfidenceCheck,
    Context,
    EmptyCheck,
    NumbersCheck,
    OmissionCheck,
    QuotesCheck,
    RepetitionCheck,
    UntranslatedCheck,
    check_document,
    check_pair,
    check_paragraphs,
)
from tarjama.fidelity.names import NameMatcher
from tarjama.text.numbers import read_quantities

from ..conftest import ARTICLE_AR, ARTICLE_EN, TRANSLIT_MODEL

TRANSLIT = TRANSLIT_MODEL


@pytest.mark.parametrize(
    ("ar", "en", "flagged"),
    [
        ("تبلغ ٣٫٥ مليار ريال", "costs 3.5 billion riyals", False),
        ("تبلغ ٣٫٥ مليار ريال", "costs 3,500 million riyals", False),
        ("تبلغ ٣٫٥ مليار ريال", "costs 5.3 billion riyals", True),
        ("نحو 12 ألف وظيفة", "about 12,000 jobs", False),
        ("نحو 12 ألف وظيفة", "about 12 thousand jobs", False),
        ("نحو 12 ألف وظيفة", "about 21,000 jobs", True),
        ("بنسبة 40%", "by 40 percent", False),
        ("بنسبة ٤٠٪", "by 40%", False),
        ("بنسبة 40%", "by 14%", True),
        ("وصل إلى 6,34 بوصة", "reached 6.34 inches", False),
        ("مساحة 783،562 كيلومتر", "an area of 783,562 km", False),
        ("في 19 دولة", "in nineteen countries", False),
        ("عشرة ملايين وثيقة", "ten million documents", False),
        ("منذ الستينيات", "since the 1960s", False),
        ("منذ الستينيات", "since the sixties", False),
        ("منذ الستينيات", "since then", True),
        ("منذ الستينيات", "since the 9960s", True),
        ("الساعة 14:00", "at 2 pm", False),
        ("الساعة ٩:٣٠ صباحاً", "at 9:30 am", False),
        ("الساعة 12:00 بتوقيت جرينتش", "at 1200 GMT", False),
        ("في عام 2023", "in 2023", False),
        ("في عام 2023", "last year", True),
        ("سجل هدفين", "He had 2 goals", False),
        ("القرن الحادي عشر والثاني عشر", "the 11th and 12th centuries", False),
        ("من 1990 إلى 2000", "from 1990 to 2000", False),
        ("من 1990 إلى 2000", "from 2000 to 1990", True),
        ("بين 5 و 10 أشخاص", "between 5 and 7 people", True),
        ("قال الرئيس", "the president said on 5 May", True),
        ("don&#39;t", "don&#39;t", False),
        ("في الحرب العالمية الثانية", "in World War II", False),
        ("في الحرب العالمية الثانية", "in WWII", False),
        ("في الحرب العالمية الثانية", "in the war", True),
        ("منذ القرن الثامن عشر", "since the 18th century", False),
        ("منذ القرن الثامن عشر", "since the eighteenth century", False),
        ("منذ القرن الثامن عشر", "for centuries", True),
        ("الملك لويس السادس عشر", "King Louis XVI", False),
        ("طيلة الأربعين عاماً القادمة", "for the next 40 years", False),
        ("طيلة الأربعين عاماً القادمة", "for the next years", True),
        ("خلال خمس سنوات", "within five years", False),
        ("خلال خمس سنوات", "within years", True),
        ("في الخامس من أغسطس", "on August 5", False),
        ("في الخامس من أغسطس", "in August", True),
    ],
)
def test_numbers(ar: str, en: str, flagged: bool) -> None:
    assert bool(NumbersCheck().check(ar, en, Context())) is flagged


@pytest.mark.parametrize(
    ("en", "ar", "flagged"),
    [
        ("It costs 3.5 billion riyals.", "تبلغ ٣٫٥ مليار ريال.", False),
        ("It costs 3.5 billion riyals.", "تبلغ 3.5 مليار ريال.", False),
        ("It costs 3.5 billion riyals.", "تبلغ ٥٫٣ مليار ريال.", True),
        ("About 12,000 jobs.", "نحو 12 ألف وظيفة.", False),
        ("Five years.", "خمس سنوات.", False),
        ("Within 5 years.", "خلال خمس سنوات.", False),
        ("Within 5 years.", "خلال سنوات.", True),
    ],
)
def test_numbers_into_arabic(en: str, ar: str, flagged: bool) -> None:
    context = Context(source_lang="en", target_lang="ar")
    assert bool(NumbersCheck().check(en, ar, context)) is flagged


def test_number_spans_point_into_the_original_text() -> None:
    text = "بلغت الزيادة ـ ٣٫٥ مليار"
    (q,) = [q for q in read_quantities(text, "ar") if q.exact]
    assert text[q.start : q.end] == "٣٫٥ مليار"
    assert {"3.5", "3500000000"} <= q.keys


@pytest.mark.parametrize(
    ("source", "translation", "target", "flagged"),
    [
        ("قال الوزير", "The minister said", "en", False),
        ("قال الوزير", "The الوزير said", "en", True),
        ("قال الوزير", "The minister قال said", "en", True),
        ("The minister said", "قال الوزير", "ar", False),
        ("The BBC said", "قالت BBC", "ar", False),
        ("The minister said", "قال the minister", "ar", True),
    ],
)
def test_untranslated(source: str, translation: str, target: str, flagged: bool) -> None:
    context = Context(source_lang="en" if target == "ar" else "ar", target_lang=target)
    assert bool(UntranslatedCheck().check(source, translation, context)) is flagged


@pytest.mark.parametrize(
    ("translation", "flagged"),
    [
        ("He had had enough.", False),
        ("Bora Bora is an island.", False),
        ("the the the port", True),
        ("the port capacity the port capacity will grow", True),
        ("1 1 1", False),
        ("It grew and grew and grew.", True),
    ],
)
def test_repetition(translation: str, flagged: bool) -> None:
    # The source repeats a word only where the translation's repetition is its echo: a
    # repetition the source has too is not a loop (see test_repetition_echo).
    source = "بورا بورا" if "Bora" in translation else "جزيرة في المحيط"
    assert bool(RepetitionCheck().check(source, translation, Context())) is flagged


@pytest.mark.parametrize(
    ("source", "translation", "severity"),
    [
        (
            "قال: «نهدف إلى رفع الطاقة الاستيعابية للميناء بنسبة كبيرة»",
            'He said: "We aim high."',
            None,
        ),
        (
            "قال: «نهدف إلى رفع الطاقة الاستيعابية للميناء بنسبة كبيرة»",
            "He said we aim high.",
            "warning",  # quotes are a heuristic: never an error (docs/fidelity.md, severity)
        ),
        # A quoted span under five words is a name or a title, not a quotation.
        ("مسلسل «سيسم ستريت»", "the Sesame Street show", None),
        ("قال “إنها خطوة ضرورية”", "He said “it is a necessary step”", None),
    ],
)
def test_quotes(source: str, translation: str, severity: str | None) -> None:
    issues = QuotesCheck().check(source, translation, Context())
    assert [i.severity for i in issues] == ([severity] if severity else [])


@pytest.mark.parametrize(("translation", "flagged"), [("", True), ("  ...", True), ("Yes.", False)])
def test_empty(translation: str, flagged: bool) -> None:
    assert bool(EmptyCheck().check("نعم.", translation, Context())) is flagged


@pytest.mark.parametrize(("score", "flagged"), [(None, False), (-0.3, False), (-2.0, True)])
def test_confidence_is_a_warning(score: float | None, flagged: bool) -> None:
    issues = ConfidenceCheck().check("نعم", "Yes", Context(score=score))
    assert bool(issues) is flagged
    assert all(i.severity == "warning" for i in issues)


AR_PARA = (
    "أعلنت الوزارة عن خطة جديدة لتوسعة الميناء. وقال الوزير إن المشروع سيوفر وظائف كثيرة. "
    "وأضاف أن العمل سيبدأ العام المقبل."
)
EN_PARA = (
    "The ministry announced a new plan to expand the port. The minister said the project "
    "would create many jobs. He added that work would start next year."
)


@pytest.mark.parametrize(
    ("translation", "expected"),
    [
        (EN_PARA, None),
        ("The ministry announced a new plan to expand the port.", "error"),
        # Length alone is a heuristic: an addition is a warning.
        (EN_PARA + " " + EN_PARA + " " + EN_PARA, "warning"),
    ],
)
def test_omission_and_addition(translation: str, expected: str | None) -> None:
    issues = OmissionCheck().check(AR_PARA, translation, Context())
    assert [i.severity for i in issues] == ([expected] if expected else [])


def test_merged_sentences_are_fine_a_dropped_one_is_pointed_at() -> None:
    merged = EN_PARA.replace(". The minister", ", and the minister")
    assert OmissionCheck().check(AR_PARA, merged, Context(unit="paragraph")) == []
    dropped = EN_PARA.replace(" The minister said the project would create many jobs.", "")
    (issue,) = OmissionCheck().check(AR_PARA, dropped, Context(unit="paragraph"))
    assert issue.source_text == "وقال الوزير إن المشروع سيوفر وظائف كثيرة."
    assert "source sentence 2 has no counterpart" in issue.message


def test_sentences_are_aligned_in_paragraphs_only() -> None:
    dropped = EN_PARA.replace(" The minister said the project would create many jobs.", "")
    seg = OmissionCheck().check(AR_PARA, dropped, Context(unit="segment"))
    assert all("no counterpart" not in i.message for i in seg)


def test_issue_carries_paragraph_segment_and_both_spans() -> None:
    issue = check_pair("بلغت 40%", "It reached 45%.", paragraph=3, segment=1, unit="segment")[0]
    assert (issue.check, issue.severity, issue.paragraph, issue.segment) == (
        "numbers",
        "error",
        3,
        1,
    )
    assert (issue.source_span, issue.source_text) == ((5, 7), "40")


def test_check_document_attaches_issues_to_segments() -> None:
    parsed = Document.parse("بلغت 40%.\nقال الوزير.")
    doc = TranslatedDocument(paragraphs=parsed.paragraphs, source_lang="ar", target_lang="en")
    doc.paragraphs[0].segments.append(Segment(0, 0, "بلغت 40%.", translation="It hit 45%."))
    doc.paragraphs[1].segments.append(Segment(1, 0, "قال الوزير.", translation="", score=-0.2))
    found = check_document(doc)
    # An issue's paragraph is its paragraph's index: one base (0) for both.
    assert [(i.paragraph, i.check) for i in doc.paragraphs[0].segments[0].issues] == [
        (doc.paragraphs[0].index, "numbers"),
        (0, "numbers"),
    ]
    assert [i.check for i in doc.paragraphs[1].segments[0].issues] == ["empty"]
    assert len(found) == 3


# --- the test article -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def names() -> NameMatcher:
    return NameMatcher(Transliterator.load(TRANSLIT).transliterate)


@pytest.fixture(scope="module")
def article() -> tuple[str, str]:
    return ARTICLE_AR.read_text(encoding="utf-8"), ARTICLE_EN.read_text(encoding="utf-8")


@pytest.mark.needs_data
def test_article_translation_has_no_errors(article: tuple[str, str], names: NameMatcher) -> None:
    issues = check_paragraphs(*article, names=names)
    assert [i for i in issues if i.severity == "error"] == []


PLANTED = [
    # (paragraph, text in the English, replacement, check expected there)
    (1, "450,000", "540,000", "numbers"),
    (1, "of 450,000 cubic meters", "of many cubic meters", "numbers"),
    (2, "1.2 million", "2.1 million", "numbers"),
    (2, "2.8 billion", "8.2 billion", "numbers"),
    (3, "30%", "35%", "numbers"),
    (4, "March 2024", "March 2025", "numbers"),
    (4, "7%", "17%", "numbers"),
    (4, "by 2035", "by 2053", "numbers"),
    (5, "850", "580", "numbers"),
    (2, " She added that the project cost 2.8 billion riyals.", "", "omission"),
    (3, " He asked: will the company be able to lower water prices?", "", "omission"),
    (3, "Fahd Al-Shammari", "Fahd Al-Qahtani", "names"),
    (1, "Yanbu", "Jizan", "names"),
    (2, "Sara Al-Harbi", "Sara Al-Otaibi", "names"),
    (1, "this morning", "صباح اليوم", "untranslated"),
    (3, "environmental engineering", "الهندسة البيئية", "untranslated"),
    (5, "young engineers", "young المهندسين", "untranslated"),
    (2, "The plant will cover", "The plant will cover The plant will cover", "repetition"),
    (4, "demand for", "demand for demand for", "repetition"),
    (5, "most of them", "most most most of them", "repetition"),
    (2, '"The plant', "The plant", "quotes"),
]


@pytest.mark.needs_data
@pytest.mark.parametrize(("paragraph", "old", "new", "check"), PLANTED)
def test_planted_error_is_flagged_where_it_was_planted(
    article: tuple[str, str], names: NameMatcher, paragraph: int, old: str, new: str, check: str
) -> None:
    ar, en = article
    lines = en.split("\n")
    assert old in lines[paragraph - 1]
    lines[paragraph - 1] = lines[paragraph - 1].replace(old, new, 1)
    issues = check_paragraphs(ar, "\n".join(lines), names=names)
    assert (paragraph - 1, check) in {(i.paragraph, i.check) for i in issues}  # index from 0

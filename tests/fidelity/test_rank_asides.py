"""A passage the source sets apart (a bracket, or the clause after its last spaced dash)
that the translation drops, at a length that says so, is an omission error (issue M's
third ranking pass). Sentences written for these tests; each case fails before the rule,
and a complete translation of the same source stays clean."""

from __future__ import annotations

from tarjama.document import Issue
from tarjama.fidelity import check_pair


def _omission_errors(
    source: str, translation: str, src: str = "ar", tgt: str = "en"
) -> list[Issue]:
    issues = check_pair(source, translation, source_lang=src, target_lang=tgt)
    return [i for i in issues if i.check == "omission" and i.severity == "error"]


BRACKET = (
    "احجز تذكرة القطار قبل موعد السفر بأسبوع على الأقل "
    "(يمكنك الدفع نقدًا في المحطة أو ببطاقة مصرفية عبر موقع الشركة)."
)
DASH = (
    "اترك حقيبتك في خزانة الفندق قبل الخروج إلى السوق القديم "
    "- واحرص كذلك على حمل نسخة من جواز سفرك طوال الوقت."
)


def test_a_bracket_the_translation_drops_is_an_omission_error() -> None:
    short = "Book your train ticket at least a week before you travel."
    errors = _omission_errors(BRACKET, short)
    assert len(errors) == 1
    assert "bracket" in errors[0].message
    # The issue points at the lost bracket, not at the whole source.
    assert errors[0].source_text is not None and errors[0].source_text.startswith("(")
    whole = (
        "Book your train ticket at least a week before you travel (you can pay in cash at "
        "the station or by bank card on the company's website)."
    )
    assert _omission_errors(BRACKET, whole) == []
    # The bracket's content kept without its marks: the length fits the whole source.
    commas = (
        "Book your train ticket at least a week before you travel; you can pay in cash at "
        "the station or by bank card on the company's website."
    )
    assert _omission_errors(BRACKET, commas) == []


def test_a_short_gloss_in_brackets_may_be_dropped_but_not_a_passage() -> None:
    # A bracket of a word or two (a gloss) is left to the translator; a passage is not.
    gloss = "ارتفعت أسعار الخبز في المدينة هذا الشهر بعد قرار البلدية الأخير (الرغيف)."
    bread = "Bread prices in the city rose this month after the municipality's latest decision."
    assert _omission_errors(gloss, bread) == []
    passage = gloss.replace("(الرغيف)", "(الذي رفع الدعم عن الطحين المستورد منذ بداية العام)")
    assert len(_omission_errors(passage, bread)) == 1


def test_the_clause_after_a_dash_the_translation_drops_is_an_omission_error() -> None:
    short = "Leave your bag in the hotel locker before going out to the old market."
    errors = _omission_errors(DASH, short)
    assert len(errors) == 1
    assert "dash" in errors[0].message
    whole = (
        "Leave your bag in the hotel locker before going out to the old market - and be sure "
        "to carry a copy of your passport at all times."
    )
    assert _omission_errors(DASH, whole) == []


def test_an_english_aside_lost_in_arabic_is_an_omission_error() -> None:
    source = (
        "The museum opens at nine on weekdays - visitors under twelve must come with an "
        "adult who holds a valid ticket."
    )
    short = "يفتح المتحف في التاسعة أيام الأسبوع."
    errors = _omission_errors(source, short, "en", "ar")
    assert len(errors) == 1 and "dash" in errors[0].message

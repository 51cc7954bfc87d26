"""False errors on the strong systems' output (seen on IWSLT17), in sentences written for
these tests: each fails before its fix, and the real fault beside it still fires."""

from __future__ import annotations

from tarjama.document import Issue
from tarjama.fidelity import check_pair


def _errors(source: str, translation: str, src: str, tgt: str, check: str) -> list[Issue]:
    issues = check_pair(source, translation, source_lang=src, target_lang=tgt)
    return [i for i in issues if i.check == check and i.severity == "error"]


# --- numbers ---------------------------------------------------------------------------


def test_a_decimal_without_its_leading_zero_is_that_decimal() -> None:
    source = "The acidity of the soup can be read to within .2 on the scale."
    assert (
        _errors(source, "يمكن قراءة حموضة الحساء بدقة 0.2 على المقياس.", "en", "ar", "numbers")
        == []
    )
    wrong = _errors(source, "يمكن قراءة حموضة الحساء بدقة 0.7 على المقياس.", "en", "ar", "numbers")
    assert wrong and "0.7" in wrong[-1].message


def test_y2k_is_the_year_2000() -> None:
    source = "Banks spent a fortune getting ready for Y2K that winter."
    assert (
        _errors(
            source, "أنفقت البنوك ثروة للاستعداد لعام 2000 في ذلك الشتاء.", "en", "ar", "numbers"
        )
        == []
    )
    wrong = _errors(
        source, "أنفقت البنوك ثروة للاستعداد لعام 2002 في ذلك الشتاء.", "en", "ar", "numbers"
    )
    assert wrong and "2002" in wrong[0].message


def test_a_decade_is_ten_years() -> None:
    source = "A decade later, the share of farmers had fallen to 12 percent."
    good = "بعد عشر سنوات، انخفضت نسبة المزارعين إلى 12 في المائة."
    assert _errors(source, good, "en", "ar", "numbers") == []
    wrong = "بعد عشرين سنة، انخفضت نسبة المزارعين إلى 12 في المائة."
    assert _errors(source, wrong, "en", "ar", "numbers")


# --- repetition ------------------------------------------------------------------------


def test_a_word_echoed_with_a_possessive_pronoun_is_the_source_s_repetition() -> None:
    source = "نريد أن يستفيد الجميع: المدن المضيفة والمجتمعات، مجتمعاتنا نحن، واللاجئون."
    echo = "We want everyone to benefit: host cities, communities, our communities, and refugees."
    assert _errors(source, echo, "ar", "en", "repetition") == []
    loop = (
        "We want everyone to benefit: host cities, the refugees, the refugees, the refugees, "
        "and communities."
    )
    assert _errors(source, loop, "ar", "en", "repetition")


# --- omission: an output that stops at a colon ------------------------------------------------


def test_an_output_that_stops_at_its_colon_has_lost_the_clause_after_it() -> None:
    """Weak systems stop at the colon and drop what it announced, at any length."""
    source = "وقال لي المدرب بعد المباراة: عليك أن تتدرب كل صباح قبل المدرسة."
    stopped = "After the match the coach told me:"
    errors = _errors(source, stopped, "ar", "en", "omission")
    assert errors and "colon" in errors[0].message
    whole = "After the match the coach told me: you must train every morning before school."
    assert _errors(source, whole, "ar", "en", "omission") == []


def test_a_colon_the_source_does_not_announce_is_no_omission() -> None:
    # The source ends on a comma (a talk's line cut there); a time's colon announces nothing.
    assert (
        _errors(
            "تبين أن هناك نوعين من المشاكل ،",
            "It turns out there are two kinds of problems:",
            "ar",
            "en",
            "omission",
        )
        == []
    )
    assert (
        _errors(
            "وصل القطار عند الساعة 9:30 صباحا.",
            "The train arrived at 9:30 in the morning, as planned:",
            "ar",
            "en",
            "omission",
        )
        == []
    )

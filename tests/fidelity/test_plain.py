"""Every finding is also said in an editor's words (``plain``), with the technical figure
kept in ``message``."""

from __future__ import annotations

import re

import pytest

from tarjama.fidelity import check_pair

QUOTE = (
    "وقالت الرئيسة التنفيذية للشركة، سارة الحربي، في مؤتمر صحافي: «ستغطي المحطة احتياجات "
    "نحو 1.2 مليون نسمة». وأضافت أن تكلفة المشروع بلغت ٢٫٨ مليار ريال."
)


@pytest.mark.parametrize(
    ("source", "translation", "check", "plain"),
    [
        (
            QUOTE,
            "She added.",
            "omission",
            "This translation looks much shorter than the Arabic: a sentence may be missing.",
        ),
        (
            QUOTE,
            "She added.",
            "numbers",
            "The number 1.2 مليون is missing or changed in the translation.",
        ),
        (
            "بلغت الزيادة 6%.",
            "The increase was 6% in 2030.",
            "numbers",
            "The translation says 2030, which the Arabic does not.",
        ),
        ("بلغت الزيادة 6%.", "", "empty", "This sentence has no translation."),
        (
            "قال الوزير.",
            "The minister قال said.",
            "untranslated",
            "Arabic was left untranslated: قال",
        ),
        (
            "قال الوزير إن الطقس جميل.",
            "The minister said the weather the weather the weather is nice.",
            "repetition",
            "“the weather” comes 3 times in a row: the model may have got stuck.",
        ),
    ],
)
def test_plain_words(source: str, translation: str, check: str, plain: str) -> None:
    found = [i for i in check_pair(source, translation, unit="segment") if i.check == check]
    assert found and found[0].plain == plain
    assert found[0].to_json()["plain"] == plain
    assert found[0].message != plain  # the figure stays, for the tooltip


def test_a_paragraph_names_the_sentence_it_misses() -> None:
    (omission,) = [i for i in check_pair(QUOTE, "She added.") if i.check == "omission"]
    assert omission.plain == "Sentence 1 of the Arabic seems to have no translation."


def test_no_plain_sentence_carries_a_statistic() -> None:
    issues = check_pair(QUOTE, "She added that, that, that the plant, 2031.")
    assert issues
    for issue in issues:
        assert issue.plain and not re.search(r"\bsd\b|[<>]|!r", issue.plain), issue.plain

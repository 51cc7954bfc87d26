"""The false warnings seen on real MT (FLORES dev, IWSLT17) that the judged set
(tests/data/fidelity-judged.tsv) counts, each in sentences written for these tests: what
must no longer be a warning, and the real fault next to it that still must."""

from __future__ import annotations

import pytest

from tarjama.document import Issue
from tarjama.fidelity import check_pair
from tarjama.fidelity.base import Context
from tarjama.fidelity.length import OmissionCheck, count_sentences, load_norms
from tarjama.fidelity.names import NameMatcher
from tarjama.text import romanize, split_sentences


def _of(issues: list[Issue], check: str) -> list[Issue]:
    return [i for i in issues if i.check == check]


@pytest.fixture(scope="module")
def names() -> NameMatcher:
    return NameMatcher(romanize.transliterate)


# --- omission: length and sentences -----------------------------------------------------

TERSE_AR = (
    "وأوضح المسؤول أن معظم نزلاء الفندق الكبير كانوا من مواطني دولة الإمارات العربية المتحدة."
)
TERSE_EN = "Most of the hotel guests were UAE nationals, the official said."


def test_a_terse_complete_translation_is_not_an_omission() -> None:
    z = load_norms()["ar", "en"].z(TERSE_AR, TERSE_EN, 1)
    assert -3.5 < z < -2.5  # short enough to have been warned about
    assert OmissionCheck().check(TERSE_AR, TERSE_EN, Context()) == []


def test_length_far_from_the_norm_is_still_a_warning() -> None:
    (issue,) = OmissionCheck().check(TERSE_AR, "Most guests.", Context())
    assert issue.severity == "warning"


def test_a_translation_that_stops_short_is_still_a_warning() -> None:
    (issue,) = OmissionCheck().check(
        TERSE_AR, "Most hotel guests were UAE nationals, the", Context()
    )
    assert issue.check == "omission"


def test_a_question_merged_into_the_next_sentence_is_not_lost() -> None:
    source = "فإن لم تعرف لماذا؟ لن تستطيع القيام بذلك مرة أخرى."
    assert (
        _of(check_pair(source, "If you don't know why, you can't do it again."), "omission") == []
    )
    # The same two sentences with the question gone still are.
    assert _of(check_pair(source, "You will not be able to do that ever again."), "omission")


def test_sentences_merged_at_a_longer_length_are_not_a_dropped_one() -> None:
    source = "من أين أتى هذا؟ لماذا هو هنا؟ ومن سمح بذلك؟"
    merged = "Where did this come from, and why is it here, and who on earth allowed such a thing?"
    assert _of(check_pair(source, merged), "omission") == []


def test_speaker_initials_before_an_ellipsis_are_not_a_sentence() -> None:
    assert len(count_sentences("NR: ... I take out the lens and look more closely.", "en")) == 1


def test_a_case_name_with_v_is_one_sentence() -> None:
    text = "He repeated that Roe v. Wade was the settled law of the land."
    assert len(split_sentences(text, "en")) == 1


# --- names: translated rather than spelt ------------------------------------------------


@pytest.mark.parametrize(
    ("english", "arabic"),
    [
        # a demonym: a CLDR place with a demonym's ending
        (
            "We met a Rwandan who repairs old game consoles.",
            "التقينا روانديًا يصلح أجهزة الألعاب القديمة.",
        ),
        (
            "She worked beside Zimbabweans from every walk of life.",
            "عملت إلى جانب مواطني زمبابوي من كل الفئات.",
        ),
        # an adjective in -ous
        ("The rocks date from the Cretaceous period.", "تعود الصخور إلى العصر الطباشيري."),
        # a hashtag of common words, and an acronym in mixed case: said in words
        ("Then the #BlackLivesMatter movement spread.", "ثم انتشرت حركة #حياة_السود_مهمة."),
        (
            "Nigeria plans to join the AfCFTA this week.",
            "تخطط نيجيريا للانضمام إلى منطقة التجارة الحرة هذا الأسبوع.",
        ),
    ],
)
def test_a_translated_name_is_not_a_name_candidate(
    names: NameMatcher, english: str, arabic: str
) -> None:
    assert names.english_names(english) == []


@pytest.mark.parametrize(
    ("english", "arabic"),
    [
        (
            "The Spanish killed many Tainos in those years.",
            "قتل الإسبان كثيرًا من التاينو في تلك السنوات.",
        ),
        ("Then Eunice walked into the room.", "ثم دخلت يونيس إلى الغرفة."),
        ("The alphabet was made under King Sejong.", "صُنعت الأبجدية في عهد الملك سيجونج."),
        ("It was a storm on the Saffir-Simpson scale.", "كانت عاصفة على مقياس سايفر-سيمبسون."),
    ],
)
def test_a_loose_spelling_still_matches(names: NameMatcher, english: str, arabic: str) -> None:
    """A plural s, a leading semi-vowel, a final -ng, a hyphenated name written apart."""
    assert names.unmatched(arabic, english) == ([], [])


@pytest.mark.parametrize(
    "arabic",
    [
        "بين عامي 1922 و1942 استخدمت جوازات السفرهذه كوثائق للسفر.",  # two words glued
        "وعندما أزورهم ويزورونني نغني معًا.",  # a verb with its ending and a pronoun
    ],
)
def test_ordinary_words_glued_or_inflected_are_not_names(names: NameMatcher, arabic: str) -> None:
    assert names.arabic_names(arabic) == []


def test_a_known_name_misspelt_in_the_english_source_is_not_the_translations_fault(
    names: NameMatcher,
) -> None:
    source = "The attackers arrived on Novemeber 26 by boat."
    arabic = "وصل المهاجمون في 26 نوفمبر بالقارب."
    issues = check_pair(source, arabic, source_lang="en", target_lang="ar", names=names)
    assert _of(issues, "names") == []
    # Into English the misspelling is the translation's, and still named.
    (issue,) = _of(
        check_pair(
            "وصل المهاجمون في 26 نوفمبر.", "The attackers arrived on Novemeber 26.", names=names
        ),
        "names",
    )
    assert "November" in issue.message


def test_a_garbled_name_still_is_a_warning(names: NameMatcher) -> None:
    issues = check_pair(
        "تقدم المطاعم في كرايستشيرش وجبات تقليدية.",
        "Restaurants in Krycesh offer traditional meals.",
        names=names,
    )
    assert "Krycesh" in {i.target_text for i in _of(issues, "names")}


# --- quotes --------------------------------------------------------------------------------

QUOTE_AR = 'وقال مدير المشروع: "إنها سوف تتحرك فوق الساحل الغربي وتضيء السماء حتى ولاية أوريغون".'


def test_a_quotation_opened_and_never_closed_is_not_lost() -> None:
    unclosed = (
        "The project director said: “It will move over the west coast and light up the sky "
        "to Oregon."
    )
    assert _of(check_pair(QUOTE_AR, unclosed), "quotes") == []
    lost = (
        "The project director said it will move over the west coast and light up the sky to Oregon."
    )
    assert _of(check_pair(QUOTE_AR, lost), "quotes")


def test_a_long_quoted_name_is_not_a_quotation() -> None:
    source = 'عُقد اجتماع في 20 آذار في "مركز إيست باي القانوني المجتمعي" لضحايا الاحتيال.'
    english = "A meeting was held on March 20 at the East Bay Community Law Center for the victims."
    assert _of(check_pair(source, english), "quotes") == []


# --- repetition ----------------------------------------------------------------------------


def test_a_phrase_the_source_says_again_three_words_later_is_an_echo() -> None:
    source = "We will see a hologram appear, a very realistic hologram appear before us."
    arabic = "سوف نرى صورة طيفية، صورة طيفية في غاية الواقعية تظهر أمامنا."
    assert _of(check_pair(source, arabic, source_lang="en", target_lang="ar"), "repetition") == []
    # Function words said again three words later are no echo: the loop is still one.
    looped = "سوف نرى من الأمام، من الأمام تظهر أمامنا."
    plain = "We will see it from the front, and then it appears."
    assert _of(check_pair(plain, looped, source_lang="en", target_lang="ar"), "repetition")


def test_a_phrase_said_again_after_a_dash_is_not_a_loop() -> None:
    source = "لا نهتم بأي هاتف نشتري -- نشتريه بسبب نظام التشغيل."
    english = "We don't care which phone we buy -- we buy it because of the operating system."
    assert _of(check_pair(source, english), "repetition") == []
    assert _of(check_pair(source, "We don't care which phone we buy we buy it."), "repetition")

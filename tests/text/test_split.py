"""Sentence splitting: hard cases per language, offsets, and hostile input."""

from __future__ import annotations

import itertools

import pytest

from tarjama.text import Sentence, split_sentences

# (paragraph, expected sentences): abbreviations, initials, numbers, URLs, ellipses, quotes.
ARABIC_CASES = [
    # abbreviations and titles
    ("التقى د. خالد العتيبي بالوزير.", ["التقى د. خالد العتيبي بالوزير."]),
    ("قال أ.د. محمد علي إن النتائج مشجعة.", ["قال أ.د. محمد علي إن النتائج مشجعة."]),
    ("ولد عام 1950 م. في القاهرة.", ["ولد عام 1950 م. في القاهرة."]),
    ("توفي سنة 505 هـ. في بغداد.", ["توفي سنة 505 هـ. في بغداد."]),
    ("راسلونا على ص.ب. 1234 الرياض.", ["راسلونا على ص.ب. 1234 الرياض."]),
    (
        "بنيت المدينة في القرن الثالث ق.م. على ضفة النهر.",
        ["بنيت المدينة في القرن الثالث ق.م. على ضفة النهر."],
    ),
    ("وقع الاتفاق م. أحمد سالم. ثم غادر.", ["وقع الاتفاق م. أحمد سالم.", "ثم غادر."]),
    ("قال دُ. سمير إن الوضع مستقر.", ["قال دُ. سمير إن الوضع مستقر."]),
    ("حضر د.\u200f خالد الاجتماع.", ["حضر د.\u200f خالد الاجتماع."]),
    ("حضر د\u200f. خالد الاجتماع.", ["حضر د\u200f. خالد الاجتماع."]),
    # initials
    ("أعلن ن. وين هالي الابن النتائج.", ["أعلن ن. وين هالي الابن النتائج."]),
    ("وقال المفتش دي. كي. أريا إن التحقيق مستمر.", ["وقال المفتش دي. كي. أريا إن التحقيق مستمر."]),
    ("كتبت جي. كي. رولينغ الرواية.", ["كتبت جي. كي. رولينغ الرواية."]),
    (
        "نقلت ذلك شبكة سي إن إن. وأضافت الشبكة أن العدد ارتفع.",
        ["نقلت ذلك شبكة سي إن إن.", "وأضافت الشبكة أن العدد ارتفع."],
    ),
    ("أفادت بي.بي.سي. بأن الاجتماع انتهى.", ["أفادت بي.بي.سي. بأن الاجتماع انتهى."]),
    ("انتقل من A إلى B. ثم عاد.", ["انتقل من A إلى B.", "ثم عاد."]),
    # numbers, decimals and times
    ("بلغ النمو 4.8 في المئة. وارتفع التضخم.", ["بلغ النمو 4.8 في المئة.", "وارتفع التضخم."]),
    (
        "بلغت التكلفة ٣٫٥ مليار ريال. وسيبدأ العمل قريبا.",
        ["بلغت التكلفة ٣٫٥ مليار ريال.", "وسيبدأ العمل قريبا."],
    ),
    (
        "وقع الزلزال الساعة 10:08 مساء. ولم ترد أنباء عن إصابات.",
        ["وقع الزلزال الساعة 10:08 مساء.", "ولم ترد أنباء عن إصابات."],
    ),
    (
        "وصل عدد السكان إلى ١٢٬٥٠٠ نسمة عام ٢٠٢٣. وتضاعف بعد ذلك.",
        ["وصل عدد السكان إلى ١٢٬٥٠٠ نسمة عام ٢٠٢٣.", "وتضاعف بعد ذلك."],
    ),
    (
        "انتهت المرحلة الأولى عام 2027. 40% من العمل أنجز.",
        ["انتهت المرحلة الأولى عام 2027.", "40% من العمل أنجز."],
    ),
    ("1. مقدمة عن المشروع", ["1. مقدمة عن المشروع"]),
    # URLs and e-mail addresses
    (
        "للمزيد زوروا www.example.com أو https://example.com/a.b?x=1 الآن.",
        ["للمزيد زوروا www.example.com أو https://example.com/a.b?x=1 الآن."],
    ),
    (
        "راسلونا على info@example.org. وسنرد قريبا.",
        ["راسلونا على info@example.org.", "وسنرد قريبا."],
    ),
    ("زوروا موقعنا example.com. ثم سجلوا.", ["زوروا موقعنا example.com.", "ثم سجلوا."]),
    # ellipses
    ("كان الوضع... صعبا للغاية.", ["كان الوضع... صعبا للغاية."]),
    (
        "وصلت سرعة الرياح إلى 70 كم في الساعة… ثم هطلت الأمطار.",
        ["وصلت سرعة الرياح إلى 70 كم في الساعة… ثم هطلت الأمطار."],
    ),
    ("قال: «لا أعرف...» ثم صمت طويلا.", ["قال: «لا أعرف...»", "ثم صمت طويلا."]),
    ("هل انتهى الأمر...؟ لا أحد يعرف.", ["هل انتهى الأمر...؟", "لا أحد يعرف."]),
    ("أُضيفت بنود (...) إلى الاتفاق.", ["أُضيفت بنود (...) إلى الاتفاق."]),
    # question and exclamation marks
    ("هل ستنجح الموانئ؟ يبقى ذلك غير واضح.", ["هل ستنجح الموانئ؟", "يبقى ذلك غير واضح."]),
    ("يا له من يوم! لن ننساه.", ["يا له من يوم!", "لن ننساه."]),
    ("لماذا؟! سأل الجميع.", ["لماذا؟!", "سأل الجميع."]),
    ("قال إنه سيفوز (!) في الانتخابات.", ["قال إنه سيفوز (!) في الانتخابات."]),
    ("لماذا؟قال الوزير إن الأمر محسوم.", ["لماذا؟", "قال الوزير إن الأمر محسوم."]),
    (
        "انتهى الاجتماع.وقال المتحدث إن الجلسة مثمرة.",
        ["انتهى الاجتماع.", "وقال المتحدث إن الجلسة مثمرة."],
    ),
    # quotes and brackets
    (
        "قال: «نهدف إلى رفع الطاقة». وأضاف أن المشروع كبير.",
        ["قال: «نهدف إلى رفع الطاقة».", "وأضاف أن المشروع كبير."],
    ),
    ("«هل ستنجح الخطة؟» تساءل الوزير.", ["«هل ستنجح الخطة؟» تساءل الوزير."]),
    (
        "«هل ستنجح الخطة؟» وأضاف الوزير أن الوقت قصير.",
        ["«هل ستنجح الخطة؟»", "وأضاف الوزير أن الوقت قصير."],
    ),
    ("وصف الخطة بأنها «خطوة ضرورية» للنمو.", ["وصف الخطة بأنها «خطوة ضرورية» للنمو."]),
    (
        "قال: «الجملة الأولى انتهت. والثانية بدأت». ثم غادر.",
        ["قال: «الجملة الأولى انتهت.", "والثانية بدأت».", "ثم غادر."],
    ),
    ('قال: «قالوا لنا "انتظروا." وانتظرنا».', ['قال: «قالوا لنا "انتظروا."', "وانتظرنا»."]),
    ("استقبل الميناء (موانئ). ثم توسع.", ["استقبل الميناء (موانئ).", "ثم توسع."]),
    (
        'أضاف قائلاً، "لدينا الآن فئران سليمة. هذا مهم.',
        ['أضاف قائلاً، "لدينا الآن فئران سليمة.', "هذا مهم."],
    ),
    (
        'لم توضح شركة "HK Management Inc." سبب الإلغاء.',
        ['لم توضح شركة "HK Management Inc." سبب الإلغاء.'],
    ),
    (
        'رفع لافتة كتب عليها "Stop." وقال إنه سيبقى.',
        ['رفع لافتة كتب عليها "Stop."', "وقال إنه سيبقى."],
    ),
    # punctuation that never splits
    (
        "قال الوزير: إن المشروع كبير؛ ويحتاج إلى وقت، وجهد.",
        ["قال الوزير: إن المشروع كبير؛ ويحتاج إلى وقت، وجهد."],
    ),
    # no terminal punctuation, raw input
    ("بيان صادر عن الوزارة", ["بيان صادر عن الوزارة"]),
    (
        "\u200fأعلنت الوزارة النتائج.\u200f وانتهى الاجتماع.",
        ["\u200fأعلنت الوزارة النتائج.\u200f", "وانتهى الاجتماع."],
    ),
    ("أعلنـــت الوزارة. وانتهى.", ["أعلنـــت الوزارة.", "وانتهى."]),
]

ENGLISH_CASES = [
    # titles and abbreviations
    ("Mr. Smith met Dr. Jones.", ["Mr. Smith met Dr. Jones."]),
    ("Mrs. Kirchner spoke. Prof. Lee replied.", ["Mrs. Kirchner spoke.", "Prof. Lee replied."]),
    ("Gen. Mark Milley and Sen. Warren met.", ["Gen. Mark Milley and Sen. Warren met."]),
    ("U.S. officials said the talks failed.", ["U.S. officials said the talks failed."]),
    (
        "The talks were held in the U.S. The outcome was unclear.",
        ["The talks were held in the U.S.", "The outcome was unclear."],
    ),
    ("The U.N. Security Council met on Monday.", ["The U.N. Security Council met on Monday."]),
    ("He works for Apple Inc. in California.", ["He works for Apple Inc. in California."]),
    ("He works for Acme Ltd. The firm is small.", ["He works for Acme Ltd.", "The firm is small."]),
    (
        "They sell fruit, vegetables, etc. and bread.",
        ["They sell fruit, vegetables, etc. and bread."],
    ),
    ("Use a tool, e.g. a hammer.", ["Use a tool, e.g. a hammer."]),
    (
        "It rose approx. 5 percent on Jan. 5 in St. Petersburg.",
        ["It rose approx. 5 percent on Jan. 5 in St. Petersburg."],
    ),
    ("See No. 10 Downing Street.", ["See No. 10 Downing Street."]),
    ("It happened in 400 A.D. and lasted.", ["It happened in 400 A.D. and lasted."]),
    (
        "He was born in Sacramento, Calif. He moved later.",
        ["He was born in Sacramento, Calif.", "He moved later."],
    ),
    # initials
    ("J. K. Rowling wrote the books.", ["J. K. Rowling wrote the books."]),
    ("He met George W. Bush in Texas.", ["He met George W. Bush in Texas."]),
    (
        "NASA's chief N. Wayne Hale Jr. said the foam fell.",
        ["NASA's chief N. Wayne Hale Jr. said the foam fell."],
    ),
    ("The author J. A. Smith agreed.", ["The author J. A. Smith agreed."]),
    ("He chose plan B. The others agreed.", ["He chose plan B.", "The others agreed."]),
    # numbers, decimals, times
    ("Growth was 4.8 percent. Inflation rose.", ["Growth was 4.8 percent.", "Inflation rose."]),
    ("The quake struck at 10:08 p.m. on Monday.", ["The quake struck at 10:08 p.m. on Monday."]),
    (
        "The quake struck at 10 p.m. The city slept.",
        ["The quake struck at 10 p.m.", "The city slept."],
    ),
    (
        "It cost $3.5bn in 2023. 45 people worked on it.",
        ["It cost $3.5bn in 2023.", "45 people worked on it."],
    ),
    ("1. Introduction to the plan", ["1. Introduction to the plan"]),
    # URLs and e-mail addresses
    (
        "Visit www.example.com or https://example.com/a.b?x=1 now.",
        ["Visit www.example.com or https://example.com/a.b?x=1 now."],
    ),
    ("Write to info@example.org. We reply fast.", ["Write to info@example.org.", "We reply fast."]),
    # ellipses
    (
        "The wind reached 70km/h... then the rain came.",
        ["The wind reached 70km/h... then the rain came."],
    ),
    ("He waited… Nothing happened.", ["He waited…", "Nothing happened."]),
    ("He was freaky as me...maybe more.", ["He was freaky as me...maybe more."]),
    ("The clause [...] was removed.", ["The clause [...] was removed."]),
    # question and exclamation marks
    ("Will the ports succeed? Nobody knows.", ["Will the ports succeed?", "Nobody knows."]),
    ('"Why?" he asked.', ['"Why?" he asked.']),
    ("What a day! We won't forget it.", ["What a day!", "We won't forget it."]),
    ("Really?! Yes.", ["Really?!", "Yes."]),
    # quotes and brackets
    ('He said: "We aim to grow." He added more.', ['He said: "We aim to grow."', "He added more."]),
    (
        'Danius said, "Right now we are doing nothing. I have called him." She left.',
        ['Danius said, "Right now we are doing nothing.', 'I have called him."', "She left."],
    ),
    (
        "\"The sign said 'Stop.' So we stopped,\" she said.",
        ["\"The sign said 'Stop.'", 'So we stopped," she said.'],
    ),
    (
        "It is run by the authority (Mawani). It grew.",
        ["It is run by the authority (Mawani).", "It grew."],
    ),
    (
        "He called it “a necessary step” for growth.",
        ["He called it “a necessary step” for growth."],
    ),
    ("(This is an aside.) The text goes on.", ["(This is an aside.)", "The text goes on."]),
    # lower-case continuation, punctuation that never splits
    ("It grew in 2019. in 2020 it fell.", ["It grew in 2019. in 2020 it fell."]),
    (
        "The minister said: the plan is ready; work starts soon, he added.",
        ["The minister said: the plan is ready; work starts soon, he added."],
    ),
    # no terminal punctuation, leading marks
    ("Statement from the ministry", ["Statement from the ministry"]),
    (". Scientists say the bird was brown.", [". Scientists say the bird was brown."]),
    ("Done. ...", ["Done. ..."]),
]


@pytest.mark.parametrize(("text", "expected"), ARABIC_CASES)
def test_arabic_hard_cases(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text, "ar")] == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH_CASES)
def test_english_hard_cases(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text, "en")] == expected


def test_tables_are_large_enough() -> None:
    assert len(ARABIC_CASES) >= 40
    assert len(ENGLISH_CASES) >= 40


@pytest.mark.parametrize(
    ("text", "lang"),
    [(text, "ar") for text, _ in ARABIC_CASES] + [(text, "en") for text, _ in ENGLISH_CASES],
)
def test_offsets_point_into_the_input(text: str, lang: str) -> None:
    sentences = split_sentences(text, lang)
    for s in sentences:
        assert text[s.start : s.end] == s.text
    # In order, not overlapping, and nothing but whitespace between them.
    for a, b in itertools.pairwise(sentences):
        assert a.end <= b.start
        assert not text[a.end : b.start].strip()


def test_newlines_are_hard_boundaries() -> None:
    text = "First line without a stop\nSecond line. Third sentence\n\n  fourth"
    assert split_sentences(text, "en") == [
        Sentence("First line without a stop", 0, 25),
        Sentence("Second line.", 26, 38),
        Sentence("Third sentence", 39, 53),
        Sentence("fourth", 57, 63),
    ]


def test_a_sentence_never_joins_across_a_newline_even_after_an_abbreviation() -> None:
    assert [s.text for s in split_sentences("He met Dr.\nSmith left.", "en")] == [
        "He met Dr.",
        "Smith left.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "\u200f\u200e", " \u200b \n"])
def test_empty_or_invisible_text_has_no_sentence(text: str) -> None:
    assert split_sentences(text, "ar") == []


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_one_megabyte_without_punctuation_is_one_sentence(lang: str) -> None:
    text = ("كلمة " if lang == "ar" else "word ") * 200_000
    sentences = split_sentences(text, lang)
    assert len(sentences) == 1
    assert sentences[0].text == text.strip()


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_one_megabyte_word_with_glued_dots(lang: str) -> None:
    word = "a." * 500_000
    sentences = split_sentences(word + " End.", lang)
    assert [s.text for s in sentences] == [word, "End."]


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_hundred_thousand_dots(lang: str) -> None:
    dots = "." * 100_000
    assert [s.text for s in split_sentences(dots, lang)] == [dots]
    # An ellipsis before a capital ends an English sentence; an Arabic one continues.
    text = f"Start{dots} End."
    expected = [text] if lang == "ar" else [f"Start{dots}", "End."]
    assert [s.text for s in split_sentences(text, lang)] == expected
    spaced = ". " * 100_000
    assert [s.text for s in split_sentences(spaced, lang)] == [spaced.strip()]


def test_only_emoji() -> None:
    assert [s.text for s in split_sentences("😀😀 🎉", "ar")] == ["😀😀 🎉"]
    assert [s.text for s in split_sentences("😀. 🎉!", "en")] == ["😀.", "🎉!"]


def test_mixed_scripts() -> None:
    text = "قال الرئيس Joe Biden إن U.S. forces will stay. وأضاف أن الاتفاق قريب. He left."
    assert [s.text for s in split_sentences(text, "ar")] == [
        "قال الرئيس Joe Biden إن U.S. forces will stay.",
        "وأضاف أن الاتفاق قريب.",
        "He left.",
    ]


def test_lone_surrogates_do_not_crash() -> None:
    text = "Bad \ud800 char. Next \udfff one."
    assert [s.text for s in split_sentences(text, "en")] == ["Bad \ud800 char.", "Next \udfff one."]

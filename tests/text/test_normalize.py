"""Source-side clean-up: what is removed, mapped or kept, and offsets into the original."""

from __future__ import annotations

import pytest

from tarjama.text import Cleaned, clean

CASES = [
    # bidi controls and invisible marks
    ("\u200fأعلنت\u200e الوزارة\u202b\u202c", "أعلنت الوزارة"),
    ("\u2066Biden\u2069 said", "Biden said"),
    ("\ufeffنص", "نص"),
    ("كلمة\u200bأخرى", "كلمةأخرى"),
    ("soft\u00adhyphen", "softhyphen"),
    ("\u061cعربي", "عربي"),
    # zero width joiners: kept only where they mean something
    ("عر\u200cبي", "عربي"),
    ("👨\u200d👩\u200d👧", "👨\u200d👩\u200d👧"),
    ("a\u200db", "ab"),
    # tatweel
    ("أعلنـــت", "أعلنت"),
    ("هـ", "ه"),
    # presentation forms -> base letters
    ("ﻻ", "لا"),
    ("ﷲ", "الله"),
    ("ﺍﻟﺴﻼﻡ", "السلام"),
    ("ﹼ", "\u0651"),
    ("ﹱ", "\u064b"),
    # combining hamza composes with its base
    ("ا\u0654", "أ"),
    ("ا\u0655", "إ"),
    ("ا\u0653", "آ"),
    # diacritics are kept by default
    ("كَتَبَ", "كَتَبَ"),
    # digits and number marks
    ("٣٫٥ مليار", "3.5 مليار"),
    ("١٢٬٠٠٠", "12,000"),
    ("۱۲۳۴", "1234"),
    ("٣٫", "3٫"),
    ("أ٬ب", "أ٬ب"),
    ("2023 و٢٠٢٤", "2023 و2024"),
    # whitespace
    ("  كلمة \t\u00a0 أخرى  ", "كلمة أخرى"),
    ("one\u2003two", "one two"),
    ("line one \n\n line two", "line one\nline two"),
    # control characters and lone surrogates
    ("a\x07b", "ab"),
    ("a\ud800b", "a\ufffdb"),
    # untouched text
    ("Plain English text.", "Plain English text."),
    ("", ""),
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw, "ar").text == expected


@pytest.mark.parametrize(("raw", "_"), CASES)
def test_offsets_map_every_character_back(raw: str, _: str) -> None:
    cleaned = clean(raw, "ar")
    assert len(cleaned.offsets) == len(cleaned.text) + 1
    assert cleaned.offsets[-1] == len(raw)
    assert list(cleaned.offsets) == sorted(cleaned.offsets)
    assert all(0 <= o <= len(raw) for o in cleaned.offsets)


def test_offsets_point_at_the_source_of_each_character() -> None:
    raw = "\u200fقال د.  خالد ٣٫٥"
    cleaned = clean(raw)
    assert cleaned.text == "قال د. خالد 3.5"
    start = cleaned.text.index("خالد")
    a, b = cleaned.original_span(start, start + len("خالد"))
    assert raw[a:b] == "خالد"
    a, b = cleaned.original_span(len(cleaned.text) - 3, len(cleaned.text))
    assert raw[a:b] == "٣٫٥"


def test_presentation_form_expansion_maps_to_one_original_character() -> None:
    cleaned = clean("xﷲy")
    assert cleaned.text == "xاللهy"
    assert cleaned.offsets == (0, 1, 1, 1, 1, 2, 3)


def test_strip_diacritics() -> None:
    assert clean("كَتَبَ الطُّلَّابُ", strip_diacritics=True).text == "كتب الطلاب"
    assert clean("café", strip_diacritics=True).text == "café"
    # Combining hamza is part of the letter: composed, not stripped.
    assert clean("ا\u0654َ", strip_diacritics=True).text == "أ"


def test_zwnj_is_kept_between_letters_outside_arabic() -> None:
    assert clean("می\u200cخواهم", "fa").text == "می\u200cخواهم"
    assert clean("می\u200cخواهم", "ar").text == "میخواهم"


def test_clean_text_comes_back_unchanged_with_identity_offsets() -> None:
    text = "Nothing to clean here, 123."
    assert clean(text, "en") == Cleaned(text, tuple(range(len(text) + 1)))


def test_one_megabyte_is_cleaned() -> None:
    text = "\u200fكلمة\u0640 ٣ " * 100_000
    cleaned = clean(text)
    assert cleaned.text == " ".join(["كلمة 3"] * 100_000)
    assert len(cleaned.offsets) == len(cleaned.text) + 1

"""Rendering model output in the target language's punctuation and digits."""

from __future__ import annotations

import pytest

from tarjama.text import render

ENGLISH = [
    # quotes become straight double quotes hugging their text
    ("He said «we aim to grow».", 'He said "we aim to grow".'),
    ("He said « we aim to grow » today.", 'He said "we aim to grow" today.'),
    ("Sie sagte „Hallo“ dann.", 'Sie sagte "Hallo" dann.'),
    ("He called it “a step”.", 'He called it "a step".'),
    ('He called it " a step " too.', 'He called it "a step" too.'),
    # Arabic punctuation -> Latin, never doubled (LibreTranslate #776)
    ("Will it work؟", "Will it work?"),
    ("Will it work؟?", "Will it work?"),
    ("Will it work??", "Will it work?"),
    ("Will it work ? ?", "Will it work?"),
    ("Really?!", "Really?!"),
    ("First، second؛ third", "First, second; third"),
    ("First,, second", "First, second"),
    ("First ،, second", "First, second"),
    # no space before punctuation
    ("Hello , world .", "Hello, world."),
    ("It rose 40 % ( a record ) .", "It rose 40% (a record)."),
    ("Note : done !", "Note: done!"),
    ("It costs .5 dollars", "It costs .5 dollars"),
    ("He paused . . . then spoke.", "He paused... then spoke."),
    ("Hello,world", "Hello, world"),
    ("12,000 jobs", "12,000 jobs"),
    # digits are ASCII
    ("It cost ٣٫٥ billion", "It cost 3.5 billion"),
    ("About ١٢٬٠٠٠ jobs, ٤٠٪", "About 12,000 jobs, 40%"),
    ("In ۲۰۲۳", "In 2023"),
    # whitespace
    ("  too   many  spaces  ", "too many spaces"),
    ("", ""),
]

ARABIC = [
    ("هل ستنجح?", "هل ستنجح؟"),
    ("قال, ثم ذهب; نعم", "قال، ثم ذهب؛ نعم"),
    ("هل ستنجح؟؟", "هل ستنجح؟"),
    ("هل ستنجح ?؟", "هل ستنجح؟"),
    ("قال ، ثم ذهب .", "قال، ثم ذهب."),
    ("قال «نعم»?", "قال «نعم»؟"),
    ("بلغ 1,000 دولار", "بلغ 1,000 دولار"),
    ("انظر http://x.com/?a=1,2 الآن", "انظر http://x.com/?a=1,2 الآن"),
    ('قال "Hello, world?" ثم غادر', 'قال "Hello, world?" ثم غادر'),
    ("بلغ ٣٫٥ مليار", "بلغ ٣٫٥ مليار"),
    ("بلغ 3.5 مليار", "بلغ 3.5 مليار"),
    ("كلمة،كلمة", "كلمة، كلمة"),
]


@pytest.mark.parametrize(("model_output", "expected"), ENGLISH)
def test_render_english(model_output: str, expected: str) -> None:
    assert render(model_output, "en") == expected


@pytest.mark.parametrize(("model_output", "expected"), ARABIC)
def test_render_arabic(model_output: str, expected: str) -> None:
    assert render(model_output, "ar") == expected


@pytest.mark.parametrize(
    ("text", "target", "digits", "expected"),
    [
        ("بلغ 1,000.5 دولار بنسبة 40%", "ar", "arabic", "بلغ ١٬٠٠٠٫٥ دولار بنسبة ٤٠٪"),
        ("بلغ ١٬٠٠٠٫٥ دولار بنسبة ٤٠٪", "ar", "ascii", "بلغ 1,000.5 دولار بنسبة 40%"),
        (
            "انظر http://x.com/a1 أو a1@x.com رقم 7",
            "ar",
            "arabic",
            "انظر http://x.com/a1 أو a1@x.com رقم ٧",
        ),
        ("It cost 3.5 billion", "en", "arabic", "It cost ٣٫٥ billion"),
        ("In 2023 the number 7", "fr", "ascii", "In 2023 the number 7"),
    ],
)
def test_digit_systems(text: str, target: str, digits: str, expected: str) -> None:
    assert render(text, target, digits=digits) == expected


def test_unknown_digit_system_is_refused() -> None:
    with pytest.raises(ValueError, match="digits"):
        render("1", "ar", digits="roman")


def test_other_targets_get_spacing_only() -> None:
    assert render("Bonjour , « ami » ?", "fr") == "Bonjour, « ami »?"


def test_rendering_is_linear_on_hostile_output() -> None:
    text = " " * 200_000 + "x" + "?" * 200_000 + "," * 200_000
    assert render(text, "en") == "x?,"

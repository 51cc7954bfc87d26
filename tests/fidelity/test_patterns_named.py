"""Two of issue M's patterns in sentences of their own, each flagged by the checker before
M (commit 8d4bb78, the merge before its first fidelity change) and silent now:

- English that translates a name rather than spelling it (a historical event, a place with
  an Arabic name of its own) was a names warning: "Crusades", "Hebron";
- a name followed by the same name in brackets (the source says it twice) was a loop.

A real loop is still an error."""

from __future__ import annotations

import pytest

from tarjama.fidelity import NameMatcher, check_pair
from tarjama.text import romanize


@pytest.fixture(scope="module")
def names() -> NameMatcher:
    return NameMatcher(romanize.transliterate)


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        # a historical event: الحروب الصليبية is "the Crusades", not a name spelt out
        (
            "قاد صلاح الدين الجيوش خلال الحروب الصليبية.",
            "Saladin led the armies during the Crusades.",
        ),
        # places with an Arabic name of their own: الخليل is Hebron, القدس Jerusalem
        ("زار الرئيس القدس والخليل.", "The president visited Jerusalem and Hebron."),
    ],
)
def test_a_name_translated_rather_than_spelt_is_not_a_lost_name(
    names: NameMatcher, source: str, translation: str
) -> None:
    assert [i for i in check_pair(source, translation, names=names) if i.check == "names"] == []


@pytest.mark.parametrize(
    ("source", "translation"),
    [
        ("تقع بحيرة أونيغا (أونيغا) في روسيا.", "Lake Onega (Lake Onega) is in Russia."),
        (
            "قال إيمانويل ماكرون (ماكرون) إن الاتفاق مهم.",
            "Emmanuel Macron (Emmanuel Macron) said the deal was important.",
        ),
        # a bracket closes between the two: "it is), it is"
        (
            "كلما كان الجو أبرد، وجب ارتداء المعطف.",
            "The colder it is), it is necessary to wear a coat.",
        ),
    ],
)
def test_a_name_said_again_in_brackets_is_not_a_loop(source: str, translation: str) -> None:
    assert [i for i in check_pair(source, translation) if i.check == "repetition"] == []


def test_a_loop_before_the_bracket_is_still_an_error() -> None:
    issues = check_pair(
        "تقع بحيرة أونيغا في روسيا.", "Onega Lake Onega Lake (Onega Lake) is in Russia."
    )
    assert ("repetition", "error") in {(i.check, i.severity) for i in issues}

"""Glossary files, clitic-tolerant matching, and protect/restore around an engine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama.errors import GlossaryError
from tarjama.fidelity import Context, GlossaryCheck
from tarjama.fidelity.glossary import Glossary, Term
from tarjama.workspace import Workspace

GLOSSARY = Glossary(
    [
        Term("بوتين", "Putin"),
        Term("البحر الأحمر", "Red Sea"),
        Term("موانئ", "Mawani", "the ports authority"),
        Term("رؤية 2030", "Vision 2030"),
    ]
)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("قال بوتين", ["بوتين"]),
        ("وبوتين قال", ["وبوتين"]),
        ("رسالة لبوتين", ["لبوتين"]),
        ("قال بُوتِين", ["بُوتِين"]),
        ("في البحر الأحمر", ["البحر الأحمر"]),
        ("بالبحر الأحمر", ["بالبحر الأحمر"]),
        ("في البحر", []),
        ("بوتينات", []),
        ("ضمن «رؤية 2030»", ["رؤية 2030"]),
        ("ضمن رؤية المملكة", []),
        ("ضمن رؤية ٢٠٣٠", ["رؤية ٢٠٣٠"]),
    ],
)
def test_arabic_matching_tolerates_clitics(text: str, found: list[str]) -> None:
    assert [m.text for m in GLOSSARY.find(text, "ar")] == found


def test_large_glossary_finds_by_first_word() -> None:
    terms = [Term(f"مصطلح{i}", f"term {i}") for i in range(20000)] + [Term("بوتين", "Putin")]
    big = Glossary(terms)
    assert [m.term.en for m in big.find("قال بوتين ومصطلح7", "ar")] == ["Putin", "term 7"]
    assert [m.text for m in big.find("Term 7 and term 70, not term 700x", "en")] == [
        "Term 7",
        "term 70",
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("President Putin said", ["Putin"]),
        ("PUTIN's plan", ["PUTIN"]),
        ("Putinism", []),
        ("the red  sea coast", ["red  sea"]),
    ],
)
def test_english_matching_is_case_insensitive_on_word_boundaries(
    text: str, found: list[str]
) -> None:
    assert [m.text for m in GLOSSARY.find(text, "en")] == found


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("g.csv", "ar,en,note\nبوتين,Putin,president\n"),
        ("g.csv", "بوتين,Putin\n"),
        ("g.tsv", "بوتين\tPutin\n"),
        (
            "g.tbx",
            '<tbx><text><body><termEntry><langSet xml:lang="ar"><tig><term>بوتين</term></tig>'
            '</langSet><langSet xml:lang="en"><tig><term>Putin</term></tig></langSet>'
            "</termEntry></body></text></tbx>",
        ),
    ],
)
def test_load_formats(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert [(t.ar, t.en) for t in Glossary.load(path).terms] == [("بوتين", "Putin")]


@pytest.mark.parametrize(
    ("content", "message"), [("بوتين\n", ":1:"), ("<tbx><oops></tbx>", "not valid TBX")]
)
def test_bad_files_raise_glossary_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "g.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GlossaryError, match=message):
        Glossary.load(path)


def test_missing_file_is_a_glossary_error(tmp_path: Path) -> None:
    with pytest.raises(GlossaryError):
        Glossary.load(tmp_path / "none.csv")


def test_default_glossary_lives_in_tarjama_home(home: Path) -> None:
    assert Workspace.open().glossary() is None
    home.mkdir(parents=True)
    (home / "glossary.csv").write_text("بوتين,Putin\n", encoding="utf-8")
    default = Workspace.open().glossary()
    assert default is not None and len(default) == 1


def test_protect_writes_the_target_inline() -> None:
    text, protected = GLOSSARY.protect("التقى وبوتين في البحر الأحمر", "ar", "en")
    assert text == "التقى Putin في Red Sea"
    assert [(p.source_text, p.target_text) for p in protected] == [
        ("وبوتين", "Putin"),
        ("البحر الأحمر", "Red Sea"),
    ]


@pytest.mark.parametrize(
    ("hypothesis", "restored", "missing"),
    [
        ("He met Putin on the Red Sea.", "He met Putin on the Red Sea.", []),
        ("He met putin on the red sea.", "He met Putin on the Red Sea.", []),
        ("He met Putim on the Red Sea.", "He met Putin on the Red Sea.", []),
        # a character the model could not write is dropped by decoding; "on" is kept
        ("He met Putn on the Red Sea.", "He met Putin on the Red Sea.", []),
        ("He met Putin on the RedSea.", "He met Putin on the Red Sea.", []),
        (
            "He met the president on the sea.",
            "He met the president on the sea.",
            ["Putin", "Red Sea"],
        ),
    ],
)
def test_restore_verifies_repairs_and_reports(
    hypothesis: str, restored: str, missing: list[str]
) -> None:
    _, protected = GLOSSARY.protect("التقى بوتين في البحر الأحمر", "ar", "en")
    text, lost = GLOSSARY.restore(hypothesis, protected)
    assert text == restored
    assert [p.target_text for p in lost] == missing


def test_whole_segment_from_the_glossary() -> None:
    assert GLOSSARY.whole("«البحر الأحمر».", "ar") == Term("البحر الأحمر", "Red Sea")
    assert GLOSSARY.whole("في البحر الأحمر", "ar") is None


@pytest.mark.parametrize(
    ("translation", "flagged"),
    [("Putin spoke.", False), ("Poutine spoke.", True), ("PUTIN spoke.", False)],
)
def test_glossary_check(translation: str, flagged: bool) -> None:
    issues = GlossaryCheck().check("تحدث بوتين.", translation, Context(glossary=GLOSSARY))
    assert bool(issues) is flagged
    assert all(i.severity == "error" and i.source_text == "بوتين" for i in issues)

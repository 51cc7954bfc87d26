"""Alignment: anchors, the bead dynamic program, bilingual files and `tarjama align`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tarjama.archive import Aligner, read_articles
from tarjama.archive.anchors import AnchorExtractor
from tarjama.archive.readers import split_bilingual
from tarjama.cli import main
from tarjama.engines.characters import Transliterator
from tarjama.errors import InputError
from tarjama.text import romanize
from tarjama.text.numbers import canonical_key, read_quantities
from tarjama.text.phonetic import Transliterate
from tarjama.workspace import Workspace

from ..conftest import (
    ARTICLE_AR,
    ARTICLE_BILINGUAL,
    ARTICLE_EN,
    ARTICLE_GOLD,
    TRANSLIT_MODEL,
)

BILINGUAL = ARTICLE_BILINGUAL
GOLD = json.loads(ARTICLE_GOLD.read_text(encoding="utf-8"))


def _gold_rows() -> list[list[str]]:
    """The gold sentence pairs of the article, in order (the paragraphs pair one to one)."""
    return [
        [ar, en]
        for par_ar, par_en in zip(GOLD["ar"], GOLD["en"], strict=True)
        for ar, en in zip(par_ar, par_en, strict=True)
    ]


@pytest.fixture(
    scope="module",
    params=[
        "romaniser",
        pytest.param("model", marks=pytest.mark.needs_data),
    ],
)
def transliterate(request: pytest.FixtureRequest) -> Transliterate:
    """Both ways of spelling Arabic names: the built-in romaniser and the character model."""
    if request.param == "romaniser":
        return romanize.transliterate
    return Transliterator.load(TRANSLIT_MODEL).transliterate


@pytest.mark.parametrize(
    ("raw", "lang", "normalised"),
    [
        ("٣٫٥", "ar", "3.5"),
        ("3.5", "en", "3.5"),
        ("12,000", "en", "12000"),
        ("١٢٬٠٠٠", "ar", "12000"),
        ("12 ألف", "ar", "12000"),
        ("12 thousand", "en", "12000"),
        ("2027", "en", "2027"),
        ("٢٠٢٧", "ar", "2027"),
        ("1.000.000", "en", "1000000"),
        ("0,5", "ar", "0.5"),
        ("40", "en", "40"),
    ],
)
def test_numbers_normalise_across_digit_systems(raw: str, lang: str, normalised: str) -> None:
    (quantity,) = read_quantities(raw, lang)
    assert canonical_key(quantity) == normalised


@pytest.mark.parametrize(
    ("arabic", "english", "shared"),
    [
        ("بلغت التكلفة ٣٫٥ مليار ريال", "The cost was 3.5 billion riyals", {("num", "3500000000")}),
        ("وفر المشروع 12 ألف وظيفة", "The project created 12,000 jobs", {("num", "12000")}),
        ("قالت شبكة CNN إن", "CNN said that", {("lat", "cnn")}),
        ("قال «نعم» أمس", 'He said "yes" yesterday', {("quote", "")}),
        ("هل ستنجح؟", "Will it succeed?", {("punct", "?")}),
        ("في يوم الثلاثاء", "on Tuesday", {("date", "day2")}),
        ("في مارس الماضي", "last March", {("date", "month3")}),
        ("زار بوتين موسكو", "Putin visited Moscow", {("name", "btn"), ("name", "msk")}),
    ],
)
def test_anchors_shared_by_a_sentence_and_its_translation(
    transliterate: Transliterate, arabic: str, english: str, shared: set[tuple[str, str]]
) -> None:
    extractor = AnchorExtractor(transliterate)
    common = extractor.anchors(arabic, "ar") & extractor.anchors(english, "en")
    assert set(common) == shared


def test_names_need_a_transliterator() -> None:
    extractor = AnchorExtractor()
    assert not any(kind == "name" for kind, _ in extractor.anchors("زار بوتين موسكو", "ar"))


def _pairs(aligner: Aligner, ar: list[str], en: list[str]) -> list[tuple[tuple[int, ...], ...]]:
    return [(lk.source, lk.target) for lk in aligner.align_sentences(ar, en)]


AR = [
    "ارتفع مؤشر السوق الرئيسي 120 نقطة في تعاملات اليوم.",
    "وانخفض سهم الشركة الكبرى 45 نقطة بعد إعلان النتائج أمس.",
    "ووصل حجم التداول إلى 300 مليون سهم بقيمة 1.2 مليار دولار.",
    "وقال محللون إن السوق ستبقى متقلبة حتى نهاية العام 2026.",
]
EN = [
    "The main market index rose 120 points in today's trading.",
    "The big company's share fell 45 points after the results were announced yesterday.",
    "Trading volume reached 300 million shares worth 1.2 billion dollars.",
    "Analysts said the market would remain volatile until the end of 2026.",
]


@pytest.mark.parametrize(
    ("english", "links"),
    [
        (EN, [((0,), (0,)), ((1,), (1,)), ((2,), (2,)), ((3,), (3,))]),
        (
            [EN[0] + " " + EN[1], EN[2], EN[3]],
            [((0, 1), (0,)), ((2,), (1,)), ((3,), (2,))],
        ),
        (
            [EN[0], EN[1], EN[2] + " " + EN[3]],
            [((0,), (0,)), ((1,), (1,)), ((2, 3), (2,))],
        ),
        ([EN[0], EN[2], EN[3]], [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]),
        ([EN[0], EN[1], EN[3]], [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))]),
    ],
)
def test_sentence_beads(english: list[str], links: list[tuple[tuple[int, ...], ...]]) -> None:
    assert _pairs(Aligner(), AR, english) == links


def test_split_source_sentence_is_a_one_to_two_link() -> None:
    ar = ["قال الوزير إن الميناء سيستقبل 4.8 مليون حاوية في 2023 وإن العمل سيبدأ في 2024."]
    en = [
        "The minister said the port would receive 4.8 million containers in 2023.",
        "He said work would start in 2024.",
    ]
    assert _pairs(Aligner(), ar, en) == [((0,), (0, 1))]


def test_anchors_place_a_dropped_sentence_where_length_cannot() -> None:
    # Sentences of one length: only the numbers tell which Arabic one lost its translation.
    ar = [f"سجلت المحطة رقم {n} قراءة جديدة اليوم." for n in (17, 23, 38, 41)]
    en = [f"Station number {n} recorded a new reading today." for n in (17, 38, 41)]
    truth = [((0,), (0,)), ((1,), ()), ((2,), (1,)), ((3,), (2,))]
    assert _pairs(Aligner(), ar, en) == truth
    assert _pairs(Aligner(use_anchors=False), ar, en) != truth


def test_links_carry_posterior_scores_and_flags() -> None:
    links = Aligner().align_sentences(AR, [EN[0], EN[2], EN[3]], ratio=1.13)
    assert all(0.0 <= lk.score <= 1.0 for lk in links)
    by_kind = {lk.kind: lk for lk in links}
    assert by_kind["1-0"].flagged
    assert all(not lk.flagged and lk.score > 0.9 for lk in links if lk.kind == "1-1")


def test_unequal_paragraph_counts_use_the_dynamic_program() -> None:
    ar = [AR[0] + " " + AR[1], AR[2], AR[3]]
    en = [EN[0] + " " + EN[1], EN[2], "An unrelated English note added by the editor.", EN[3]]
    alignment = Aligner().align(ar, en)
    kinds = [p.kind for p in alignment.paragraphs]
    assert kinds == ["1-1", "1-1", "0-1", "1-1"]
    assert alignment.paragraphs[2].flagged
    assert [(s.source, s.target) for s in alignment.paragraphs[0].sentences] == [
        (AR[0], EN[0]),
        (AR[1], EN[1]),
    ]


def test_equal_paragraph_counts_pair_in_order_but_flag_a_doubtful_pair() -> None:
    ar = [AR[0], AR[1], AR[2]]
    en = [EN[0], EN[2], EN[1]]  # swapped translations: the order is kept, the doubt shown
    alignment = Aligner().align(ar, en)
    assert [p.kind for p in alignment.paragraphs] == ["1-1"] * 3
    assert [p.flagged for p in alignment.paragraphs] == [False, True, True]


def test_article_matches_the_gold_sentences(transliterate: Transliterate) -> None:
    (article,) = read_articles(BILINGUAL)
    alignment = Aligner(transliterate=transliterate).align(article.arabic, article.english)
    assert len(alignment.paragraphs) == 5
    gold = [tuple(row) for row in _gold_rows()]
    assert [(s.source, s.target) for s in alignment.sentences] == gold
    assert not any(s.flagged for s in alignment.sentences)


@pytest.mark.parametrize(
    ("text", "articles"),
    [
        ("مرحبا\nHello\n", [(["مرحبا"], ["Hello"])]),
        ("مرحبا\n\nأهلا\nHello\nHi\n", [(["مرحبا", "أهلا"], ["Hello", "Hi"])]),
        ("مرحبا\nHello\nسلام\nPeace\n", [(["مرحبا"], ["Hello"]), (["سلام"], ["Peace"])]),
        # A line without letters stays with its side; an Arabic line quoting CNN is Arabic.
        ("قالت CNN أمس\n2023\nCNN said\n", [(["قالت CNN أمس", "2023"], ["CNN said"])]),
    ],
)
def test_split_bilingual_by_script(text: str, articles: list[tuple[list[str], ...]]) -> None:
    assert split_bilingual(text) == articles


@pytest.mark.parametrize("text", ["", "Hello only\n", "مرحبا\nHello\nسلام\n"])
def test_split_bilingual_rejects_texts_without_pairs(text: str) -> None:
    with pytest.raises(InputError):
        split_bilingual(text)


@pytest.mark.needs_data
def test_workspace_finds_the_installed_transliteration_model(home: Path) -> None:
    assert Workspace.open(home).transliterate is romanize.transliterate  # none installed
    Workspace.open(home).models.add(TRANSLIT_MODEL, "aren-transliteration")
    transliterate = Workspace.open(home).transliterate
    assert transliterate is not None
    assert transliterate(["بوتين"]) == ["bottin"]


def test_cli_align_bilingual_article(capsys: pytest.CaptureFixture[str], home: Path) -> None:
    assert main(["align", str(BILINGUAL)]) == 0
    out, err = capsys.readouterr()
    rows = [line.split("\t") for line in out.splitlines()[1:]]
    assert [row[-2:] for row in rows] == _gold_rows()
    assert sorted({row[1] for row in rows}) == ["1", "2", "3", "4", "5"]
    assert "5 paragraph pairs, 7 sentence pairs, 0 flagged" in err


def test_cli_align_pair_and_folder_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "port.ar.txt").write_text(ARTICLE_AR.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "port.en.txt").write_text(ARTICLE_EN.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "bilingual.txt").write_text(BILINGUAL.read_text(encoding="utf-8"), "utf-8")
    assert main(["align", str(folder), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result) == 2
    for article in result:
        pairs = [[s["source"], s["target"]] for p in article["paragraphs"] for s in p["sentences"]]
        assert pairs == _gold_rows()

    assert main(["align", str(folder / "port.ar.txt"), "--en", str(folder / "port.en.txt")]) == 0
    assert "7 sentence pairs" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["align", str(ARTICLE_AR)], "only one language"),
        (["align", "no-such-file.txt"], "no such file"),
        (
            ["align", str(ARTICLE_EN), "--en", str(BILINGUAL)],
            "expected Arabic",
        ),
    ],
)
def test_cli_align_errors(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str], home: Path
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err

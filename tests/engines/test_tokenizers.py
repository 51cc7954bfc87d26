"""Tokenizer round trips for the three layouts: prefixes, special tokens, pieces the target
model lacks, and empty output. Decoded text never holds ``▁`` or a special token."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama.engines.tokenizers import (
    CharacterTokenizer,
    MarianTokenizer,
    NllbTokenizer,
    is_special,
)

MARK = "\u2581"


@pytest.fixture(scope="module")
def marian(tiny_model_dir: Path) -> MarianTokenizer:
    return MarianTokenizer(tiny_model_dir / "source.spm", tiny_model_dir / "target.spm")


@pytest.fixture(scope="module")
def nllb(tiny_nllb_dir: Path) -> NllbTokenizer:
    return NllbTokenizer(tiny_nllb_dir / "sentencepiece.bpe.model")


@pytest.mark.parametrize(
    ("token", "special"),
    [
        ("</s>", True), ("<unk>", True), ("<pad>", True), ("<mask>", True), ("<s>", True),
        (">>ara<<", True), (">>arz<<", True), ("arb_Arab", True), ("fra_Latn", True),
        ("zho_Hans", True), ("madeupword0000", True), ("<blank>", True),
        (f"{MARK}The", False), ("<", False), (">", False), ("ara", False), (MARK, False),
        (f"{MARK}<", False), ("Arab", False),
    ],
)  # fmt: skip
def test_special_tokens(token: str, special: bool) -> None:
    assert is_special(token) is special


def test_marian_encodes_with_its_prefix_and_end(tiny_model_dir: Path) -> None:
    tok = MarianTokenizer(tiny_model_dir / "source.spm", tiny_model_dir / "target.spm", [">>ara<<"])
    (unit,) = tok.encode("The plant.", "en", "ar")
    assert unit[0] == ">>ara<<" and unit[-1] == "</s>" and len(unit) > 3
    assert tok.target_prefix("ar") is None


@pytest.mark.parametrize(
    ("pieces", "text"),
    [
        ([f"{MARK}The", f"{MARK}plant", "."], "The plant."),
        # a piece of the shared vocabulary that target.spm lacks keeps its space
        (
            [f"{MARK}The", f"{MARK}president", f"{MARK}الرئيس", f"{MARK}said", "."],
            "The president الرئيس said.",
        ),
        ([f"{MARK}الرئيس"], "الرئيس"),
        # special tokens are dropped wherever the model put them
        ([">>ara<<", f"{MARK}The", "<unk>", f"{MARK}plant", "</s>", "<pad>"], "The plant"),
        (["</s>"], ""),
        ([], ""),
        ([MARK, MARK, f"{MARK}The"], "The"),
    ],
)
def test_marian_decoding(marian: MarianTokenizer, pieces: list[str], text: str) -> None:
    out = marian.decode([pieces])
    assert out == text
    assert MARK not in out and not any(is_special(w) for w in out.split())


def test_nllb_encodes_language_codes_around_the_text(nllb: NllbTokenizer) -> None:
    (unit,) = nllb.encode("قال الوزير.", "ar", "en")
    assert unit[0] == "arb_Arab" and unit[-1] == "</s>"
    assert nllb.target_prefix("en") == ["eng_Latn"] and nllb.target_prefix("ar") == ["arb_Arab"]


@pytest.mark.parametrize(
    ("pieces", "text"),
    [
        (["eng_Latn", f"{MARK}The", f"{MARK}plant", "."], "The plant."),
        (["eng_Latn", "fra_Latn", f"{MARK}The", "zho_Hans", f"{MARK}plant"], "The plant"),
        (["eng_Latn", "<unk>", f"{MARK}The", "madeupword0002", "<mask>", "</s>"], "The"),
        (["arb_Arab"], ""),
    ],
)
def test_nllb_decoding_drops_every_language_code_and_filler(
    nllb: NllbTokenizer, pieces: list[str], text: str
) -> None:
    assert nllb.decode([pieces]) == text


def test_characters_round_trip(tiny_characters_dir: Path) -> None:
    tok = CharacterTokenizer([tiny_characters_dir / "source_vocabulary.json"])
    assert tok.encode("بوتين تاس", "ar", "en") == [list("بوتين"), list("تاس")]
    assert tok.decode([list("bottin"), ["t", "<unk>", "a", "s", "s", "</s>"]]) == "bottin tass"
    assert tok.decode([[]]) == ""


TEXTS = ["قال الوزير إن الخطة جاهزة.", "", "وبلغت الكلفة 3.5 مليار دولار", "مرحبا"]


@pytest.mark.parametrize("layout", ["marian", "nllb"])
def test_lists_go_through_sentencepiece_in_one_call_and_match_one_by_one(
    layout: str, request: pytest.FixtureRequest, tiny_model_dir: Path
) -> None:
    tok = request.getfixturevalue(layout)
    each = [tok.encode(t, "ar", "en") for t in TEXTS]
    outputs = [[u[1:-1]] for (u,) in each] + [[], [[f"{MARK}a", "b"], ["</s>"]]]
    decoded = [tok.decode(o) for o in outputs]

    calls: list[str] = []

    class Counting:
        """The SentencePiece processor, counting the calls that cross into C++."""

        def __init__(self, sp: object) -> None:
            self.sp = sp

        def __getattr__(self, name: str) -> object:
            calls.append(name)
            return getattr(self.sp, name)

    tok._src, tok._tgt = Counting(tok._src), Counting(tok._tgt)
    try:
        assert tok.encode_many(TEXTS, "ar", "en") == each
        assert tok.decode_many(outputs) == decoded
    finally:
        tok._src, tok._tgt = tok._src.sp, tok._tgt.sp
    assert calls == ["encode", "decode_pieces"]
    assert decoded[-2] == "" and decoded[-1].split() == ["ab"]


def test_characters_lists_match_one_by_one(tiny_characters_dir: Path) -> None:
    tok = CharacterTokenizer([tiny_characters_dir / "source_vocabulary.json"])
    each = [tok.encode(t, "ar", "en") for t in TEXTS]
    assert tok.encode_many(TEXTS, "ar", "en") == each
    assert tok.decode_many(each) == [tok.decode(u) for u in each]

"""Real CTranslate2 models: the transliteration model, and tiny random OPUS-MT/NLLB models."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama import Translator
from tarjama.engines.characters import Transliterator
from tarjama.engines.ct2 import decoding_limit, resolve_device
from tarjama.engines.loader import load_engine
from tarjama.errors import ConfigError

from ..conftest import ARTICLE_AR, TRANSLIT_MODEL


@pytest.mark.needs_data
@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("زيلينسكي", "zelensky"), ("بيلاوسوف", "bellausov"), ("دارشييف", "darcheev"), ("تاس", "tass")],
)
def test_transliteration_model_translates(arabic: str, latin: str) -> None:
    # A helper, never a translator: it is used as the names check uses it.
    t = Transliterator.load(TRANSLIT_MODEL)
    assert t.transliterate([arabic]) == [latin]


@pytest.mark.needs_data
def test_character_model_handles_several_words() -> None:
    t = Transliterator.load(TRANSLIT_MODEL)
    assert t.transliterate(["زيلينسكي تاس"]) == ["zelensky tass"]


def test_engine_signature_and_defaults(tiny_characters_dir: Path) -> None:
    # The engine as it loads; only the workspace refuses a helper as a user's translator.
    t = Translator(load_engine(tiny_characters_dir))
    sig = t.signature.to_json()
    assert sig["beam"] == 4
    # int8 on the CPU, int8 weights with float16 compute on CUDA: whichever "auto" chose.
    device = t.engine.device  # type: ignore[attr-defined]
    assert sig["compute_type"] == {"cpu": "int8", "cuda": "int8_float16"}[device]
    assert len(str(sig["tokenizer"])) == 12 and len(str(sig["model_id"])) == 12
    assert t.signature.to_text().startswith("model:tiny-characters|")


def test_decoding_limit_tracks_source_length() -> None:
    assert decoding_limit(10) == 30
    assert decoding_limit(0) == 10


def test_device_choices() -> None:
    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") in ("cpu", "cuda")
    with pytest.raises(ConfigError, match="unknown device"):
        resolve_device("tpu")


def test_bad_beam_is_refused(tiny_characters_dir: Path) -> None:
    with pytest.raises(ConfigError, match="beam size"):
        load_engine(tiny_characters_dir, beam_size=0)


def test_tiny_opus_model_translates_an_article(tiny_model_dir: Path) -> None:
    text = ARTICLE_AR.read_text(encoding="utf-8")
    t = Translator.load(tiny_model_dir)
    doc = t.translate_document(text)
    assert len(doc.paragraphs) == len(text.strip().splitlines()) == 5
    assert all(seg.translation.strip() for seg in doc.segments)
    assert all(seg.score is not None and seg.score < 0 for seg in doc.segments)
    assert doc.text.count("\n") == text.count("\n")
    data = doc.to_json()
    assert "\n".join(p["translation"] for p in data["paragraphs"]) + "\n" == doc.text


def test_tiny_nllb_model_both_directions(tiny_nllb_dir: Path) -> None:
    ar_en = Translator.load(tiny_nllb_dir)
    en_ar = Translator.load(tiny_nllb_dir, source="en", target="ar")
    assert (ar_en.source, ar_en.target) == ("ar", "en")
    out = en_ar.translate(["The port will grow."])
    assert out[0].strip()
    # Language codes are decoding instructions, never part of the text.
    assert "arb_Arab" not in out[0] and "eng_Latn" not in out[0]


def test_alternatives_are_returned(tiny_model_dir: Path) -> None:
    t = Translator.load(tiny_model_dir)
    hyp = t.translate_units(["مرحبا بكم"], num_alternatives=2)[0]
    assert len(hyp.alternatives) == 2
    assert all(a.strip() for a in hyp.alternatives)


def test_with_beam_shares_the_model_and_changes_only_the_beam(tiny_model_dir: Path) -> None:
    t = Translator.load(tiny_model_dir)
    engine = t.engine
    wide = engine.with_beam(2)  # type: ignore[attr-defined]
    assert (engine.signature.setting("beam"), wide.signature.setting("beam")) == (4, 2)
    assert wide._translator is engine._translator  # type: ignore[attr-defined]
    assert Translator(wide).translate(["مرحبا بكم"])[0].strip()
    with pytest.raises(ConfigError, match="beam size"):
        engine.with_beam(0)  # type: ignore[attr-defined]

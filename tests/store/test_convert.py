"""Real checkpoints through the real converter: tiny random transformers models in the hub's
layout (Marian, multi-target Marian, NLLB), installed with `pull` and with `models add`,
and compared with transformers itself: the same source tokens, the same greedy output
tokens on a float32 conversion, and the same text once decoded."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tarjama.cli import main
from tarjama.engines.ct2 import decoding_limit
from tarjama.engines.tokenizers import is_special
from tarjama.store import ModelStore
from tarjama.store.convert import ct2_convert
from tarjama.store.pull import pull
from tarjama.workspace import Workspace

from ..conftest import corpus

pytestmark = pytest.mark.needs_torch

SENTENCES = {
    "ar": [*corpus("ar")[:4], "قال الرئيس إن المحطة جديدة.", "؟"],
    "en": [*corpus("en")[:4], "The president said the plant is new.", "?"],
}


def _float32(checkpoint: Path, out: Path, copy_files: list[str]) -> None:
    ct2_convert(checkpoint, out, copy_files, quantization=None)


@pytest.fixture(scope="module")
def checkpoints(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from ..checkpoints import build_marian_checkpoint, build_nllb_checkpoint

    root = tmp_path_factory.mktemp("hub")
    return {
        "ar-en": build_marian_checkpoint(root / "Helsinki-NLP" / "opus-mt-ar-en"),
        "en-ar": build_marian_checkpoint(
            root / "Helsinki-NLP" / "opus-mt-en-ar",
            source="en",
            target="ar",
            language_tokens=[">>ara<<", ">>arz<<", ">>apc<<"],
            weights="bin",
        ),
        "nllb": build_nllb_checkpoint(root / "facebook" / "nllb-200-distilled-600M"),
    }


@pytest.fixture(scope="module")
def home32(tmp_path_factory: pytest.TempPathFactory, checkpoints: dict[str, Path]) -> Path:
    """A home with all three installed by `models add`, converted to float32."""
    home = tmp_path_factory.mktemp("home32")
    store = ModelStore(home)
    store.add(checkpoints["ar-en"], "marian", convert=_float32)
    store.add(checkpoints["en-ar"], "marian-en-ar", convert=_float32)
    store.add(checkpoints["nllb"], "nllb", convert=_float32)
    return home


def _hf(checkpoint: Path) -> tuple[Any, Any]:
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    return AutoTokenizer.from_pretrained(checkpoint), AutoModelForSeq2SeqLM.from_pretrained(
        checkpoint
    )


def test_add_detects_the_direction_and_prefix_of_each_checkpoint(home32: Path) -> None:
    store = ModelStore(home32)
    marian, en_ar, nllb = (store.manifest(n) for n in ("marian", "marian-en-ar", "nllb"))
    assert (marian.pairs, marian.source_prefix) == ([("ar", "en")], [])
    assert (en_ar.pairs, en_ar.source_prefix) == ([("en", "ar")], [">>ara<<"])
    assert set(nllb.pairs) == {("ar", "en"), ("en", "ar")}
    assert all(m.origin["converted"] for m in (marian, en_ar, nllb))


@pytest.mark.parametrize(
    ("model", "checkpoint", "source", "target"),
    [
        ("marian", "ar-en", "ar", "en"),
        ("marian-en-ar", "en-ar", "en", "ar"),
        ("nllb", "nllb", "ar", "en"),
        ("nllb", "nllb", "en", "ar"),
    ],
)
def test_tokens_and_text_equal_transformers(
    home32: Path,
    checkpoints: dict[str, Path],
    model: str,
    checkpoint: str,
    source: str,
    target: str,
) -> None:
    import ctranslate2

    tokenizer, hf = _hf(checkpoints[checkpoint])
    codes = {"ar": "arb_Arab", "en": "eng_Latn"}
    if model == "nllb":
        tokenizer.src_lang = codes[source]
    engine = Workspace.open(home32).engine(model, device="cpu", beam_size=1, compute_type="float32")
    raw = ctranslate2.Translator(str(home32 / "models" / model), device="cpu")
    for text in SENTENCES[source]:
        (units,) = [engine.tokenizer.encode(text, source, target)]  # type: ignore[attr-defined]
        (ours,) = units
        # transformers' users write the target token themselves: ">>ara<< The plant."
        written = " ".join([*ModelStore(home32).manifest(model).source_prefix, text])
        ids = tokenizer(written, return_tensors="pt")
        theirs = tokenizer.convert_ids_to_tokens(ids["input_ids"][0])
        assert ours == theirs, text  # the same source tokens, prefix and </s> included
        limit = decoding_limit(len(ours))
        extra = {"forced_bos_token_id": tokenizer.convert_tokens_to_ids(codes[target])}
        out = hf.generate(
            **ids, num_beams=1, do_sample=False, max_new_tokens=limit,
            **(extra if model == "nllb" else {}),
        )[0]  # fmt: skip
        expected = tokenizer.convert_ids_to_tokens(out)[1:]  # the decoder's start token
        prefix = engine.tokenizer.target_prefix(target)  # type: ignore[attr-defined]
        (result,) = raw.translate_batch(
            [ours], target_prefix=[prefix] if prefix else None, beam_size=1,
            max_decoding_length=limit, max_input_length=0,
        )  # fmt: skip
        got = result.hypotheses[0]
        assert got == expected[: len(got)] and len(got) >= len(expected) - 1, text
        # The same text as transformers' decode(skip_special_tokens=True), spaces folded.
        (hyp,) = engine.translate_batch([text], source, target)
        reference = " ".join(tokenizer.decode(out, skip_special_tokens=True).split())
        assert hyp.text == reference, text
        assert "\u2581" not in hyp.text and not any(is_special(w) for w in hyp.text.split())


def test_marian_output_with_a_source_piece_keeps_its_space(
    home32: Path, checkpoints: dict[str, Path]
) -> None:
    """A piece of the shared vocabulary that target.spm lacks (an Arabic word copied into
    English) is decoded as transformers decodes it: "president الرئيس", never "▁"."""
    engine = Workspace.open(home32).engine("marian", device="cpu")
    tokenizer, _ = _hf(checkpoints["ar-en"])
    pieces = ["▁The", "▁president", "▁الرئيس", "▁said", ".", "</s>"]
    assert engine.tokenizer.decode([pieces]) == "The president الرئيس said."  # type: ignore[attr-defined]
    assert tokenizer.convert_tokens_to_string(pieces[:-1]) == "The president الرئيس said."


def _fake_hub(root: Path) -> Callable[[str, Path], Path]:
    def download(repo_id: str, local_dir: Path) -> Path:
        shutil.copytree(root / repo_id, local_dir)
        return local_dir

    return download


@pytest.mark.parametrize(
    ("name", "pair", "prefix"),
    [
        ("opus-mt-ar-en", ("ar", "en"), []),
        ("opus-mt-en-ar", ("en", "ar"), [">>ara<<"]),
        ("nllb-200-distilled-600M", ("ar", "en"), []),
    ],
)
def test_pull_converts_each_layout_to_int8_and_it_translates(
    tmp_path: Path,
    checkpoints: dict[str, Path],
    name: str,
    pair: tuple[str, str],
    prefix: list[str],
) -> None:
    hub = next(iter(checkpoints.values())).parents[1]
    home = tmp_path / "home"
    m = pull(name, home=home, download=_fake_hub(hub), status=lambda _: None)
    assert pair in m.pairs and m.source_prefix == prefix
    assert m.origin["converted"] is True and m.origin["quantization"] == "int8"
    ws = Workspace.open(home)
    doc = ws.translator(name, source=pair[0], target=pair[1]).translate_document(
        "\n".join(SENTENCES[pair[0]][:2])
    )
    assert len(doc.paragraphs) == 2 and all(s.translation for s in doc.segments)
    assert "\u2581" not in doc.text


def test_cli_add_of_a_checkpoint_and_translate_en_ar_puts_the_prefix_first(
    tmp_path: Path, checkpoints: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    code = main(
        ["models", "--home", str(home), "add", str(checkpoints["en-ar"]), "--name", "my-en-ar"]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "en->ar, source prefix >>ara<<" in out and "converted to CTranslate2 int8" in out
    ws = Workspace.open(home)
    assert ws.model_for("en", "ar") == "my-en-ar"
    translator = ws.translator(source="en", target="ar")  # chosen by the pair, no --model
    (units,) = [translator.engine.tokenizer.encode("The plant.", "en", "ar")]  # type: ignore[attr-defined]
    assert units[0][0] == ">>ara<<"


def test_add_without_the_convert_extra_says_which_extra(
    tmp_path: Path, checkpoints: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "transformers", None)  # import fails as if absent
    with pytest.raises(
        Exception, match=r"needs the 'convert' extra: pip install 'tarjama\[convert\]'"
    ):
        ModelStore(tmp_path / "home").add(checkpoints["ar-en"], "m")
    assert ModelStore(tmp_path / "home").names() == []

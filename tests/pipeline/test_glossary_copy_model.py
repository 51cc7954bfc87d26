"""Glossary enforcement through a real CTranslate2 engine: a crafted model that copies.

The random-weight test model never copies the inline term that ``Glossary.protect``
writes, so protect -> decode -> restore -> verify is followed here with
:func:`tarjama.testing.build_copy_model`: a model that writes its source back, or a
near-copy of it when some pieces are rewired, as a real model misspells a name.
"""

from __future__ import annotations

from pathlib import Path

import ctranslate2
import pytest
import sentencepiece as spm

from tarjama import Translator
from tarjama.fidelity.glossary import Glossary, Term
from tarjama.testing import build_copy_model

from ..conftest import corpus

SENTENCE = "التقى لبوتين أمس في موسكو."


#: Names the tests put inline: their letters must be in the copy model's vocabulary.
NAMES = ["Putin", "Vladimir Putin", "Emmanuel Macron", "Recep Tayyip Erdoan", "PUTIN-X"]


def _lines() -> list[str]:
    return [*corpus("ar"), *corpus("en"), *NAMES]


@pytest.fixture(scope="module")
def copy_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy_model(tmp_path_factory.mktemp("models") / "copy-ar-en", _lines())


def _engine_output(model: Path, texts: list[str], beam: int) -> list[str]:
    """What the engine alone writes: no glossary, no rendering."""
    engine = Translator.load(model, beam_size=beam).engine
    return [h.text for h in engine.translate_batch(texts, "ar", "en")]


@pytest.mark.parametrize("beam", [1, 4])
@pytest.mark.parametrize(
    "text",
    [
        "التقى Putin أمس في موسكو.",
        "The summit opened in Riyadh on Monday.",
        "قال Emmanuel Macron إن القمة ناجحة",
    ],
)
def test_copy_model_writes_its_source_back(copy_dir: Path, text: str, beam: int) -> None:
    sp = spm.SentencePieceProcessor(model_file=str(copy_dir / "source.spm"))
    tokens = sp.encode(text, out_type=str)
    result = ctranslate2.Translator(str(copy_dir), device="cpu").translate_batch(
        [[*tokens, "</s>"]], beam_size=beam
    )
    assert result[0].hypotheses[0] == tokens


@pytest.mark.parametrize("beam", [1, 4])
def test_copy_model_copies_whole_articles(copy_dir: Path, beam: int) -> None:
    lines = _lines()[::5]
    sp = spm.SentencePieceProcessor(model_file=str(copy_dir / "source.spm"))
    assert _engine_output(copy_dir, lines, beam) == [sp.decode(sp.encode(x)) for x in lines]


@pytest.mark.parametrize("beam", [1, 4])
@pytest.mark.parametrize("wanted", ["Putin", "PUTIN-X", "Vladimir Putin"])
def test_protected_term_is_copied_restored_and_verified(
    copy_dir: Path, wanted: str, beam: int
) -> None:
    glossary = Glossary([Term("بوتين", wanted)])
    doc = Translator.load(copy_dir, glossary=glossary, beam_size=beam).translate_document(SENTENCE)
    (seg,) = doc.segments
    assert seg.origin == "model+glossary"
    assert f"التقى {wanted} أمس في موسكو" in seg.translation
    assert [i for i in seg.issues if i.check == "glossary"] == []


@pytest.mark.parametrize(
    ("replace", "near_copy"),
    [
        ({"▁P": "▁p"}, "putin"),  # a casing variant: matched case-insensitively
        ({"in": "on"}, "Puton"),  # a misspelling: repaired by fuzzy alignment
    ],
)
def test_near_copy_is_repaired_to_the_glossary_form(
    tmp_path: Path, replace: dict[str, str], near_copy: str
) -> None:
    model = build_copy_model(tmp_path / "near-copy", _lines(), replace=replace)
    glossary = Glossary([Term("بوتين", "Putin")])
    # The engine alone writes the near-copy of the inline term ...
    (output,) = _engine_output(model, ["التقى Putin أمس في موسكو."], 4)
    assert near_copy in output.split()
    # ... and the pipeline puts the glossary's exact form back and finds nothing missing.
    doc = Translator.load(model, glossary=glossary).translate_document(SENTENCE)
    (seg,) = doc.segments
    assert seg.translation.split()[1] == "Putin"
    assert near_copy not in seg.translation
    assert [i for i in seg.issues if i.check == "glossary"] == []


@pytest.mark.parametrize(
    ("arabic", "english"),
    [("أردوغان", "Erdoğan"), ("رجب طيب أردوغان", "Recep Tayyip Erdoğan")],
)
def test_term_with_a_character_the_model_lacks_is_restored(
    copy_dir: Path, arabic: str, english: str
) -> None:
    # "ğ" is not in the SentencePiece vocabulary: the model writes <unk> for it, which
    # decoding drops like every special token, so the engine alone writes "Erdoan".
    sp = spm.SentencePieceProcessor(model_file=str(copy_dir / "source.spm"))
    assert sp.unk_id() in sp.encode("Erdoğan")
    (raw,) = _engine_output(copy_dir, [f"التقى {english} أمس."], 1)
    assert english.replace("ğ", "") in raw and "⁇" not in raw and "<unk>" not in raw
    glossary = Glossary([Term(arabic, english)])
    doc = Translator.load(copy_dir, glossary=glossary).translate_document(f"التقى {arabic} أمس.")
    (seg,) = doc.segments
    # The whole split run is replaced by the glossary's form: nothing of it is left over.
    assert f"التقى {english} أمس" in seg.translation
    assert "⁇" not in seg.translation
    assert [i for i in seg.issues if i.check == "glossary"] == []


def test_term_the_model_garbles_becomes_an_issue(tmp_path: Path) -> None:
    sp_dir = build_copy_model(tmp_path / "probe", _lines())
    sp = spm.SentencePieceProcessor(model_file=str(sp_dir / "source.spm"))
    # Rewire every piece of the name to "the": the engine no longer writes anything like it.
    model = build_copy_model(
        tmp_path / "garble",
        _lines(),
        replace={piece: "▁the" for piece in sp.encode(" Putin", out_type=str)},
    )
    (raw,) = _engine_output(model, ["التقى Putin أمس في موسكو."], 1)
    assert "Put" not in raw
    glossary = Glossary([Term("بوتين", "Putin")])
    doc = Translator.load(model, glossary=glossary).translate_document(SENTENCE)
    (seg,) = doc.segments
    assert "Putin" not in seg.translation
    issues = [i for i in seg.issues if i.check == "glossary"]
    assert len(issues) == 1 and issues[0].severity == "error"
    assert "Putin" in issues[0].message

"""The memory inside translation: exact matches skip the model, close ones are suggested."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tarjama.archive import TranslationMemory
from tarjama.archive.tmx import load_entries
from tarjama.errors import EngineError
from tarjama.pipeline import Translator

from ..commands import Ran
from ..conftest import ARTICLE_AR, ARTICLE_BILINGUAL, ARTICLE_EN, run_tarjama
from ..fakes import FakeEngine

ARABIC = (ARTICLE_AR).read_text(encoding="utf-8")
ENGLISH = (ARTICLE_EN).read_text(encoding="utf-8")


@pytest.fixture
def memory(tmp_path: Path) -> Iterator[TranslationMemory]:
    with TranslationMemory(tmp_path / "tm.sqlite", create=True) as tm:
        tm.add_many(load_entries([ARTICLE_BILINGUAL]).entries)
        yield tm


def test_whole_article_from_memory_never_calls_the_model(memory: TranslationMemory) -> None:
    engine = FakeEngine(fail=EngineError("the model must not be called"))
    doc = Translator(engine, memory=memory).translate_document(ARABIC)
    assert engine.calls == []
    assert [p.translation for p in doc.paragraphs] == ENGLISH.splitlines()
    assert doc.text == ENGLISH
    assert doc.segments and all(s.origin == "memory" for s in doc.segments)


def test_close_match_goes_to_the_model_with_suggestions(memory: TranslationMemory) -> None:
    changed = "ويعمل في المحطة 950 موظفا، معظمهم من المهندسين الشباب."
    text = ARABIC.replace("ويعمل في المحطة 850 موظفا، معظمهم من المهندسين الشباب.", changed)
    engine = FakeEngine()
    doc = Translator(engine, memory=memory).translate_document(text)
    assert engine.calls == [[changed]]
    (seg,) = [s for s in doc.segments if s.origin != "memory"]
    assert seg.source == changed and seg.origin == "model"
    (suggestion,) = seg.suggestions
    assert suggestion["target"] == "The plant employs 850 staff, most of them young engineers."
    assert 0.85 <= suggestion["score"] < 1
    assert [d for d in suggestion["diff"] if d["op"] != "equal"] == [
        {"op": "replace", "query": "950", "memory": "850"}
    ]
    assert suggestion["origin"].endswith("water-plant.bilingual.txt#1")
    assert json.dumps(doc.to_json(), ensure_ascii=False).count('"suggestions": [{') == 1


def test_without_memory_everything_goes_to_the_model() -> None:
    engine = FakeEngine()
    doc = Translator(engine).translate_document(ARABIC)
    assert len(engine.calls) == 1 and len(engine.calls[0]) == len(doc.segments)
    assert all(s.origin == "model" and not s.suggestions for s in doc.segments)


def test_cli_translate_with_memory(tmp_path: Path, tiny_model_dir: Path) -> None:
    db = tmp_path / "tm.sqlite"

    def tarjama(*args: str) -> Ran[str]:
        return run_tarjama(*args, home=tmp_path / "home")

    r = tarjama("memory", "import", str(ARTICLE_BILINGUAL), "--memory", str(db))
    assert r.returncode == 0, r.stderr
    ar = str(ARTICLE_AR)
    # The tiny model has random weights: any sentence it translated would show.
    r = tarjama("translate", ar, "--model", str(tiny_model_dir), "--memory", str(db))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ENGLISH
    r = tarjama("translate", ar, "--model", str(tiny_model_dir), "--memory", str(db), "-f", "json")
    doc = json.loads(r.stdout)
    origins = {s["origin"] for p in doc["paragraphs"] for s in p["segments"]}
    assert origins == {"memory"}

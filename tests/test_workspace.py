"""The workspace: the one place that decides the home's policy and hands out translators."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from tarjama.errors import GlossaryError, InputError, UnknownModel, UnsupportedPair
from tarjama.fidelity.glossary import Glossary
from tarjama.pipeline import GlossaryStage, MemoryStage
from tarjama.workspace import Workspace

from .fakes import FakeEngine


def test_default_glossary_is_the_homes(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    assert ws.glossary() is None
    (tmp_path / "glossary.csv").write_text("بوتين,Putin\n", encoding="utf-8")
    found = ws.glossary()
    assert found is not None and [t.en for t in found.terms] == ["Putin"]
    named = tmp_path / "other.csv"
    named.write_text("ترمب,Trump\n", encoding="utf-8")
    other = ws.glossary(named)
    assert other is not None and [t.en for t in other.terms] == ["Trump"]


def test_named_glossaries_are_read_again_when_they_change(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    (tmp_path / "glossaries").mkdir()
    desk = tmp_path / "glossaries" / "desk.csv"
    desk.write_text("بوتين,Putin\n", encoding="utf-8")
    first = ws.named_glossary("desk")
    assert first is ws.named_glossary("desk")  # read once while unchanged
    desk.write_text("بوتين,Poutine\n", encoding="utf-8")
    os.utime(desk, (1, 1))
    second = ws.named_glossary("desk")
    assert isinstance(second, Glossary) and [t.en for t in second.terms] == ["Poutine"]
    assert ws.named_glossary("none") is None
    with pytest.raises(InputError, match="unknown glossary 'sports'"):
        ws.named_glossary("sports")


def test_memory_policy(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    assert ws.memory() is None
    assert ws.memory(use_home=None) is None  # the home holds none yet
    with pytest.raises(InputError, match="no translation memory"):
        ws.memory(use_home=True)
    ws.open_memory().close()  # creates home/memory.sqlite
    found = ws.memory(use_home=None)
    assert found is not None and found.path == tmp_path / "memory.sqlite"
    found.close()
    assert ws.memory(use_home=False) is None
    named = ws.memory(tmp_path / "other.sqlite")
    assert named is not None and named.path.name == "other.sqlite"
    named.close()


def test_names_without_a_transliteration_model(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    assert ws.transliterate is None
    assert ws.names(None).transliterate is None


def test_translator_over_an_engine_gets_its_stages_and_names(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    glossary = Glossary.load(_csv(tmp_path))
    with ws.open_memory() as memory:
        t = ws.translator(FakeEngine(), glossary=glossary, memory=memory, source="ar")
        assert [type(s) for s in t.stages] == [MemoryStage, GlossaryStage]
        assert t.names.glossary is glossary
        assert t.translate_document("قال بوتين.").text == "<قال Putin.>"


def test_unknown_model_names_the_installed_ones(tmp_path: Path) -> None:
    with pytest.raises(UnknownModel, match="unknown model 'nope'"):
        Workspace.open(tmp_path).engine("nope")


def _csv(tmp_path: Path) -> Path:
    path = tmp_path / "terms.csv"
    path.write_text("بوتين,Putin\n", encoding="utf-8")
    return path


@pytest.mark.needs_data  # the tiny model is trained on FLORES
def test_batch_translators_check_early_and_load_in_each_worker(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    ws = Workspace.open(tmp_path / "home")
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "glossary.csv").write_text("بوتين,Putin\n", encoding="utf-8")
    factory = ws.batch_translators(tiny_model_dir, memory=tmp_path / "tm.sqlite", beam_size=2)
    assert factory.source == "ar" and factory.target == "en"
    assert factory.glossary == str((tmp_path / "home" / "glossary.csv").resolve())
    assert factory.settings["beam"] == 2 and factory.settings["model_id"]
    again = pickle.loads(pickle.dumps(factory))  # what reaches a Ray actor
    translator = again(1)
    assert [type(s) for s in translator.stages] == [MemoryStage, GlossaryStage]
    assert translator.engine.signature["beam"] == 2
    with pytest.raises(UnsupportedPair):
        ws.batch_translators(tiny_model_dir, source="en", target="ar")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(GlossaryError):
        ws.batch_translators(tiny_model_dir, glossary=bad)
    with pytest.raises(UnknownModel):
        ws.batch_translators("nope")

"""The workspace: the one place that decides the home's policy and hands out translators."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from tarjama.errors import (
    ConfigError,
    GlossaryError,
    InputError,
    NoModelForPair,
    UnknownModel,
    UnsupportedPair,
)
from tarjama.fidelity.glossary import Glossary
from tarjama.pipeline import GlossaryStage, MemoryStage
from tarjama.text import romanize
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
    with pytest.raises(InputError, match="no translation memory"):
        ws.open_memory()  # managing one that is not there creates nothing
    ws.open_memory(create=True).close()  # creates home/memory.sqlite
    found = ws.memory(use_home=None)
    assert found is not None and found.path == tmp_path / "memory.sqlite"
    found.close()
    assert ws.memory(use_home=False) is None
    with pytest.raises(InputError, match="no translation memory"):
        ws.memory(tmp_path / "other.sqlite")  # a mistyped --memory is an error, not a new file
    assert not (tmp_path / "other.sqlite").exists()
    ws.open_memory(tmp_path / "other.sqlite", create=True).close()
    named = ws.memory(tmp_path / "other.sqlite")
    assert named is not None and named.path.name == "other.sqlite"
    named.close()


def test_names_without_a_transliteration_model_use_the_romaniser(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    assert ws.transliterate is romanize.transliterate
    assert ws.names(None).transliterate is romanize.transliterate
    assert ws.transliterate(["بوتين"]) == ["butyn"]


def test_the_pair_picks_the_model_and_never_a_helper(
    tmp_path: Path, tiny_model_dir: Path, tiny_characters_dir: Path, tiny_nllb_dir: Path
) -> None:
    ws = Workspace.open(tmp_path)
    with pytest.raises(NoModelForPair, match="pull one: tarjama models pull opus-mt-tc-big-ar-en"):
        ws.model_for("ar", "en")
    ws.models.add(tiny_characters_dir, "aren-transliteration")
    with pytest.raises(NoModelForPair):
        ws.model_for("ar", "en")  # a helper is installed, but it is no translator
    ws.models.add(tiny_nllb_dir, "zz-nllb")
    assert ws.model_for("ar", "en") == ws.model_for("en", "ar") == "zz-nllb"
    ws.models.add(tiny_model_dir, "opus-mt-ar-en")  # in the catalogue, better for ar->en
    assert ws.model_for("ar", "en") == "opus-mt-ar-en"
    ws.models.add(tiny_model_dir, "opus-mt-tc-big-ar-en")  # the default for the pair
    assert ws.model_for("ar", "en") == "opus-mt-tc-big-ar-en"
    assert ws.model_for("en", "ar") == "zz-nllb"
    with pytest.raises(ConfigError, match="'aren-transliteration' is a helper"):
        ws.translator("aren-transliteration")
    assert ws.translator(target="ar").engine.name == "zz-nllb"


def test_translator_over_an_engine_gets_its_stages_and_names(tmp_path: Path) -> None:
    ws = Workspace.open(tmp_path)
    glossary = Glossary.load(_csv(tmp_path))
    with ws.open_memory(create=True) as memory:
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


def test_batch_translators_check_early_and_load_in_each_worker(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    home = tmp_path / "home"
    ws = Workspace.open(home)
    home.mkdir()
    (home / "glossary.csv").write_text("بوتين,Putin\n", encoding="utf-8")
    with pytest.raises(InputError, match="no translation memory"):
        ws.batch_translators(tiny_model_dir, memory=tmp_path / "tm.sqlite")
    ws.open_memory(tmp_path / "tm.sqlite", create=True).close()
    factory = ws.batch_translators(tiny_model_dir, memory=tmp_path / "tm.sqlite", beam_size=2)
    assert factory.source == "ar" and factory.target == "en"
    assert factory.glossary == str((home / "glossary.csv").resolve())
    assert factory.memory == str((tmp_path / "tm.sqlite").resolve())
    assert factory.settings["beam"] == 2 and factory.settings["model_id"]
    again = pickle.loads(pickle.dumps(factory))  # what reaches a Ray actor
    translator = again(1)
    assert [type(s) for s in translator.stages] == [MemoryStage, GlossaryStage]
    assert translator.engine.signature.setting("beam") == 2
    # The home's memory by default, as in translate; none when turned off.
    assert ws.batch_translators(tiny_model_dir).memory is None
    ws.open_memory(create=True).close()
    assert ws.batch_translators(tiny_model_dir).memory == str(ws.memory_path.resolve())
    off = ws.batch_translators(tiny_model_dir, use_home_memory=False)
    assert off.memory is None and [type(s) for s in off(1).stages] == [GlossaryStage]
    with pytest.raises(UnsupportedPair):
        ws.batch_translators(tiny_model_dir, source="en", target="ar")
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(GlossaryError):
        ws.batch_translators(tiny_model_dir, glossary=bad)
    with pytest.raises(UnknownModel):
        ws.batch_translators("nope")
    with pytest.raises(NoModelForPair):
        ws.batch_translators()  # no model named, none installed for ar->en

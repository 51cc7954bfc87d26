"""One assembly point: ``Translator.load``, the server's plan and the faces all go through
the workspace's policy (a helper never translates, the beam is capped, the names model is
the home's, helpers never serve)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import tarjama
from tarjama import Translator, pipeline
from tarjama.engines.characters import Transliterator
from tarjama.errors import ConfigError, InputError
from tarjama.server import Settings
from tarjama.text import romanize
from tarjama.workspace import MAX_BEAM, TRANSLITERATION_MODEL, TranslatorOptions, Workspace

from .fakes import FakeEngine

SRC = Path(tarjama.__file__).parent
WORDS = ["بوتين", "موسكو"]


def test_load_refuses_a_helper_model(tiny_characters_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"is a helper .* not a translator"):
        Translator.load(tiny_characters_dir, home=tmp_path)


@pytest.mark.parametrize("beam", [0, MAX_BEAM + 1])
def test_load_caps_the_beam(tiny_model_dir: Path, tmp_path: Path, beam: int) -> None:
    with pytest.raises(ConfigError, match=f"beam must be between 1 and {MAX_BEAM}"):
        Translator.load(tiny_model_dir, home=tmp_path, beam_size=beam)


def test_load_spells_names_with_the_homes_model(
    tiny_model_dir: Path, tiny_characters_dir: Path, tmp_path: Path
) -> None:
    bare = Translator.load(tiny_model_dir, home=tmp_path / "bare", device="cpu")
    assert bare.names.transliterate is romanize.transliterate
    home = tmp_path / "home"
    Workspace.open(home).add_model(tiny_characters_dir, TRANSLITERATION_MODEL)
    t = Translator.load(tiny_model_dir, home=home, device="cpu")
    spell = t.names.transliterate
    assert spell is not None and spell is not romanize.transliterate
    installed = Transliterator.load(home / "models" / TRANSLITERATION_MODEL)
    assert spell(WORDS) == installed.transliterate(WORDS)


def test_the_public_translator_is_the_pipelines(tiny_model_dir: Path, tmp_path: Path) -> None:
    t = Translator.load(tiny_model_dir, home=tmp_path, device="cpu", beam_size=2)
    assert isinstance(t, pipeline.Translator) and isinstance(t, tarjama.Translator)
    assert t.engine.signature.setting("beam") == 2
    # What the workspace hands out is the same public type, so load() is everywhere.
    made = Workspace.open(tmp_path).translator(FakeEngine())
    assert isinstance(made, tarjama.Translator)
    assert not hasattr(pipeline.Translator, "load")  # opening a model is the workspace's


def _home(tmp_path: Path, tiny_model_dir: Path, tiny_characters_dir: Path) -> Workspace:
    ws = Workspace.open(tmp_path / "home")
    ws.add_model(tiny_model_dir, "tiny")
    ws.add_model(tiny_characters_dir, TRANSLITERATION_MODEL)
    return ws


def test_installed_translators_leave_helpers_out(
    tmp_path: Path, tiny_model_dir: Path, tiny_characters_dir: Path
) -> None:
    ws = _home(tmp_path, tiny_model_dir, tiny_characters_dir)
    assert [m.name for m in ws.installed_models()] == [TRANSLITERATION_MODEL, "tiny"]
    assert ws.installed_translators() == ["tiny"]
    assert ws.model_manifest("tiny").role == "translator"
    ws.remove_model("tiny")
    assert ws.installed_translators() == []


def test_serving_plan_serves_every_translator_and_no_helper(
    tmp_path: Path, tiny_model_dir: Path, tiny_characters_dir: Path
) -> None:
    ws = _home(tmp_path, tiny_model_dir, tiny_characters_dir)
    plan = ws.serving_plan(Settings(home=ws.home, device="cpu"))
    assert [(m.name, m.pairs) for m in plan.models] == [("tiny", [("ar", "en")])]
    with pytest.raises(ConfigError, match="not a translator"):
        ws.serving_plan(Settings(home=ws.home, models=(TRANSLITERATION_MODEL,)))
    with pytest.raises(ConfigError, match="no translation models installed"):
        Workspace.open(tmp_path / "empty").serving_plan(Settings())


def test_serving_plan_of_loaded_engines_filters_pairs() -> None:
    ws = Workspace.open("/nonexistent-home")
    plan = ws.serving_plan(Settings(load_only=("ar", "en")), engines=[FakeEngine()])
    assert plan.models[0].pairs == [("ar", "en"), ("en", "ar")]
    only = FakeEngine(pairs=[("ar", "en"), ("ar", "fr")])
    plan = ws.serving_plan(Settings(load_only=("ar", "fr")), engines=[only])
    assert plan.models[0].pairs == [("ar", "fr")]
    with pytest.raises(ConfigError, match="no model translates between"):
        ws.serving_plan(Settings(load_only=("de",)), engines=[FakeEngine()])


def test_translator_for_makes_each_beam_once_and_wraps_it(
    tmp_path: Path, tiny_model_dir: Path
) -> None:
    ws = Workspace.open(tmp_path)
    engine = ws.engine(tiny_model_dir, device="cpu")
    (model,) = ws.serving_plan(Settings(), engines=[engine]).models
    seen: list[int] = []

    def through(e: pipeline.Engine) -> pipeline.Engine:
        seen.append(int(e.signature.to_json()["beam"]))
        return e

    wide = model.translator_for(("ar", "en"), TranslatorOptions(beam=2), through=through)
    again = model.translator_for(("ar", "en"), TranslatorOptions(beam=2))
    assert wide.engine.signature.setting("beam") == 2 and again.engine is wide.engine
    assert model.translator_for(("ar", "en")).engine is engine
    assert seen == [2]
    with pytest.raises(InputError, match="beam must be between"):
        model.translator_for(("ar", "en"), TranslatorOptions(beam=MAX_BEAM + 1))


def test_a_fixed_beam_is_a_request_error() -> None:
    ws = Workspace.open("/nonexistent-home")
    (model,) = ws.serving_plan(Settings(), engines=[FakeEngine()]).models
    with pytest.raises(InputError, match="model 'fake' has a fixed beam size"):
        model.translator_for(("ar", "en"), TranslatorOptions(beam=3))


#: What a face may no longer touch: the store behind the workspace.
_STORE_CALL = re.compile(r"\.models\.(manifests|manifest|resolve|remove|add|names|path|root)\b")


@pytest.mark.parametrize("face", ["cli", "server"])
def test_faces_ask_the_workspace_not_its_model_store(face: str) -> None:
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted((SRC / face).rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _STORE_CALL.search(line) or "getattr(engine" in line
    ]
    assert found == []

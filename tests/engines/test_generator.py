"""The generator engine over a random decoder-only model (no torch): its prompts, the static
opening, chunks that do not map back, and the CLI with the guard and the NMT fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tarjama.engines.generator import GeneratorEngine
from tarjama.engines.prompts import messages
from tarjama.errors import UnsupportedPair
from tarjama.store.llm import GeneratorSettings

from ..commands import tarjama_text

AR = ["قال الرئيس إن الخطة جاهزة", "وأضاف أن الميناء سيفتح غدا", "زيلينسكي"]


def _engine(directory: Path, lines: int = 8, before: int = 2) -> GeneratorEngine:
    settings = GeneratorSettings(lines=lines, before=before)
    return GeneratorEngine(directory, name="g", device="cpu", threads=1, settings=settings)


def test_every_prompt_starts_with_the_cached_static_opening(tiny_generator_dir: Path) -> None:
    engine = _engine(tiny_generator_dir)
    static, tokens = engine.static_text("ar", "en")
    assert static.endswith("\n") and "Rules:" in static and tokens
    for texts, context in (([AR[0]], []), (AR, [AR[2]])):
        cached, rest = engine.prompt(texts, "ar", "en", context=context)
        assert cached == tokens
        # The opening and the rest are the whole prompt, as the template renders it.
        whole = engine.chat.render(messages("generic", texts, "ar", "en", context=context))
        found = [engine.chat.tokenizer.token_to_id(t) for t in [*cached, *rest]]
        ids = [i for i in found if i is not None]
        assert len(ids) == len(found)
        assert engine.chat.tokenizer.decode(ids, skip_special_tokens=False) == whole


def test_a_chunk_that_does_not_map_back_is_asked_line_by_line(tiny_generator_dir: Path) -> None:
    """A random model never numbers its lines: the three-line chunk fails to map back,
    and each line, asked alone, comes back as the one-line requests give it."""
    chunked = _engine(tiny_generator_dir, lines=8, before=0)
    alone = _engine(tiny_generator_dir, lines=1, before=0)
    hyps = chunked.translate_batch(AR, "ar", "en")
    assert [h.text for h in hyps] == [h.text for h in alone.translate_batch(AR, "ar", "en")]
    assert all(h.text for h in hyps)


def test_a_pair_it_was_not_given_is_refused(tiny_generator_dir: Path) -> None:
    engine = GeneratorEngine(tiny_generator_dir, name="g", pairs=[("en", "ar")], device="cpu")
    with pytest.raises(UnsupportedPair):
        engine.translate_batch(AR, "ar", "en")
    with pytest.raises(UnsupportedPair):
        list(engine.translate_stream(AR[0], "ar", "en"))


def test_the_cli_translates_with_it_and_falls_back_on_the_nmt_model(
    tmp_path: Path, tiny_generator_dir: Path, tiny_model_dir: Path
) -> None:
    """The random model writes no digits: a sentence with a number fails the numbers check
    twice, and the pair's NMT model writes it (origin llm→model, counted in the report)."""
    home = tmp_path / "home"
    for directory, name in ((tiny_generator_dir, "llm"), (tiny_model_dir, "nmt")):
        added = tarjama_text("models", "add", str(directory), "--name", name, home=home)
        assert added.returncode == 0, added.stderr
    text = "قال الرئيس إن 7 سفن جاهزة."
    ran = tarjama_text("translate", "--model", "llm", "-f", "json", home=home, stdin=text)
    assert ran.returncode == 0, ran.stderr
    report = json.loads(ran.stdout)
    (segment,) = [s for p in report["paragraphs"] for s in p["segments"]]
    assert segment["origin"] == "llm→model"
    assert report["guard"] == {"retries": 1, "fallbacks": 1}
    nmt = tarjama_text("translate", "--model", "nmt", "-f", "json", home=home, stdin=text)
    (expected,) = [s for p in json.loads(nmt.stdout)["paragraphs"] for s in p["segments"]]
    assert segment["translation"] == expected["translation"]

"""``--llm-post-edit``: the NMT model's draft and the memory's matches go to the LLM, and
its edit is kept only where it passes the checks (the loopback stub plays the LLM)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tarjama.archive import Entry, TranslationMemory
from tarjama.engines import Hints
from tarjama.engines.loader import load_engine
from tarjama.engines.openai import Endpoint, OpenAIEngine
from tarjama.pipeline import Translator
from tarjama.pipeline.guard import EDITED, PostEditEngine

from ..commands import tarjama_text
from ..llm_stub import Stub, romanized, serve_stub

AR = ["قال الرئيس إن الخطة جاهزة للتنفيذ.", "وصلت 7 سفن إلى الميناء أمس."]


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serve_stub()


def post_editor(stub: Stub, copy_model_dir: Path) -> PostEditEngine:
    llm = OpenAIEngine("llm", Endpoint(url=stub.url, model="m", max_wait=5.0))
    return PostEditEngine(load_engine(copy_model_dir, device="cpu"), llm)


def test_the_draft_and_the_memory_reach_the_prompt_and_a_passing_edit_is_kept(
    stub: Stub, copy_model_dir: Path, tmp_path: Path
) -> None:
    engine = post_editor(stub, copy_model_dir)
    drafts = engine.model.translate_batch(AR, "ar", "en")
    with TranslationMemory.open(tmp_path / "m.sqlite", create=True) as memory:
        memory.add(Entry("قال الرئيس إن الخطة جاهزة للتنفيذ اليوم.", "The plan is ready today."))
        doc = Translator(engine, memory=memory).translate_document(" ".join(AR))
    user = stub.requests[0][1]["messages"][-1]["content"]
    assert "<draft>\n1. " + drafts[0].text in user
    assert "Earlier translations by this newsroom" in user
    assert "The plan is ready today." in user
    first, second = doc.segments
    assert first.origin == EDITED and first.translation == romanized(AR[0])
    assert second.origin == EDITED and "7" in second.translation
    assert doc.to_json()["post_edit"] == {"edits_kept": 2}
    assert engine.edits == 2 and engine.kept == 0


def test_an_edit_that_fails_the_checks_leaves_the_draft(stub: Stub, copy_model_dir: Path) -> None:
    engine = post_editor(stub, copy_model_dir)
    stub.script = [("replace", ("7", ""))]  # the edit drops the number
    hyps = engine.translate_batch(AR, "ar", "en", hints=[Hints(), None])
    drafts = engine.model.translate_batch(AR, "ar", "en")
    assert hyps[0].origin == EDITED
    assert hyps[1] == drafts[1] and hyps[1].origin == ""
    assert engine.edits == 1 and engine.kept == 1
    stub.script = [("status", 500)] * 10  # the LLM down: every draft stands
    down = OpenAIEngine("llm", Endpoint(url=stub.url, model="m", attempts=1))
    assert PostEditEngine(engine.model, down).translate_batch(AR, "ar", "en") == drafts


def test_the_cli_flag_post_edits_and_refuses_a_model_that_is_not_an_endpoint(
    stub: Stub, home: Path, copy_model_dir: Path
) -> None:
    added = tarjama_text("models", "add", str(copy_model_dir), "--name", "nmt", home=home)
    assert added.returncode == 0, added.stderr
    assert tarjama_text(
        "models", "add-endpoint", "llm", "--url", stub.url, "--model", "m", home=home
    ).returncode == 0  # fmt: skip
    ran = tarjama_text(
        "translate", "--model", "nmt", "--llm-post-edit", "llm", "--format", "json",
        home=home, stdin=AR[0] + "\n",
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    (seg,) = json.loads(ran.stdout)["paragraphs"][0]["segments"]
    assert seg["origin"] == EDITED and seg["translation"] == romanized(AR[0])
    bad = tarjama_text("translate", "--model", "nmt", "--llm-post-edit", "nmt", home=home,
                       stdin=AR[0] + "\n")  # fmt: skip
    assert bad.returncode == 2 and "endpoint model" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1

"""An endpoint model served like any model: the workspace opens it guarded, the pipeline
hands it the glossary's terms, and ``/v1/translate`` answers with it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tarjama.fidelity.glossary import Glossary, Term
from tarjama.workspace import Workspace

from ..llm_stub import Stub, romanized, serve_stub
from .conftest import MakeClient

AR = "قال الرئيس إن الخطة جاهزة"


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serve_stub()


@pytest.fixture
def workspace(stub: Stub, home: Path) -> Workspace:
    ws = Workspace.open(home)
    ws.add_endpoint("llm", url=stub.url, model="stub-model", profile="translategemma")
    return ws


def test_the_pipeline_gives_the_glossary_terms_to_the_prompt(
    stub: Stub, workspace: Workspace
) -> None:
    glossary = Glossary([Term("الخطة", "the roadmap")])
    translator = workspace.translator("llm", glossary=glossary)
    doc = translator.translate_document(AR)
    user = stub.requests[0][1]["messages"][0]["content"][0]["text"]
    assert "Required renderings:\nالخطة => the roadmap" in user
    # The stub echoes the inline target term the glossary stage wrote: the check passes.
    assert "the roadmap" in doc.text and doc.segments[0].origin == "model+glossary"


def test_v1_translate_serves_an_endpoint_with_the_guard_counts(
    stub: Stub, workspace: Workspace, make_client: MakeClient
) -> None:
    engine = workspace.engine("llm")
    with make_client(engine) as client:
        body = client.post("/v1/translate", json={"text": AR, "model": "llm"}).json()
        assert body["text"] == romanized(AR)
        assert body["model"]["signature"]["profile"] == "translategemma"
        libre = client.post("/translate", json={"q": AR, "source": "ar", "target": "en"})
        assert libre.json()["translatedText"] == romanized(AR)
        stub.script = [("text", "I'm sorry, I cannot help with that.")]
        again = client.post("/v1/translate", json={"text": AR + " اليوم", "model": "llm"})
    data = again.json()
    assert data["text"] == romanized(AR + " اليوم")
    assert json.dumps(data).count("model+retry") == 1
    assert data.get("guard") == {"retries": 1, "fallbacks": 0}

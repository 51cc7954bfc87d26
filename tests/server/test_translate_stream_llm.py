"""The streamed ``/v1/translate`` against a real OpenAI-compatible server: vLLM serving the
crafted tiny Llama (``tests/llm_server.py``) recorded as an endpoint model, guarded as the
workspace opens it. The stub's tests (``test_translate_stream.py``) hold the error paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tarjama.workspace import Workspace

from ..llm_server import ANSWERS
from .conftest import MakeClient
from .test_translate_stream import events

pytestmark = [pytest.mark.slow, pytest.mark.needs_llm_server]

#: Two paragraphs of one sentence: a request each, each answered by the model's chain.
ARTICLE = "قال الرئيس إن الخطة جاهزة للتنفيذ\n\nوأضاف أن الميناء سيفتح أبوابه غدا"


def test_drafts_come_word_by_word_and_done_is_the_plain_answer(
    vllm_url: str, home: Path, make_client: MakeClient
) -> None:
    ws = Workspace.open(home)
    ws.add_endpoint("tiny", url=vllm_url, model="tiny")
    with make_client(ws.engine("tiny")) as client:
        response = client.post(
            "/v1/translate", json={"text": ARTICLE, "model": "tiny", "stream": True}
        )
        plain = client.post("/v1/translate", json={"text": ARTICLE, "model": "tiny"}).json()
    assert response.status_code == 200
    got = events(response.text)
    assert [kind for kind, _ in got][-1] == "done" and got[-1][1] == plain
    segments = [d for kind, d in got if kind == "segment"]
    assert sorted(d["paragraph"] for d in segments) == [0, 1]
    for segment in segments:
        at = segment["paragraph"]
        drafts = [d["text"] for kind, d in got if kind == "draft" and d["paragraph"] == at]
        assert len(drafts) > 1 and drafts[-1] == ANSWERS["chat"]
        assert segment["translation"] == ANSWERS["chat"]

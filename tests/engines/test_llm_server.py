"""The openai engine's happy path against a real OpenAI-compatible server: vLLM serving the
crafted tiny Llama of ``tests/llm_model.py`` on loopback (``tests/llm_server.py``). Chat
completions, the completions fallback of a model without a chat template, concurrent
requests, streaming, the guard and the CLI. The error paths are the stub's
(``test_openai.py``)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tarjama.engines import can_stream
from tarjama.engines.loader import load_engine
from tarjama.engines.openai import Endpoint, OpenAIEngine
from tarjama.pipeline import Translator
from tarjama.pipeline.guard import FALLBACK, GuardedEngine
from tarjama.workspace import Workspace

from ..commands import tarjama_text
from ..llm_server import ANSWERS, vllm_server
from ..server.conftest import build_client

pytestmark = [pytest.mark.slow, pytest.mark.needs_llm_server]

AR = [
    "قال الرئيس إن الخطة جاهزة للتنفيذ",
    "وأضاف أن الميناء سيفتح أبوابه غدا",
    "وأكد الوزير أن العمل سيبدأ قريبا",
]


class Recording(httpx.HTTPTransport):
    """The real transport, noting each request's path and the most in flight at once."""

    def __init__(self) -> None:
        super().__init__()
        self.paths: list[str] = []
        self.flying = 0
        self.most = 0
        self._lock = threading.Lock()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.paths.append(request.url.path)
            self.flying += 1
            self.most = max(self.most, self.flying)
        try:
            response = super().handle_request(request)
            response.read()
            return response
        finally:
            with self._lock:
                self.flying -= 1


def engine(
    url: str, transport: httpx.BaseTransport | None = None, **settings: object
) -> OpenAIEngine:
    options: dict[str, object] = {"url": url, "model": "tiny", "lines": 1, **settings}
    return OpenAIEngine("tiny", Endpoint.from_json(options), transport=transport)


@pytest.fixture(scope="module")
def plain_url(llm_model: Path) -> Iterator[str]:
    """vLLM serving the same model without a chat template."""
    log = llm_model.parent / "vllm-plain.log"
    with vllm_server(llm_model / "plain", "tiny", log) as url:
        yield url


def test_chat_completions_give_what_transformers_gives(vllm_url: str, llm_model: Path) -> None:
    transport = Recording()
    hyps = engine(vllm_url, transport).translate_batch(AR[:1], "ar", "en")
    expected = json.loads((llm_model / "expected.json").read_text(encoding="utf-8"))
    assert hyps[0].text == expected["chat"] == ANSWERS["chat"]
    assert transport.paths == ["/v1/chat/completions"]


def test_completions_when_the_model_has_no_chat_template(plain_url: str, llm_model: Path) -> None:
    transport = Recording()
    llm = engine(plain_url, transport)
    expected = json.loads((llm_model / "expected.json").read_text(encoding="utf-8"))
    assert [h.text for h in llm.translate_batch(AR[:2], "ar", "en")] == [expected["plain"]] * 2
    # Refused (no chat template) once per request in flight, then completions only.
    assert transport.paths[0] == "/v1/chat/completions"
    asked = len(transport.paths)
    assert llm.translate_batch(AR[2:], "ar", "en")[0].text == expected["plain"]
    assert transport.paths[asked:] == ["/v1/completions"]
    streamed = list(llm.translate_stream(AR[0], "ar", "en"))
    assert "".join(streamed) == ANSWERS["plain"] and len(streamed) > 1


def test_requests_run_concurrently(vllm_url: str) -> None:
    transport = Recording()
    texts = [f"{t} {k}" for k in range(4) for t in AR[:2]]
    hyps = engine(vllm_url, transport, concurrency=4).translate_batch(texts, "ar", "en")
    assert [h.text for h in hyps] == [ANSWERS["chat"]] * len(texts)
    assert len(transport.paths) == len(texts)
    assert transport.most > 1  # requests overlapped on the server


def test_streaming_gives_the_translation_piece_by_piece(vllm_url: str) -> None:
    llm = engine(vllm_url)
    assert can_stream(llm)
    pieces = list(llm.translate_stream(AR[0], "ar", "en"))
    assert len(pieces) > 1 and all(pieces)
    assert "".join(pieces) == llm.translate_batch(AR[:1], "ar", "en")[0].text


def test_the_guard_keeps_a_good_answer_and_falls_back_on_a_missing_number(
    vllm_url: str, copy_model_dir: Path
) -> None:
    guarded = GuardedEngine(engine(vllm_url), lambda: load_engine(copy_model_dir, device="cpu"))
    doc = Translator(guarded).translate_document(f"{AR[0]}.\n\nوقال إن 7 سفن وصلت الميناء.")
    good, numbered = doc.segments
    assert good.translation == ANSWERS["chat"] and good.origin == "model"
    # The model's answer has no 7: asked again, the same greedy answer, then the NMT model.
    assert numbered.origin == FALLBACK and "7" in numbered.translation
    assert doc.to_json()["guard"] == {"retries": 1, "fallbacks": 1}


def test_the_cli_translates_through_an_endpoint_it_recorded(vllm_url: str, home: Path) -> None:
    added = tarjama_text(
        "models", "add-endpoint", "tiny", "--url", vllm_url, "--model", "tiny", home=home
    )
    assert added.returncode == 0, added.stderr
    out = tarjama_text("translate", "--model", "tiny", home=home, stdin=AR[0] + ".\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == ANSWERS["chat"]


def test_the_server_post_edits_through_the_endpoint(
    vllm_url: str, home: Path, copy_model_dir: Path
) -> None:
    """``tarjama serve --llm-post-edit``: the copy model drafts, vLLM edits, and the edit
    (the crafted model's answer, which passes the checks) is what /v1/translate and
    LibreTranslate's /translate give. Here, in the module that already runs vLLM."""
    ws = Workspace.open(home)
    ws.add_model(copy_model_dir, "nmt")
    ws.add_endpoint("tiny", url=vllm_url, model="tiny")
    with build_client(ws.engine("nmt"), home=home, llm_post_edit="tiny") as client:
        body = client.post("/v1/translate", json={"text": AR[0] + "."}).json()
        libre = client.post("/translate", json={"q": AR[0] + ".", "source": "ar", "target": "en"})
    (segment,) = body["paragraphs"][0]["segments"]
    assert segment["origin"] == "llm-edit" and body["text"] == ANSWERS["chat"]
    assert body["post_edit"] == {"edits_kept": 1}
    assert libre.json()["translatedText"] == ANSWERS["chat"]

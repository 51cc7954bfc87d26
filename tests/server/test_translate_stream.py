"""``POST /v1/translate`` with ``"stream": true``: server-sent events (draft, segment, done,
error) over the loopback OpenAI-compatible stub and an NMT model; the happy path against a
real vLLM is ``test_translate_stream_llm.py``'s."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from tarjama.engines.loader import load_engine
from tarjama.engines.openai import Endpoint, OpenAIEngine
from tarjama.pipeline.guard import FALLBACK, RETRIED, GuardedEngine
from tarjama.server import Registry, Settings, create_app
from tarjama.workspace import Workspace

from ..fakes import FakeEngine
from ..llm_stub import Stub, romanized, serve_stub
from ..servers import free_port
from .conftest import MakeClient

ARTICLE = (
    "قال الرئيس إن الخطة جاهزة. وأضاف أن الميناء سيفتح غدا.\n\n"
    "وقال الوزير إن العمل سيبدأ.\n"
    "وأكد المتحدث أن الاتفاق نهائي."
)
REFUSAL = "I'm sorry, I cannot help with that."


@pytest.fixture
def stub() -> Iterator[Stub]:
    yield from serve_stub()


def events(body: str) -> list[tuple[str, dict[str, Any]]]:
    """The server-sent events of a response body, as (event, data)."""
    out = []
    for block in body.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith(":")]
        if not lines:
            continue
        kind = next(line[7:] for line in lines if line.startswith("event: "))
        data = next(line[6:] for line in lines if line.startswith("data: "))
        out.append((kind, json.loads(data)))
    return out


def llm(stub: Stub, **settings: Any) -> OpenAIEngine:
    return OpenAIEngine("llm", Endpoint(stub.url, "stub-model", max_wait=5.0, **settings))


def streamed(client: Any, text: str, **fields: Any) -> list[tuple[str, dict[str, Any]]]:
    response = client.post("/v1/translate", json={"text": text, "stream": True, **fields})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    return events(response.text)


def test_drafts_then_checked_segments_then_done_with_the_plain_answer(
    stub: Stub, home: Path, make_client: MakeClient
) -> None:
    ws = Workspace.open(home)
    ws.add_endpoint("llm", url=stub.url, model="stub-model")
    with make_client(ws.engine("llm")) as client:
        got = streamed(client, ARTICLE, model="llm")
        plain = client.post("/v1/translate", json={"text": ARTICLE, "model": "llm"}).json()
    kinds = [kind for kind, _ in got]
    assert kinds[-1] == "done" and kinds.count("done") == 1 and "error" not in kinds
    done = got[-1][1]
    assert done == plain  # the same JSON as the call without stream
    segments = {(s["paragraph"], s["index"]) for s in _segments(done)}
    finals = [(d["paragraph"], d["index"]) for kind, d in got if kind == "segment"]
    assert sorted(finals) == sorted(segments)  # each segment once
    answered = {(s["paragraph"], s["index"]): s for s in _segments(done)}
    for kind, data in got:
        if kind == "segment":  # as the answer has it, with its paragraph
            assert data == answered[data["paragraph"], data["index"]]
    for key in segments:
        at = [n for n, (k, d) in enumerate(got) if k != "done" and _key(d) == key]
        drafts = [got[n][1]["text"] for n in at if got[n][0] == "draft"]
        final = got[at[-1]]
        assert final[0] == "segment" and len(drafts) > 1  # words arrive before it is final
        assert drafts[-1] == final[1]["translation"]
        assert all(b.startswith(a) for a, b in itertools.pairwise(drafts))


def _segments(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [dict(s, paragraph=p["index"]) for p in body["paragraphs"] for s in p["segments"]]


def _key(data: dict[str, Any]) -> tuple[int, int]:
    return data["paragraph"], data.get("segment", data.get("index", -1))


def test_a_draft_that_fails_its_checks_is_replaced_by_the_retry_or_the_fallback(
    stub: Stub, copy_model_dir: Path, make_client: MakeClient
) -> None:
    guarded = GuardedEngine(llm(stub), lambda: load_engine(copy_model_dir, device="cpu"))
    first, second = "قال الرئيس إن الخطة جاهزة.", "وأضاف أن الميناء سيفتح غدا."
    with make_client(guarded) as client:
        stub.script = [("text", REFUSAL)]
        retried = streamed(client, first, model="llm")
        stub.script = [("text", REFUSAL), ("text", REFUSAL)]
        fell_back = streamed(client, second, model="llm")
    for got, origin in ((retried, RETRIED), (fell_back, FALLBACK)):
        drafts = [d["text"] for kind, d in got if kind == "draft"]
        assert REFUSAL in drafts  # shown as it was written...
        (segment,) = [d for kind, d in got if kind == "segment"]
        assert segment["origin"] == origin  # ...and replaced once checked
        assert REFUSAL not in segment["translation"]
        assert got[-1][1]["paragraphs"][0]["segments"][0]["origin"] == origin
    assert _drafts_after_segment(retried) == 0
    assert retried[-2][1]["translation"] == romanized(first)
    assert fell_back[-1][1]["guard"] == {"retries": 1, "fallbacks": 1}


def _drafts_after_segment(got: list[tuple[str, dict[str, Any]]]) -> int:
    end = next(n for n, (kind, _) in enumerate(got) if kind == "segment")
    return sum(kind == "draft" for kind, _ in got[end:])


def test_an_nmt_model_streams_segments_without_drafts(
    copy_model_dir: Path, make_client: MakeClient
) -> None:
    nmt = load_engine(copy_model_dir, device="cpu", threads=1)
    with make_client(nmt) as client:
        got = streamed(client, ARTICLE)
        plain = client.post("/v1/translate", json={"text": ARTICLE}).json()
    kinds = [kind for kind, _ in got]
    assert "draft" not in kinds
    assert kinds == ["segment"] * len(_segments(plain)) + ["done"]
    assert got[-1][1] == plain


def test_errors_before_the_stream_are_4xx_and_after_it_an_error_event(
    stub: Stub, make_client: MakeClient
) -> None:
    lone = GuardedEngine(llm(stub, attempts=1))  # no NMT model to fall back on
    with make_client(lone, FakeEngine()) as client:
        no_memory = client.post(
            "/v1/translate", json={"text": ARTICLE, "stream": True, "memory": True}
        )
        not_a_flag = client.post("/v1/translate", json={"text": ARTICLE, "stream": "yes"})
        stub.script = [("status", 500)] * 4
        got = streamed(client, "قال الرئيس إن الخطة جاهزة.", model="llm")
    assert no_memory.status_code == 400 and "memory" in no_memory.json()["error"]
    assert not_a_flag.status_code == 400 and "stream" in not_a_flag.json()["error"]
    assert [kind for kind, _ in got][-1] == "error"
    assert "done" not in [kind for kind, _ in got]
    assert got[-1][1]["status"] == 503 and "no model for the pair" in got[-1][1]["error"]


@pytest.mark.timing
def test_a_client_that_goes_away_mid_stream_stops_the_llm(stub: Stub, tmp_path: Path) -> None:
    """A real server on loopback: the client reads the first segment and closes; the stub
    then gets no more requests (one line a request, one request at a time)."""
    paragraphs = 20
    text = "\n".join(f"قال الرئيس إن الخطة {k} جاهزة." for k in range(paragraphs))
    stub.script = [("sleep", 0.5)] * paragraphs  # 10 s of requests, one after the other
    engine = GuardedEngine(llm(stub, concurrency=1, lines=1))
    settings = Settings(home=tmp_path)
    app = create_app(settings, Registry([engine], settings))
    with _serving(app) as url, httpx.Client(timeout=30) as client:
        body = {"text": text, "model": "llm", "stream": True}
        with client.stream("POST", f"{url}/v1/translate", json=body) as response:
            assert response.status_code == 200
            for line in response.iter_lines():
                if line == "event: segment":
                    break
        asked = len(stub.requests)
        time.sleep(1.5)
        settled = len(stub.requests)
        time.sleep(1.5)  # three more requests, had it gone on
        assert len(stub.requests) == settled  # nothing more is asked
        assert settled <= asked + 2  # the one in flight (and one started as the client left)


class _Server(uvicorn.Server):
    def install_signal_handlers(self) -> None:  # in a thread: the test's signals stay its own
        pass


@contextmanager
def _serving(app: Any) -> Iterator[str]:
    port = free_port()
    server = _Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)

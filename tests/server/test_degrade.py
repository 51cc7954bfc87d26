"""The server degrades loudly, never silently: a failing batch or observer fails only what
it must, a dead worker is reported at once (requests and /health), and no request waits on
the engine past ``--engine-timeout``."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Iterator, Sequence

import pytest
from fastapi.testclient import TestClient

from tarjama.engines import Hypothesis
from tarjama.errors import ConfigError
from tarjama.server import Registry, Settings, create_app
from tarjama.server.coalescer import Coalescer, _Job
from tarjama.server.errors import INTERNAL_ERROR
from tarjama.server.options import resolve

from ..fakes import FakeEngine

AR = {"source": "ar", "target": "en"}


class RaisingEngine(FakeEngine):
    """Raises a bug (not an EngineError) on any batch holding "crash"; holds "hold" until
    released."""

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()

    def translate_batch(
        self, texts: Sequence[str], source: str, target: str, *, num_alternatives: int = 0
    ) -> list[Hypothesis]:
        if any("crash" in t for t in texts):
            raise ZeroDivisionError("a bug in the engine")
        if any("hold" in t for t in texts):
            self.released.wait(30)
        return super().translate_batch(texts, source, target, num_alternatives=num_alternatives)


def served(engine: FakeEngine, **settings: object) -> tuple[TestClient, Registry]:
    s = Settings(**settings)  # type: ignore[arg-type]
    registry = Registry([engine], s)
    return TestClient(create_app(s, registry), raise_server_exceptions=False), registry


@pytest.fixture
def engine() -> Iterator[RaisingEngine]:
    e = RaisingEngine()
    yield e
    e.released.set()


def test_a_failing_observer_is_logged_and_never_stops_the_worker(
    engine: RaisingEngine, caplog: pytest.LogCaptureFixture
) -> None:
    client, registry = served(engine, engine_timeout=10)
    seen: list[int] = []

    def observer(model: str, jobs: int, sentences: int) -> None:
        seen.append(sentences)
        raise RuntimeError("the observer broke")

    with client, caplog.at_level(logging.ERROR, "tarjama.server"):
        registry.models[0].coalescer.on_batch = observer  # as Metrics.watch attaches one
        answers = [client.post("/translate", json={"q": f"نص {i}", **AR}) for i in range(3)]
        health = client.get("/health")
    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [a.json()["translatedText"] for a in answers] == ["<نص 0>", "<نص 1>", "<نص 2>"]
    assert seen == [1, 1, 1]
    assert health.status_code == 200
    assert "the batch observer failed" in caplog.text


def test_an_engine_that_raises_fails_only_its_own_requests(
    engine: RaisingEngine, caplog: pytest.LogCaptureFixture
) -> None:
    client, registry = served(engine, engine_timeout=10)
    with client, caplog.at_level(logging.ERROR, "tarjama.server"):
        bad = client.post("/translate", json={"q": "crash", **AR})
        good = client.post("/translate", json={"q": "نص", **AR})
        native = client.post("/v1/translate", json={"text": "crash"})
        health = client.get("/health")
    assert (bad.status_code, bad.json()) == (503, {"error": INTERNAL_ERROR})
    assert (native.status_code, native.json()) == (503, {"error": INTERNAL_ERROR})
    assert good.status_code == 200 and good.json()["translatedText"] == "<نص>"
    assert health.status_code == 200  # one failed batch is not a dead worker
    assert registry.models[0].coalescer.failure is None
    assert "ZeroDivisionError: a bug in the engine" in caplog.text  # the traceback, logged


def test_a_dead_worker_fails_its_requests_at_once_and_health_names_the_model(
    engine: RaisingEngine, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = served(engine, engine_timeout=120)

    async def broken(self: Coalescer, queue: asyncio.Queue[_Job], batch: list[_Job]) -> None:
        batch.append(await queue.get())
        raise RuntimeError("a bug in the worker")

    monkeypatch.setattr(Coalescer, "_collect", broken)
    with client, caplog.at_level(logging.ERROR, "tarjama.server"):
        assert client.get("/health").status_code == 200
        started = time.monotonic()
        first = client.post("/translate", json={"q": "نص", **AR})
        health = client.get("/health")
        later = client.post("/v1/translate", json={"text": "نص آخر"})
        elapsed = time.monotonic() - started
    assert first.status_code == 503
    assert later.status_code == 503
    for answer in (first, later):
        assert "model 'fake' is not serving" in answer.json()["error"]
    assert health.status_code == 503
    assert "model 'fake' is not serving" in health.json()["error"]
    assert "its worker stopped (RuntimeError; see the server log)" in health.json()["error"]
    assert elapsed < 10  # at once, not after the 120 s engine timeout
    assert "its requests fail until a restart" in caplog.text
    assert "RuntimeError: a bug in the worker" in caplog.text  # the traceback, logged


def test_no_request_waits_on_the_engine_past_the_timeout(engine: RaisingEngine) -> None:
    client, _ = served(engine, engine_timeout=0.5)
    with client:
        started = time.monotonic()
        held = client.post("/translate", json={"q": "hold", **AR})
        elapsed = time.monotonic() - started
        engine.released.set()
        after = client.post("/translate", json={"q": "نص", **AR})
    assert held.status_code == 503
    assert held.json()["error"] == "model 'fake' did not answer within 0.5 s (--engine-timeout)"
    assert 0.5 <= elapsed < 10
    assert after.status_code == 200  # the model serves again once it answers


def test_the_engine_timeout_is_a_flag_and_a_variable() -> None:
    assert Settings().engine_timeout == 300.0
    assert resolve({"TARJAMA_ENGINE_TIMEOUT": "12.5"}).settings.engine_timeout == 12.5
    with pytest.raises(ConfigError, match="engine-timeout must be positive"):
        Settings(engine_timeout=0)


def test_the_idle_hook_runs_in_the_engine_thread_and_its_failure_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    engine = FakeEngine()
    threads: list[str] = []

    def trim() -> None:  # as serving.heap_trimmer's, which must never block the event loop
        threads.append(threading.current_thread().name)
        raise OSError("the trim failed")

    async def run() -> list[Hypothesis]:
        coalescer = Coalescer("m", wait_ms=0)
        coalescer.on_idle = trim
        coalescer.start()
        try:
            first = await coalescer.submit(engine, ["a"], "ar", "en")
            await asyncio.sleep(0.05)  # the worker's idle moment
            second = await coalescer.submit(engine, ["b"], "ar", "en")  # within idle_every
            await asyncio.sleep(0.05)
            return first + second
        finally:
            await coalescer.close()

    with caplog.at_level(logging.ERROR, "tarjama.server"):
        hyps = asyncio.run(run())
    assert [h.text for h in hyps] == ["<a>", "<b>"]
    assert len(threads) == 1 and threads[0].startswith("engine-m")
    assert "the idle hook failed" in caplog.text

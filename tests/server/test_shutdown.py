"""Graceful shutdown of a real `tarjama serve`: SIGTERM with requests in flight stops
accepting new work, lets the requests in flight finish (up to --shutdown-timeout), and
exits 0.

The requests are held in flight by the coalescer itself: with TARJAMA_BATCH_WAIT_MS the
first request of a batch waits that long for company before the engine runs, so the test
knows they are in flight without timing the model.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import httpx
import pytest

from ..servers import server_log, start_server

pytestmark = [pytest.mark.slow, pytest.mark.timing]

BODY = {"q": "مرحبا بكم", "source": "ar", "target": "en"}


def in_flight(url: str, count: int) -> tuple[list[threading.Thread], list[object]]:
    """``count`` requests sent at once from threads; their answers (or errors) collect."""
    answers: list[object] = []

    def send() -> None:
        try:
            answers.append(httpx.post(f"{url}/translate", json=BODY, timeout=120))
        except httpx.HTTPError as exc:
            answers.append(exc)

    threads = [threading.Thread(target=send) for _ in range(count)]
    for t in threads:
        t.start()
    return threads, answers


def wait_for_queue(url: str, count: int, timeout: float = 30) -> None:
    """Until the server holds ``count`` requests (its in-flight gauge says so)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = httpx.get(f"{url}/metrics", timeout=10).text
        line = next(
            ln for ln in text.splitlines() if ln.startswith("tarjama_http_requests_in_flight")
        )
        if float(line.split()[-1]) >= count + 1:  # the scrape itself is in flight too
            return
        time.sleep(0.05)
    raise AssertionError(f"{count} requests never got in flight")


def test_sigterm_finishes_requests_in_flight_and_exits_0(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "TARJAMA_BATCH_WAIT_MS": "3000"}
    proc, url = start_server(tiny_model_dir, tmp_path, "--metrics", env=env)
    httpx.post(f"{url}/translate", json=BODY, timeout=120)  # warm, before the clock starts
    threads, answers = in_flight(url, 4)
    wait_for_queue(url, 4)
    proc.send_signal(signal.SIGTERM)
    time.sleep(0.5)
    with pytest.raises(httpx.TransportError):  # no new work is accepted
        httpx.get(f"{url}/health", timeout=5)
    assert proc.wait(timeout=60) == 0
    for t in threads:
        t.join(timeout=60)
    assert [getattr(a, "status_code", a) for a in answers] == [200] * 4
    assert all(a.json()["translatedText"] for a in answers if isinstance(a, httpx.Response))
    log = server_log(tmp_path, url)
    assert "finishing requests in flight" in log and "Traceback" not in log


def test_shutdown_timeout_bounds_the_wait(tiny_model_dir: Path, tmp_path: Path) -> None:
    env = {**os.environ, "TARJAMA_BATCH_WAIT_MS": "60000"}  # would wait a minute
    proc, url = start_server(
        tiny_model_dir, tmp_path, "--metrics", "--shutdown-timeout", "1", env=env
    )
    threads, answers = in_flight(url, 2)
    wait_for_queue(url, 2)
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 0
    assert time.monotonic() - started < 30  # the minute-long batch was not waited for
    for t in threads:
        t.join(timeout=60)
    assert len(answers) == 2 and not any(
        isinstance(a, httpx.Response) and a.status_code == 200 for a in answers
    )

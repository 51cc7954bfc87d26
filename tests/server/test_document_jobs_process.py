"""Document jobs against a real `tarjama serve` (the tiny model, loopback): small
``/translate`` requests are answered within seconds beside a large document and beside a
10,000-code XLIFF unit, a job past ``--document-timeout`` answers 503 naming it, and the
job of a client that went away stops using the engine (its engine calls stop growing)."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ..conftest import corpus
from ..servers import start_server, stop_server

pytestmark = pytest.mark.slow

#: The deadline of the server under test: the large document runs past it.
DOCUMENT_TIMEOUT = 10
#: The longest a small request may wait beside a document (one chunk of about 40
#: sentences is decoded in well under a second here; the whole document takes tens).
SMALL_WAIT = 3.0
WORDS = sorted({w for line in corpus("ar") for w in line.split() if w.isalpha()})


def sentences(count: int) -> str:
    """``count`` distinct sentences of corpus words, one a line (distinct words, not
    numbers: a number is a placeholder to the engine, and equal texts are sent once)."""
    n = len(WORDS)
    return "\n".join(
        " ".join(WORDS[(k // n**j + 7 * j) % n] for j in range(3)) + " " + WORDS[k % n] + "."
        for k in range(count)
    )


LARGE = sentences(3000)


@pytest.fixture(scope="module")
def server(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    extra = ["--metrics", "--document-timeout", str(DOCUMENT_TIMEOUT)]
    proc, url = start_server(tiny_model_dir, tmp_path_factory.mktemp("home"), *extra)
    try:
        yield url
    finally:
        stop_server(proc)


def engine_calls(url: str, family: str = "tarjama_engine_batch_jobs_count") -> float:
    """Engine calls the server has made (each is one observation of the batch histogram,
    which has no series before the first); with ``family``, another of its figures."""
    for line in httpx.get(f"{url}/metrics", timeout=10).text.splitlines():
        if line.startswith(family):
            return float(line.split()[-1])
    return 0.0


def decoded(url: str) -> float:
    """Sentences the engine has decoded."""
    return engine_calls(url, "tarjama_engine_batch_sentences_sum")


def small_waits(url: str, busy: threading.Thread, at_least: int = 3) -> list[float]:
    """Seconds each small /translate took while ``busy`` ran (one every 0.3 s)."""
    waits: list[float] = []
    while busy.is_alive() or len(waits) < at_least:
        started = time.monotonic()
        r = httpx.post(
            f"{url}/translate",
            json={"q": f"خبر قصير {len(waits)}", "source": "ar", "target": "en"},
            timeout=60,
        )
        waits.append(time.monotonic() - started)
        assert r.status_code == 200, r.text
        time.sleep(0.3)
    return waits


def in_thread(call: Any) -> tuple[threading.Thread, dict[str, Any]]:
    """Run ``call()`` in a thread; its response (or error) and seconds land in the dict."""
    out: dict[str, Any] = {}

    def run() -> None:
        started = time.monotonic()
        try:
            out["response"] = call()
        except httpx.HTTPError as exc:
            out["error"] = exc
        out["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    return thread, out


def test_translate_answers_within_seconds_beside_a_large_document(server: str) -> None:
    # Small requests from the start: through the document's splitting, its decoding (about
    # 30 s of the model as one call: what a small request waited for before the document
    # lane) and up to its deadline.
    before = decoded(server)
    thread, out = in_thread(
        lambda: httpx.post(
            f"{server}/v1/translate", json={"text": LARGE, "source": "ar"}, timeout=120
        )
    )
    waits = small_waits(server, thread)
    thread.join()
    document = out["response"]
    print(
        f"document {document.status_code} in {out['seconds']:.1f} s, "
        f"{decoded(server) - before:.0f} sentences decoded; {len(waits)} small waits, "
        f"{min(waits):.2f} to {max(waits):.2f} s"
    )
    assert document.status_code in (200, 503), document.text
    assert decoded(server) - before > 100  # the small requests were sent while it decoded
    assert len(waits) >= 3
    assert max(waits) < SMALL_WAIT, waits


def test_a_document_past_its_deadline_answers_503_and_stops(server: str) -> None:
    before = decoded(server)
    started = time.monotonic()
    r = httpx.post(f"{server}/v1/translate", json={"text": LARGE, "source": "ar"}, timeout=120)
    elapsed = time.monotonic() - started
    assert r.status_code == 503
    assert r.json()["error"] == (
        f"the document did not finish within {DOCUMENT_TIMEOUT} s (--document-timeout)"
    )
    assert elapsed < DOCUMENT_TIMEOUT + 5
    time.sleep(SMALL_WAIT)  # the chunk being decoded at the deadline ends
    settled = engine_calls(server)
    time.sleep(2 * SMALL_WAIT)
    assert engine_calls(server) == settled
    print(f"503 after {elapsed:.1f} s; {decoded(server) - before:.0f} of 3000 sentences decoded")
    assert decoded(server) - before < 3000  # not the whole document


def test_a_disconnected_clients_job_stops_using_the_engine(server: str) -> None:
    before, sentences_before = engine_calls(server), decoded(server)
    body = json.dumps({"text": LARGE, "source": "ar"}).encode()
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port))) as sock:
        head = (
            f"POST /v1/translate HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json"
            f"\r\nContent-Length: {len(body)}\r\n\r\n"
        )
        sock.sendall(head.encode() + body)
        while engine_calls(server) == before:  # its job is decoding
            time.sleep(0.1)
    # The client went away.
    time.sleep(SMALL_WAIT)  # the chunk being decoded when it left ends
    settled = engine_calls(server)
    time.sleep(2 * SMALL_WAIT)
    assert engine_calls(server) == settled  # (it would run to its 10 s deadline otherwise)
    print(f"gone: {decoded(server) - sentences_before:.0f} of 3000 sentences decoded")
    assert decoded(server) - sentences_before < 3000


def xliff_of_codes(codes: int) -> bytes:
    words = "".join(f'كلمة{k} <x id="{k}"/> ' for k in range(codes))
    return (
        '<?xml version="1.0"?><xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="ar" '
        'target-language="en" datatype="plaintext" original="x"><body>'
        f'<trans-unit id="1"><source>{words}</source></trans-unit></body></file></xliff>'
    ).encode()


def test_a_10000_code_xliff_unit_ends_in_seconds_while_translate_answers(server: str) -> None:
    data = xliff_of_codes(10_000)
    thread, out = in_thread(
        lambda: httpx.post(
            f"{server}/translate_file",
            data={"source": "ar", "target": "en"},
            files={"file": ("codes.xlf", data)},
            timeout=120,
        )
    )
    waits = small_waits(server, thread)
    thread.join()
    r = out["response"]
    print(f"XLIFF {r.status_code} in {out['seconds']:.2f} s: {r.text[:120]}; small waits {waits}")
    assert r.status_code in (200, 400), r.text
    assert out["seconds"] < 10
    assert max(waits) < SMALL_WAIT, waits

"""A chunked body over the limit gets its 413 at once, whichever chunk crosses the limit:
the last one (nothing more to drain) or one in the middle (the rest drains quickly).

Until the crossing chunk was noted as the last, 6 x 64 KiB over a 5 x 64 KiB limit waited
10 s (the drain bound) for body that never came."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from tarjama.server import Registry, Settings, create_app

from ..fakes import FakeEngine

CHUNK = 64 << 10
LIMIT = 5 * CHUNK + 100  # a sixth chunk crosses it


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    settings = Settings(body_limit=LIMIT)
    app = create_app(settings, Registry([FakeEngine()], settings))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.started, "the test server did not start"
    try:
        yield f"127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(30)


def post_chunked(address: str, chunks: int) -> tuple[int, bytes, float]:
    """POST ``chunks`` chunks of 64 KiB; the status, the body and the seconds to the answer."""
    host, port = address.split(":")
    body = b"".join(b"%x\r\n%s\r\n" % (CHUNK, b"x" * CHUNK) for _ in range(chunks)) + b"0\r\n\r\n"
    head = (
        b"POST /translate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=30) as s:
        started = time.monotonic()
        s.sendall(head + body)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        elapsed = time.monotonic() - started
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2], elapsed


@pytest.mark.parametrize("chunks", [6, 8, 16])
def test_a_chunked_body_over_the_limit_gets_its_413_in_under_a_second(
    url: str, chunks: int
) -> None:
    status, body, elapsed = post_chunked(url, chunks)
    assert status == 413
    assert b"body too large (the limit is %d bytes)" % LIMIT in body
    assert elapsed < 1.0


def test_a_chunked_body_within_the_limit_is_read_whole(url: str) -> None:
    status, body, _ = post_chunked(url, 5)
    assert status == 400  # it got past the limit to the JSON parser
    assert b"Invalid JSON format" in body

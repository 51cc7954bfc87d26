"""The bad-input table that needs a real server: what reaches uvicorn's parser, the
socket, or the clock before the app (hardening items of issue H). Each row is sent over a
raw socket or a plain client, and gets its status; the server logs no traceback."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ..servers import server_log, start_server, stop_server

pytestmark = [pytest.mark.slow, pytest.mark.timing]

BODY_LIMIT = 1 << 20


@pytest.fixture(scope="module")
def served(
    tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    home = tmp_path_factory.mktemp("home")
    extra = ["--body-limit", str(BODY_LIMIT), "--body-timeout", "2"]
    proc, url = start_server(tiny_model_dir, home, *extra)
    try:
        yield url, home
    finally:
        stop_server(proc)


def raw(url: str, request: bytes, *, trickle: float = 0.0) -> tuple[int, dict[str, str], bytes]:
    """Send ``request`` as is (byte by byte every ``trickle`` seconds); read the answer."""
    host, port = url.split("//")[1].split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        if trickle:
            head, body = request.split(b"\r\n\r\n", 1)
            s.sendall(head + b"\r\n\r\n")
            try:
                for byte in body:
                    s.sendall(bytes([byte]))
                    time.sleep(trickle)
            except OSError:  # the server hung up on the slow body, as it should
                pass
        else:
            s.sendall(request)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), headers, body


def http(path: str, body: bytes, *headers: str) -> bytes:
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1", *headers, "Connection: close"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def urllib_post(url: str, body: bytes, origin: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json", "Origin": origin}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


# (id, how to send it, status, error message); the urllib case sends an Origin and must
# get CORS headers on its 413, so that a browser can read it.
Case = tuple[str, Callable[[str], tuple[int, dict[str, str], bytes]], int, str]
WITH_ORIGIN = {"body-far-over-the-limit-from-urllib"}
CASES: list[Case] = [
    (  # #12: uvicorn answered plain text
        "content-length-not-a-number",
        lambda url: raw(url, http("/translate", b"{}", "Content-Length: abc")),
        400,
        "Invalid request: malformed HTTP request",
    ),
    (  # #7: 12 MB from urllib got a connection reset instead of its 413 (with CORS)
        "body-far-over-the-limit-from-urllib",
        lambda url: urllib_post(f"{url}/translate", b" " * (12 << 20), "https://desk.example"),
        413,
        f"Invalid request: body too large ({12 << 20} bytes; the limit is {BODY_LIMIT} bytes)",
    ),
    (  # #7, sent chunked: no length to refuse early
        "chunked-body-over-the-limit",
        lambda url: raw(
            url,
            http("/translate", b"".join(
                b"%x\r\n%s\r\n" % (65536, b"x" * 65536) for _ in range(24)
            ) + b"0\r\n\r\n", "Transfer-Encoding: chunked", "Content-Type: application/json"),
        ),
        413,
        f"Invalid request: body too large (the limit is {BODY_LIMIT} bytes)",
    ),
    (  # #11: a body sent slowly was held 150 s and more
        "body-sent-too-slowly",
        lambda url: raw(
            url,
            http("/translate", b'{"q": "x", "source": "ar", "target": "en"}',
                 "Content-Length: 43", "Content-Type: application/json"),
            trickle=0.2,
        ),
        408,
        "Invalid request: the body did not arrive within 2 s",
    ),
    (  # #3: a lone surrogate as a field name: a 503 and a traceback
        "unknown-field-lone-surrogate",
        lambda url: raw(url, http("/v1/translate", b'{"text": "x", "\\ud800": 1}',
                                  "Content-Length: 26", "Content-Type: application/json")),
        400,
        "Invalid request: unknown field '\\ud800'",
    ),
    (  # #15: DNS rebinding: a page's own name resolving to the server
        "host-of-another-site",
        lambda url: raw(url, http("/translate", b"{}", "Content-Length: 2").replace(
            b"Host: 127.0.0.1", b"Host: rebind.attacker.example")),
        400,
        "Invalid request: this server does not answer for host 'rebind.attacker.example' "
        "(start it with --allowed-hosts rebind.attacker.example, or --allowed-hosts '*')",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("case", "send", "status", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_over_the_wire(
    served: tuple[str, Path],
    case: str,
    send: Callable[[str], tuple[int, dict[str, str], bytes]],
    status: int,
    message: str,
) -> None:
    url, home = served
    code, headers, body = send(url)
    assert code == status
    assert headers["content-type"] == "application/json"
    assert json.loads(body) == {"error": message}
    if case in WITH_ORIGIN:
        assert headers.get("access-control-allow-origin") == "*"
    assert "Traceback" not in server_log(home, url)


def test_a_client_that_goes_away_mid_body_is_let_go(served: tuple[str, Path]) -> None:
    """#11: its disconnect was logged as an unexpected error with a traceback."""
    url, home = served
    host, port = url.split("//")[1].split(":")
    gone = '"status": 499'  # the access log's line for a request whose client went away
    seen = server_log(home, url).count(gone)
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(http("/translate", b'{"q": ', "Content-Length: 100"))
    # Until the server has logged the request's end, there is nothing to check yet.
    deadline = time.monotonic() + 30
    while (log := server_log(home, url)).count(gone) == seen and time.monotonic() < deadline:
        time.sleep(0.05)
    assert log.count(gone) > seen, log[-2000:]
    assert "Traceback" not in log and "unexpected error" not in log
    code, _, _ = raw(url, b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
    assert code == 200

"""A bounded load test on loopback: 2,000 requests from 32 concurrent clients, valid and
invalid mixed, against `tarjama serve` with the tiny model. No response may be a 5xx, and
the server's resident memory must stay flat once it has warmed up."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from ..conftest import corpus
from ..servers import rss_bytes, start_server, stop_server

pytestmark = pytest.mark.slow

CLIENTS = 32
REQUESTS = 2000
WARM_UP = 300
CHAR_LIMIT = 2000
BODY_LIMIT = 65536
#: Allowed growth of the server's RSS over the 2,000 requests after warm-up.
MAX_GROWTH = 24 << 20

#: Short phrases: the tiny model decodes to the 2n+10 limit, and this test is about the
#: server, not the model's speed.
LINES = [" ".join(line.split()[:3]) for line in corpus("ar")]
EN_LINES = corpus("en")
JSON = {"Content-Type": "application/json"}


def requests() -> Iterator[tuple[str, str, dict[str, Any], set[int]]]:
    """(kind, path, httpx arguments, acceptable statuses), cycling through a fixed mix."""
    for i in itertools.count():
        ar = LINES[i % len(LINES)]
        kinds: list[tuple[str, str, dict[str, Any], set[int]]] = [
            ("translate", "/translate", {"json": {"q": ar, "source": "ar", "target": "en"}}, {200}),
            ("form", "/translate", {"data": {"q": ar, "source": "auto", "target": "en"}}, {200}),
            (
                "list",
                "/translate",
                {
                    "json": {
                        "q": [ar, LINES[(i + 7) % len(LINES)]],
                        "source": "ar",
                        "target": "en",
                        "alternatives": 1,
                    }
                },
                {200},
            ),
            (
                "html",
                "/translate",
                {"json": {"q": f"<p>{ar}</p>", "source": "ar", "target": "en", "format": "html"}},
                {200},
            ),
            ("detect", "/detect", {"json": {"q": EN_LINES[i % len(EN_LINES)]}}, {200}),
            ("document", "/v1/translate", {"json": {"text": ar + "\n" + ar}}, {200}),
            ("languages", "/languages", {}, {200}),
            ("bad-json", "/translate", {"content": b'{"q": ', "headers": JSON}, {400}),
            ("bad-utf8", "/translate", {"content": b'{"q": "\xc3\x28"}', "headers": JSON}, {400}),
            (
                "bad-type",
                "/translate",
                {"json": {"q": [1, {}], "source": "ar", "target": "en"}},
                {400},
            ),
            ("bad-lang", "/translate", {"json": {"q": ar, "source": "ar", "target": "xx"}}, {400}),
            (
                "bad-alternatives",
                "/translate",
                {"json": {"q": ar, "source": "ar", "target": "en", "alternatives": "many"}},
                {400},
            ),
            (
                "over-limit",
                "/translate",
                {"json": {"q": "ب" * (CHAR_LIMIT + 1), "source": "ar", "target": "en"}},
                {400},
            ),
            (
                "surrogate",
                "/translate",
                {"content": b'{"q": "\\udfff", "source": "ar", "target": "en"}', "headers": JSON},
                {400},
            ),
            (
                "huge-body",
                "/v1/translate",
                {"content": b"[" * (2 * BODY_LIMIT), "headers": JSON},
                {413},
            ),
            (
                "deep-json",
                "/translate",
                {"content": b"[" * (10 * CHAR_LIMIT), "headers": JSON},
                {400},
            ),
            ("no-route", "/nowhere", {}, {404}),
        ]
        yield kinds[i % len(kinds)]


async def hammer(url: str, count: int, start: int) -> Counter[tuple[str, int]]:
    """Send ``count`` requests from CLIENTS concurrent clients; count (kind, status)."""
    jobs = itertools.islice(requests(), start, start + count)
    seen: Counter[tuple[str, int]] = Counter()
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=120) as client:

        async def worker() -> None:
            for kind, path, kwargs, _ in jobs:
                method = "GET" if path in ("/languages", "/nowhere") else "POST"
                r = await client.request(method, path, **kwargs)
                seen[(kind, r.status_code)] += 1

        await asyncio.gather(*(worker() for _ in range(CLIENTS)))
    return seen


@pytest.fixture(scope="module")
def server(
    tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[int, str]]:
    extra = ["--char-limit", str(CHAR_LIMIT), "--body-limit", str(BODY_LIMIT)]
    proc, url = start_server(tiny_model_dir, tmp_path_factory.mktemp("home"), *extra)
    try:
        yield proc.pid, url
    finally:
        stop_server(proc)


def test_two_thousand_mixed_requests(server: tuple[int, str]) -> None:
    pid, url = server
    warm = asyncio.run(hammer(url, WARM_UP, 0))
    before = rss_bytes(pid)
    seen = asyncio.run(hammer(url, REQUESTS, WARM_UP))
    after = rss_bytes(pid)

    assert sum(seen.values()) == REQUESTS
    expected = {kind: ok for kind, _, _, ok in itertools.islice(requests(), 17)}
    wrong = {k: n for k, n in (warm + seen).items() if k[1] not in expected[k[0]]}
    assert wrong == {}
    assert not [k for k in seen if k[1] >= 500]
    growth = after - before
    print(f"server RSS {before >> 20} MiB -> {after >> 20} MiB ({growth / (1 << 20):+.1f} MiB)")
    assert growth < MAX_GROWTH
    assert httpx.get(f"{url}/health").json() == {"status": "ok"}

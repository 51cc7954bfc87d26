"""Memory and latency of `tarjama serve` under a long mixed load, and what /v1/evaluate
does to translation.

1. **Memory**: mixed requests (valid and invalid, every route) from 32 concurrent clients
   on loopback, against the random-weight OPUS-MT-architecture model
   (scripts/build_bench_model.py; ``--model tiny``: the tiny one built from
   tests/data/articles, where decoding costs almost nothing). Prints p50/p95/p99 latency,
   the count of 5xx answers, and the server's resident memory at rest (2 s after the
   last answer) after the warm-up and at each tenth of the run, with the slope of RSS per
   1,000 requests (least squares over those tenths, and over the second half alone):
   flat means no more than 5% above the warm-up figure (memory given back is not creep),
   both at the end of the run and extrapolated to 100,000 at the second half's rate
   (100,000 requests on the OPUS-sized model take hours on two cores; the first half
   still holds the warm-up's falling tail). ``--allocator default``
   starts the server with glibc's allocator as it comes (``TARJAMA_TUNE_ALLOCATOR=0``),
   ``tuned`` with tarjama's settings (the default, see tarjama/server/serving.py),
   ``both`` runs the two one after the other.
2. **Starvation**: /translate's p95 from 32 clients alone, then with clients sending
   /v1/evaluate requests of the largest allowed size (100 lines of 1,000 characters) at
   the same time. The ratio must stay under 2.

    python benchmarks/bench_server_rss.py [--requests 5000] [--warmup 1000]
        [--allocator tuned|default|both] [--model opus|tiny]

Exits 1 when a target is missed (a 5xx, memory not flat, the ratio at 2 or more).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.conftest import corpus  # noqa: E402
from tests.servers import rss_bytes, start_server, stop_server  # noqa: E402

sys.path.insert(0, str(REPO / "scripts"))
from build_bench_model import build  # noqa: E402

from tarjama.server.scoring import MAX_LINE_CHARS, MAX_TOTAL_CHARS  # noqa: E402
from tarjama.testing import build_marian_model  # noqa: E402

TINY = REPO / ".bench" / "tiny-articles"
#: Seconds between the last answer of a step and the RSS reading: memory at rest, once
#: the idle model has trimmed its heap (serving.heap_trimmer), not a batch's buffers.
REST = 2.0
#: What the slope is extrapolated to.
EXTRAPOLATE = 100_000
JSON = {"Content-Type": "application/json"}
CHAR_LIMIT = 2000
#: How many kinds of request mix() cycles through, and which are valid /translate ones.
KINDS = 18
TRANSLATE = {0, 1, 2, 3, 4}
FLAT = 0.05
STARVATION = 2.0


def mix() -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, path, httpx arguments), cycling through valid and invalid requests."""
    ar = [" ".join(line.split()[:3]) for line in corpus("ar")]
    en = corpus("en")
    for i in itertools.count():
        a, b = ar[i % len(ar)], ar[(i + 7) % len(ar)]
        kinds: list[tuple[str, str, dict[str, Any]]] = [
            ("POST", "/translate", {"json": {"q": a, "source": "ar", "target": "en"}}),
            ("POST", "/translate", {"data": {"q": a, "source": "auto", "target": "en"}}),
            ("POST", "/translate", {"json": {"q": [a, b], "source": "ar", "target": "en",
                                              "alternatives": 1}}),
            ("POST", "/translate", {"json": {"q": f"<p>{a}</p>", "source": "ar", "target": "en",
                                              "format": "html"}}),
            ("POST", "/translate", {"json": {"q": ["BBC", "2025", a], "source": "auto",
                                              "target": "en"}}),
            ("POST", "/detect", {"json": {"q": en[i % len(en)]}}),
            ("POST", "/v1/translate", {"json": {"text": a + "\n" + b}}),
            ("POST", "/v1/check", {"json": {"text": a, "translation": en[i % len(en)]}}),
            ("GET", "/languages", {}),
            ("GET", "/frontend/settings", {}),
            ("POST", "/translate", {"content": b'{"q": ', "headers": JSON}),
            ("POST", "/translate", {"content": b'{"q": "\xc3\x28"}', "headers": JSON}),
            ("POST", "/translate", {"json": {"q": [1, {}], "source": "ar", "target": "en"}}),
            ("POST", "/translate", {"json": {"q": a, "source": "ar", "target": "xx"}}),
            ("POST", "/translate", {"json": {"q": "ب" * (CHAR_LIMIT + 1), "source": "ar",
                                              "target": "en"}}),
            ("POST", "/v1/translate", {"content": b'{"text": "x", "\\ud800": 1}', "headers": JSON}),
            ("POST", "/v1/translate", {"content": b"[" * 100_000, "headers": JSON}),
            ("GET", "/nowhere", {}),
        ]  # fmt: skip
        assert len(kinds) == KINDS
        yield kinds[i % KINDS]


async def hammer(
    url: str, count: int, clients: int, *, only: set[int] | None = None
) -> tuple[list[float], Counter[int]]:
    """Send ``count`` requests from ``clients`` concurrent clients: latencies, statuses."""
    jobs = (j for i, j in enumerate(mix()) if only is None or i % KINDS in only)
    todo = itertools.islice(jobs, count)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=600) as client:

        async def worker() -> None:
            for method, path, kwargs in todo:
                started = time.perf_counter()
                r = await client.request(method, path, **kwargs)
                latencies.append(time.perf_counter() - started)
                statuses[r.status_code] += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, statuses


async def evaluate_load(url: str, clients: int, stop: asyncio.Event) -> Counter[int]:
    """Evaluate requests of the largest allowed size, back to back, until ``stop``."""
    rng = random.Random(7)
    words = " ".join(corpus("en")).split()
    lines = MAX_TOTAL_CHARS // (2 * MAX_LINE_CHARS)

    def line() -> str:
        out = ""
        while len(out) < MAX_LINE_CHARS:
            out += rng.choice(words) + " "
        return out[:MAX_LINE_CHARS]

    body = {
        "hypotheses": [line() for _ in range(lines)],
        "references": [line() for _ in range(lines)],
    }
    statuses: Counter[int] = Counter()
    async with httpx.AsyncClient(base_url=url, timeout=600) as client:

        async def worker() -> None:
            while not stop.is_set():
                r = await client.post("/v1/evaluate", json=body)
                statuses[r.status_code] += 1
                if r.status_code == 429:  # the pool is busy: as a polite client would
                    await asyncio.sleep(0.5)

        await asyncio.gather(*(worker() for _ in range(clients)))
    return statuses


async def with_evaluate(url: str, count: int, clients: int) -> tuple[list[float], Counter[int]]:
    stop = asyncio.Event()
    load = asyncio.create_task(evaluate_load(url, 4, stop))
    await asyncio.sleep(2.0)  # the scoring process is started and busy
    latencies, _ = await hammer(url, count, clients, only=TRANSLATE)
    stop.set()
    return latencies, await load


def mib(n: int) -> str:
    return f"{n / 2**20:7.1f} MiB"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def threads(pid: int) -> int:
    """The server's threads: the request pool grows to its bound as load needs it."""
    return len(list(Path(f"/proc/{pid}/task").iterdir()))


def children_rss(pid: int) -> int:
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            total += rss_bytes(int(child))
    return total


def run_memory(args: argparse.Namespace, allocator: str) -> bool:
    env = {**os.environ, "TARJAMA_TUNE_ALLOCATOR": "1" if allocator == "tuned" else "0"}
    with tempfile.TemporaryDirectory() as tmp:
        extra = ["--char-limit", str(CHAR_LIMIT), "--body-limit", "65536"]
        proc, url = start_server(args.model_dir, Path(tmp), *extra, env=env, timeout=300)
        try:
            only = {int(k) for k in args.kinds.split(",")} if args.kinds else None
            _, warm_status = asyncio.run(hammer(url, args.warmup, args.clients, only=only))
            time.sleep(REST)
            base = rss_bytes(proc.pid)
            print(f"\n[{allocator}] after {args.warmup:,} warm-up requests: RSS {mib(base)}")
            latencies: list[float] = []
            statuses: Counter[int] = Counter()
            step = args.requests // 10
            started = time.perf_counter()
            points: list[tuple[int, int]] = [(0, base)]
            for k in range(10):
                lat, st = asyncio.run(hammer(url, step, args.clients, only=only))
                latencies += lat
                statuses += st
                time.sleep(REST)
                rss = rss_bytes(proc.pid)
                done = (k + 1) * step
                points.append((done, rss))
                per = (rss - base) / done
                print(
                    f"[{allocator}] {done:>7,} requests: RSS {mib(rss)} "
                    f"({(rss - base) / base:+.1%}), {per:+.0f} B/request, "
                    f"{threads(proc.pid)} threads",
                    flush=True,
                )
            wall = time.perf_counter() - started
            end = rss_bytes(proc.pid)
        finally:
            stop_server(proc)
    errors = sum(n for code, n in (statuses + warm_status).items() if code >= 500)
    growth = (end - base) / base
    rate = args.requests / wall
    print(f"[{allocator}] {args.requests:,} requests in {wall:.0f} s ({rate:.0f} req/s)")
    print(
        f"[{allocator}] latency p50 {pct(latencies, 0.5) * 1000:.1f} ms, "
        f"p95 {pct(latencies, 0.95) * 1000:.1f} ms, p99 {pct(latencies, 0.99) * 1000:.1f} ms"
    )
    print(f"[{allocator}] statuses {dict(sorted(statuses.items()))}; 5xx: {errors}", flush=True)
    per_1000 = slope(points) * 1000
    later = slope(points[len(points) // 2 :]) * 1000
    # The rate at which a long life grows is the second half's: the first still holds the
    # warm-up's tail (the rate falls as the run goes on), which a straight line through the
    # whole run would carry on to 100,000 requests.
    projected = (end - base + later * (EXTRAPOLATE - args.requests) / 1000) / base
    # Growth is what must stay under 5%: memory given back is not creep.
    flat = growth <= FLAT and projected <= FLAT
    verdict = "flat" if flat else "NOT FLAT"
    print(
        f"[{allocator}] RSS {mib(base)} -> {mib(end)} ({growth:+.2%}); slope "
        f"{per_1000 / 1024:+.1f} KiB per 1,000 requests ({later / 1024:+.1f} over the second "
        f"half); at {EXTRAPOLATE:,} requests, going on at the second half's rate: "
        f"{projected:+.2%} (extrapolated): {verdict} (target {FLAT:.0%})",
        flush=True,
    )
    return errors == 0 and flat


def slope(points: list[tuple[int, int]]) -> float:
    """Least-squares bytes per request through (requests done, RSS)."""
    xs, ys = [x for x, _ in points], [y for _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in points) / var if var else 0.0


def run_starvation(args: argparse.Namespace) -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        extra = ["--char-limit", str(CHAR_LIMIT)]
        env = dict(os.environ)
        proc, url = start_server(args.model_dir, Path(tmp), *extra, env=env, timeout=300)
        try:
            asyncio.run(hammer(url, 300, args.clients, only=TRANSLATE))  # warm
            alone, _ = asyncio.run(hammer(url, args.compare, args.clients, only=TRANSLATE))
            loaded, evaluated = asyncio.run(with_evaluate(url, args.compare, args.clients))
            scoring = children_rss(proc.pid)
            server = rss_bytes(proc.pid)
        finally:
            stop_server(proc)
    p95_alone, p95_loaded = pct(alone, 0.95), pct(loaded, 0.95)
    ratio = p95_loaded / p95_alone
    print(f"\n/translate from {args.clients} clients, {args.compare:,} requests each way")
    for name, lat in (("alone", alone), ("with /v1/evaluate", loaded)):
        p50, p95 = statistics.median(lat) * 1000, pct(lat, 0.95) * 1000
        print(f"  {name:>18}: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms")
    print(f"  evaluate answers: {dict(sorted(evaluated.items()))} (429: the scoring pool was busy)")
    print(f"  RSS: server {mib(server)}, scoring process {mib(scoring)}")
    verdict = "meets" if ratio < STARVATION else "MISSES"
    print(
        f"p95 ratio with/without evaluate: {ratio:.2f}x ({verdict} the < {STARVATION:.0f}x target)"
    )
    return ratio < STARVATION and not any(code >= 500 for code in evaluated)


def main() -> int:
    parser = argparse.ArgumentParser(description="server memory and starvation benchmark")
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--warmup", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--compare", type=int, default=3000, help="requests per p95 figure")
    parser.add_argument("--allocator", choices=("tuned", "default", "both"), default="tuned")
    parser.add_argument(
        "--kinds", default=None, help="only these kinds of mix(), e.g. 6 for /v1/translate"
    )
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-starvation", action="store_true")
    parser.add_argument("--model", choices=("opus", "tiny"), default="opus")
    args = parser.parse_args()
    if args.model == "opus":
        args.model_dir = build()
    else:
        args.model_dir = TINY
        if not (TINY / "model.bin").is_file():
            build_marian_model(TINY, corpus("ar"), corpus("en"))
    ok = True
    if not args.skip_memory:
        for allocator in ("default", "tuned") if args.allocator == "both" else (args.allocator,):
            flat = run_memory(args, allocator)
            # With both, glibc's default is the baseline shown beside the fix.
            ok = ok and (flat or (args.allocator == "both" and allocator == "default"))
    if not args.skip_starvation:
        ok = run_starvation(args) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

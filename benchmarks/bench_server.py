"""`tarjama serve` against the same work done in-process, and what a memory costs a request.

1. **Throughput** on the random-weight OPUS-MT-architecture model
   (scripts/build_bench_model.py: int8, beam 4): 16 paragraphs of news (the test
   articles) translated (a) by one `/translate` request whose ``q`` holds all 16, (b) by 16
   concurrent requests of one paragraph each, and (c) in this process by one
   ``Translator.translate_texts`` call on the same 16 paragraphs, same model, same cores.
   The output cap is the engine's own on both sides: CTranslate2's
   ``max_decoding_length`` of ``2n + 10`` target tokens for a batch whose longest sentence
   has ``n`` (ct2.decoding_limit; random weights never emit ``</s>``, so every sentence
   decodes to it). For these paragraphs that is under 256. Rounds alternate the order of
   the three so that machine drift hits all alike; medians are compared. Target: both
   server figures >= 0.95x in-process.
2. **Memory**: `/v1/translate` latency, one request at a time, with the home's translation
   memory (FLORES pairs in it) and with ``"memory": false``, alternating, on the tiny model
   (where the engine is cheap, so that the memory's own cost shows). Target: p50 with the
   memory <= 1.1x without.

3. **RSS** (``--rss N``): after the throughput rounds, in the same run, N mixed requests
   (bench_server_rss.py's mix: every route, valid and invalid, 32 clients) against a
   server of the same model with today's tuning, RSS at rest after a warm-up of
   ``--rss-warmup`` and at each tenth, extrapolated to 100,000 requests at the second
   half's rate. Target: within 5% at the end and extrapolated.

``--allocator`` names the servers to time beside in-process, in the same rounds: ``new``
(today's tuning: one malloc arena, the idle trim), ``two-arenas`` (``MALLOC_ARENA_MAX=2``,
as before), ``old`` (a 64 KiB mmap threshold and a 128 KiB trim threshold, set in the
environment); e.g. ``--allocator two-arenas,new``; ``both`` is ``old,new``. Only ``new``
must meet the target.

    python benchmarks/bench_server.py [--rounds 2] [--paragraphs 16] [--latency 100]
        [--allocator new] [--rss 0] [--rss-warmup 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from build_bench_model import FLORES, REPO, build

sys.path.insert(0, str(REPO))
from tests.conftest import corpus
from tests.servers import start_server, stop_server

from tarjama.archive import Entry
from tarjama.testing import build_marian_model
from tarjama.workspace import Workspace

TARGET = 0.95
MEMORY_TARGET = 1.1
TINY = REPO / ".bench" / "tiny-articles"
#: The server's environment per allocator setting: today's tuning (serving.tune_allocator:
#: one arena, the idle trim); two arenas, as before it; and the tuning that cost beam
#: search 2.6x its CPU time (a fixed mmap and trim threshold), for comparison.
ALLOCATORS: dict[str, dict[str, str]] = {
    "new": {},
    "two-arenas": {"MALLOC_ARENA_MAX": "2"},
    "old": {"MALLOC_MMAP_THRESHOLD_": "65536", "MALLOC_TRIM_THRESHOLD_": "131072"},
}
AR = {"source": "ar", "target": "en"}


def one_request(url: str, paragraphs: list[str]) -> None:
    r = httpx.post(f"{url}/translate", json={"q": paragraphs, **AR}, timeout=900)
    if r.status_code != 200:
        raise SystemExit(f"{r.status_code}: {r.text}")


def concurrent(url: str, paragraphs: list[str]) -> None:
    async def run() -> None:
        limits = httpx.Limits(max_connections=len(paragraphs))
        async with httpx.AsyncClient(base_url=url, timeout=900, limits=limits) as client:
            answers = await asyncio.gather(
                *(client.post("/translate", json={"q": p, **AR}) for p in paragraphs)
            )
        for r in answers:
            if r.status_code != 200:
                raise SystemExit(f"{r.status_code}: {r.text}")

    asyncio.run(run())


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def throughput(args: argparse.Namespace, allocators: list[str]) -> bool:
    """The in-process baseline and one server per allocator setting, timed in the same
    rounds (order alternating), so that a setting's cost is not machine drift between runs."""
    model = build()
    paragraphs = corpus("ar")[: args.paragraphs]
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Workspace.open(Path(tmp) / "inproc")
        translator = workspace.translator(
            workspace.engine(str(model), device="cpu"), source="ar", target="en"
        )
        procs = []
        try:
            ways: dict[str, Callable[[], object]] = {
                "in-process translate_texts": lambda: translator.translate_texts(paragraphs)
            }
            for allocator in allocators:
                env = {**os.environ, **ALLOCATORS[allocator]}
                proc, url = start_server(model, Path(tmp) / allocator, env=env, timeout=300)
                procs.append(proc)
                ways[f"[{allocator}] server, one request"] = partial(one_request, url, paragraphs)
                ways[f"[{allocator}] server, {len(paragraphs)} concurrent"] = partial(
                    concurrent, url, paragraphs
                )
            seconds = rounds(args.rounds, ways)
        finally:
            for proc in procs:
                stop_server(proc)
    names = list(ways)
    base = statistics.median(seconds[names[0]])
    print(
        f"\n{len(paragraphs)} paragraphs, beam 4, model {model.name}, {args.rounds} rounds "
        "(median seconds, paragraphs/s, x in-process)"
    )
    ok = True
    for name in names:
        median = statistics.median(seconds[name])
        ratio = base / median
        mark = "" if name == names[0] else ("  meets" if ratio >= TARGET else "  MISSES")
        if name.startswith("[new]"):
            ok = ok and ratio >= TARGET  # the others are there for comparison
        print(
            f"{name:>38}: {median:7.2f} s {len(paragraphs) / median:6.2f}/s {ratio:5.2f}x{mark}",
            flush=True,
        )
    return ok


def rounds(count: int, ways: dict[str, Callable[[], object]]) -> dict[str, list[float]]:
    """Each way once to warm up (lazy state, first allocations), then ``count`` timed
    rounds, every other one in reverse order."""
    for fn in ways.values():
        fn()
    seconds: dict[str, list[float]] = {name: [] for name in ways}
    names = list(ways)
    for r in range(count):
        for name in names if r % 2 == 0 else names[::-1]:
            seconds[name].append(timed(ways[name]))
        line = ", ".join(f"{n} {seconds[n][-1]:.2f} s" for n in names)
        print(f"round {r + 1}: {line}", flush=True)
    return seconds


def memory_latency(args: argparse.Namespace) -> bool:
    if not (TINY / "model.bin").is_file():
        build_marian_model(TINY, corpus("ar"), corpus("en"))
    ar = (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
    en = (FLORES / "flores-dev.en").read_text(encoding="utf-8").splitlines()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        with Workspace.open(home).open_memory(create=True) as tm:
            tm.add_many(Entry(a, e, origin="import") for a, e in zip(ar, en, strict=True))
        proc, url = start_server(TINY, home, timeout=300)
        try:
            texts = corpus("ar")
            latencies: dict[bool, list[float]] = {True: [], False: []}
            with httpx.Client(base_url=url, timeout=600) as client:
                for i in range(args.latency + 20):
                    for use in (True, False) if i % 2 == 0 else (False, True):
                        body = {"text": texts[i % len(texts)], "memory": use}
                        started = time.perf_counter()
                        r = client.post("/v1/translate", json=body)
                        if r.status_code != 200:
                            raise SystemExit(f"{r.status_code}: {r.text}")
                        if i >= 20:  # the first ones warm up
                            latencies[use].append(time.perf_counter() - started)
        finally:
            stop_server(proc)
    p50 = {use: statistics.median(lat) * 1000 for use, lat in latencies.items()}
    ratio = p50[True] / p50[False]
    verdict = "meets" if ratio <= MEMORY_TARGET else "MISSES"
    print(
        f"\n/v1/translate, tiny model, {args.latency} requests each way, one at a time, "
        f"memory of {len(ar)} pairs"
    )
    print(f"  without memory: p50 {p50[False]:6.1f} ms")
    print(f"     with memory: p50 {p50[True]:6.1f} ms")
    print(f"with/without: {ratio:.2f}x ({verdict} the <= {MEMORY_TARGET}x target)")
    return ratio <= MEMORY_TARGET


def main() -> int:
    parser = argparse.ArgumentParser(description="server against in-process; memory latency")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--paragraphs", type=int, default=16)
    parser.add_argument("--latency", type=int, default=100, help="requests each way")
    parser.add_argument(
        "--allocator",
        default="new",
        help="comma-separated: new (today's), two-arenas, old; both = old,new",
    )
    parser.add_argument("--skip-throughput", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--rss", type=int, default=0, help="mixed requests for the RSS run")
    parser.add_argument("--rss-warmup", type=int, default=1000)
    args = parser.parse_args()
    ok = True
    if not args.skip_throughput:
        allocators = ["old", "new"] if args.allocator == "both" else args.allocator.split(",")
        unknown = set(allocators) - set(ALLOCATORS)
        if unknown:
            parser.error(
                f"unknown allocator {sorted(unknown)[0]!r}; choose from {list(ALLOCATORS)}"
            )
        ok = throughput(args, allocators)
    if args.rss:
        ok = rss(args) and ok
    if not args.skip_memory:
        ok = memory_latency(args) and ok
    return 0 if ok else 1


def rss(args: argparse.Namespace) -> bool:
    """bench_server_rss.py's memory run, on the same model, in this run."""
    import bench_server_rss

    options = argparse.Namespace(
        requests=args.rss, warmup=args.rss_warmup, clients=32, kinds=None, model_dir=build()
    )
    return bench_server_rss.run_memory(options, "tuned")


if __name__ == "__main__":
    sys.exit(main())

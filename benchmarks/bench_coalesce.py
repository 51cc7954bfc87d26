"""Throughput and latency of `tarjama serve` with request coalescing on and off.

Starts two servers on loopback over the random-weight OPUS-MT-architecture model
(scripts/build_bench_model.py): one coalescing concurrent requests into shared engine
batches (the default), one translating one request at a time (TARJAMA_COALESCE=0). Then
16 clients each send one FLORES sentence (12 to 16 words) at a time to /translate.
Rounds alternate between the two servers so that machine noise hits both alike; medians
are compared.

    python benchmarks/bench_coalesce.py [--clients 16] [--per-client 2] [--rounds 2]

Target: coalescing >= 2x the one-at-a-time throughput. Prints p50 and p95 latency.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from build_bench_model import FLORES, REPO, build

sys.path.insert(0, str(REPO))
from tests.servers import start_server, stop_server

TARGET = 2.0


def start(
    model: Path, home: Path, *, coalesce: bool, device: str
) -> tuple[subprocess.Popen[bytes], str]:
    env = {**os.environ, "TARJAMA_COALESCE": "1" if coalesce else "0", "TARJAMA_DEVICE": device}
    return start_server(model, home, env=env, timeout=120)


async def round_trip(
    url: str, sentences: list[str], clients: int, per_client: int
) -> tuple[float, list[float]]:
    """Each client sends its sentences one after the other; returns (req/s, latencies)."""
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=600, limits=limits) as client:

        async def one_client(c: int) -> None:
            for k in range(per_client):
                q = sentences[(c * per_client + k) % len(sentences)]
                sent = time.perf_counter()
                r = await client.post("/translate", json={"q": q, "source": "ar", "target": "en"})
                latencies.append(time.perf_counter() - sent)
                if r.status_code != 200:
                    raise SystemExit(f"{r.status_code}: {r.text}")

        start_time = time.perf_counter()
        await asyncio.gather(*(one_client(c) for c in range(clients)))
        wall = time.perf_counter() - start_time
    return clients * per_client / wall, latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description="server coalescing benchmark")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--device", default="cpu", choices=("cpu", "cuda"))
    parser.add_argument("--min-words", type=int, default=12)
    parser.add_argument("--max-words", type=int, default=16)
    args = parser.parse_args()

    model = build()
    lines = (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
    # One news-length sentence per request, all of similar length: random weights never
    # emit </s>, so every sentence of a batch decodes to the limit of the batch's longest,
    # an artifact a real model (which stops at </s>) does not have.
    band = range(args.min_words, args.max_words + 1)
    sentences = [line for line in lines if len(line.split()) in band][:200]
    with tempfile.TemporaryDirectory() as tmp:
        servers = {
            "coalesced": start(model, Path(tmp), coalesce=True, device=args.device),
            "one at a time": start(model, Path(tmp), coalesce=False, device=args.device),
        }
        try:
            results: dict[str, tuple[list[float], list[float]]] = {m: ([], []) for m in servers}
            for _, url in servers.values():  # warm up: first call loads lazy state
                httpx.post(
                    f"{url}/translate",
                    json={"q": sentences[0], "source": "ar", "target": "en"},
                    timeout=600,
                )
            for r in range(args.rounds):
                for mode, (_, url) in servers.items():
                    rate, lat = asyncio.run(
                        round_trip(url, sentences, args.clients, args.per_client)
                    )
                    results[mode][0].append(rate)
                    results[mode][1].extend(lat)
                    print(f"round {r + 1} {mode:>13}: {rate:6.2f} req/s", flush=True)
        finally:
            for proc, _ in servers.values():
                stop_server(proc)

    print(
        f"\n{args.clients} clients, {args.per_client} sentences each, {args.rounds} rounds, "
        f"device {args.device}, model {model.name}"
    )
    print(f"{'mode':>13}  {'req/s':>7}  {'p50 s':>7}  {'p95 s':>7}")
    for mode, (rates, lat) in results.items():
        p50, p95 = pct(lat, 0.5), pct(lat, 0.95)
        print(f"{mode:>13}  {statistics.median(rates):7.2f}  {p50:7.2f}  {p95:7.2f}")
    ratio = statistics.median(results["coalesced"][0]) / statistics.median(
        results["one at a time"][0]
    )
    verdict = "meets" if ratio >= TARGET else "MISSES"
    print(f"coalescing speed-up: {ratio:.2f}x ({verdict} the {TARGET:.0f}x target)")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

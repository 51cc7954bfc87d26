"""The openai engine's overhead over raw requests to the same server, and the prompt's size
with and without the memory's examples.

Both sides send the same requests (the engine's own chat bodies, one per chunk) at the
same concurrency: "raw" posts them from a thread pool with httpx, "tarjama" calls
``OpenAIEngine.translate_batch`` (chunking, prompt building, parsing the numbered lines).
Each side goes first in every other round, so that machine noise and the server's prefix
cache favour neither; medians are compared.

    python benchmarks/bench_endpoint.py --url http://127.0.0.1:8000/v1 --model ID [--lines 8]
    python benchmarks/bench_endpoint.py            # starts vLLM (.venv-llm) on the tests'
                                                   # crafted tiny model: proves it runs

Target: tarjama's time <= 1.10x raw at concurrency 8. Against the tiny crafted model each
request carries one sentence (its answers are one line); on a GPU server with a real
model use ``--lines 8``. The prompt's size is the server's own count (``usage``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from tarjama.engines import Hints
from tarjama.engines.openai import Endpoint, OpenAIEngine, chunked, estimate_tokens
from tarjama.engines.prompts import messages

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.llm_server import build_llm, vllm_server  # noqa: E402

TARGET = 1.10
ARTICLES = REPO / "tests" / "data" / "articles"


def sentences(lang: str) -> list[str]:
    return [
        line.strip()
        for path in sorted(ARTICLES.glob(f"*.{lang}.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def bodies(
    engine: OpenAIEngine, texts: list[str], hints: list[Hints | None]
) -> list[dict[str, Any]]:
    """The chat bodies the engine sends for ``texts``: one per chunk."""
    e = engine.endpoint
    by_text = dict(zip(texts, hints, strict=True))
    chunks, contexts = chunked(texts, by_text, e.lines)
    out = []
    for chunk, context in zip(chunks, contexts, strict=True):
        chunk_hints = [by_text.get(t) for t in chunk]
        cap = 64 + 3 * sum(estimate_tokens(t) + 4 for t in chunk)
        chat = messages(e.profile, chunk, "ar", "en", context=context, hints=chunk_hints)
        out.append({"model": e.model, "temperature": 0, "max_tokens": cap, "messages": chat})
    return out


def raw(client: httpx.Client, payloads: list[dict[str, Any]], concurrency: int) -> float:
    """The same requests from a thread pool over one kept-alive client, as the engine's."""
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        for r in pool.map(lambda b: client.post("/chat/completions", json=b), payloads):
            r.raise_for_status()
    return time.perf_counter() - start


def through_tarjama(engine: OpenAIEngine, texts: list[str], hints: list[Hints | None]) -> float:
    start = time.perf_counter()
    engine.translate_batch(texts, "ar", "en", hints=hints)
    return time.perf_counter() - start


def prompt_tokens(url: str, payload: dict[str, Any]) -> int:
    usage = httpx.post(f"{url}/chat/completions", json=payload, timeout=600).json()["usage"]
    return int(usage["prompt_tokens"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running server's base URL (.../v1); else vLLM is started")
    parser.add_argument("--model", default="tiny")
    parser.add_argument("--lines", type=int, default=1, help="sentences a request")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--sentences", type=int, default=48)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    ar, en = sentences("ar"), sentences("en")
    texts = [f"{ar[k % len(ar)]} ({k})" for k in range(args.sentences)]
    # Three of the memory's pairs as each sentence's examples (what MemoryStage suggests).
    examples = tuple(zip(ar[-3:], en[-3:], strict=True))
    hinted: list[Hints | None] = [Hints(examples=examples) for _ in texts]
    plain: list[Hints | None] = [None for _ in texts]
    with ExitStack() as stack:
        url = args.url
        if url is None:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            model = build_llm(work, ar + en)
            print("starting vLLM on the crafted tiny model ...", flush=True)
            url = stack.enter_context(vllm_server(model, args.model, work / "vllm.log"))
        endpoint = Endpoint(url=url, model=args.model, lines=args.lines,
                            concurrency=args.concurrency)  # fmt: skip
        engine = OpenAIEngine("bench", endpoint)
        payloads = bodies(engine, texts, hinted)
        client = stack.enter_context(httpx.Client(base_url=url, timeout=600))
        engine.translate_batch(texts[:2], "ar", "en")  # warm up
        raw(client, payloads[:2], args.concurrency)
        times: dict[str, list[float]] = {"raw": [], "tarjama": []}
        for r in range(args.rounds):  # each side first in every other round
            for side in ("raw", "tarjama")[:: 1 if r % 2 == 0 else -1]:
                took = (
                    raw(client, payloads, args.concurrency)
                    if side == "raw"
                    else through_tarjama(engine, texts, hinted)
                )
                times[side].append(took)
        with_examples = prompt_tokens(url, bodies(engine, texts[:1], hinted[:1])[0])
        without = prompt_tokens(url, bodies(engine, texts[:1], plain[:1])[0])
    med = {k: statistics.median(v) for k, v in times.items()}
    ratio = med["tarjama"] / med["raw"]
    print(f"{len(payloads)} requests of {args.lines} line(s), concurrency {args.concurrency}, "
          f"{args.rounds} rounds (medians)")  # fmt: skip
    print(f"  raw httpx: {med['raw']:.2f} s   tarjama: {med['tarjama']:.2f} s   "
          f"overhead {100 * (ratio - 1):+.1f}% (target <= {100 * (TARGET - 1):.0f}%): "
          f"{'ok' if ratio <= TARGET else 'MISSED'}")  # fmt: skip
    print(f"  prompt of one sentence: {without} tokens without memory examples, "
          f"{with_examples} with 3 ({with_examples - without:+d})")  # fmt: skip


if __name__ == "__main__":
    main()

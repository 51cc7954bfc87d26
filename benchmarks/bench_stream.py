"""What streaming a document gives and costs: the time to the first draft and to the first
checked sentence, against the whole document's time without streaming.

A document of ``--paragraphs`` paragraphs (two sentences each) goes through the guarded
openai engine and the pipeline both ways, in turns (each way goes first in every other
round; medians): ``translate_document``, and ``stream_document`` (the same requests, each
streamed). The results must be equal. By default the server is the tests' loopback stub
at ``--word-ms`` a word (a model's decoding rate; its "translation" is a transliteration),
which measures tarjama's own cost; ``--url`` and ``--model`` name a real one.

    python benchmarks/bench_stream.py [--paragraphs 24] [--word-ms 20] [--rounds 3]
    python benchmarks/bench_stream.py --url http://127.0.0.1:8000/v1 --model ID
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from tarjama.engines.openai import Endpoint, OpenAIEngine
from tarjama.pipeline import Translator
from tarjama.pipeline.guard import GuardedEngine
from tarjama.pipeline.stream import Draft, Event

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.llm_stub import serve_stub  # noqa: E402

SENTENCES = [
    "قال الرئيس إن الخطة جاهزة للتنفيذ.",
    "وأضاف أن الميناء سيفتح أبوابه غدا أمام السفن التجارية.",
    "وأكد الوزير أن العمل سيبدأ قريبا في المدن الثلاث.",
    "وقال المتحدث إن الاتفاق نهائي ولا رجعة فيه.",
]


def article(paragraphs: int) -> str:
    """Distinct sentences (the pipeline translates a repeated one once)."""
    return "\n\n".join(
        f"{SENTENCES[k % 4]} {SENTENCES[(k + 1) % 4][:-1]} {k + 1}." for k in range(paragraphs)
    )


def plain(translator: Translator, text: str) -> tuple[dict[str, float], Any]:
    start = time.perf_counter()
    doc = translator.translate_document(text)
    return {"total": time.perf_counter() - start}, doc.to_json()


def streamed(translator: Translator, text: str) -> tuple[dict[str, float], Any]:
    start = time.perf_counter()
    seen: dict[str, float] = {}

    def on_event(event: Event) -> None:
        kind = "draft" if isinstance(event, Draft) else "segment"
        seen.setdefault(kind, time.perf_counter() - start)

    doc = translator.stream_document(text, on_event)
    seen["total"] = time.perf_counter() - start
    return seen, doc.to_json()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an OpenAI-compatible server (default: the stub)")
    parser.add_argument("--model", default="stub-model")
    parser.add_argument("--paragraphs", type=int, default=24)
    parser.add_argument("--word-ms", type=float, default=20.0, help="the stub's rate")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    stub = serve_stub()
    url = args.url
    if url is None:
        server = next(stub)
        server.word_delay = args.word_ms / 1000
        url = server.url
    endpoint = Endpoint(url, args.model, concurrency=args.concurrency)
    translator = Translator(GuardedEngine(OpenAIEngine("bench", endpoint)))
    text = article(args.paragraphs)
    runs: dict[str, list[dict[str, float]]] = {"plain": [], "stream": []}
    for k in range(args.rounds):
        order = [("plain", plain), ("stream", streamed)]
        for name, way in order if k % 2 == 0 else order[::-1]:
            figures, body = way(translator, text)
            runs[name].append(figures)
            runs.setdefault(f"body-{name}", []).append(body)
    same = all(a == b for a, b in zip(runs["body-plain"], runs["body-stream"], strict=True))
    print(f"{args.paragraphs} paragraphs, {2 * args.paragraphs} sentences, "
          f"concurrency {args.concurrency}, {args.rounds} rounds (medians, seconds); "
          f"results equal: {same}")  # fmt: skip
    for name in ("plain", "stream"):
        figures = {key: statistics.median(r[key] for r in runs[name]) for key in runs[name][0]}
        print(f"  {name:6} " + "  ".join(f"{key} {value:.3f}" for key, value in figures.items()))
    for _ in stub:  # stops the stub's server, if it was started
        pass


if __name__ == "__main__":
    main()

"""Throughput of document translation (HTML, DOCX) against plain text, same sentences.

The sample article's paragraphs are translated three ways in one run: as plain text
(``translate_document``), as an HTML page and as a DOCX file (``translate_file``), both
with inline tags inside some sentences (a bold name, a link), so that those sentences ask
the engine for a word alignment as a newsroom's documents do. Contenders alternate round
after round (reversed every other round) and medians are compared.

    python benchmarks/bench_formats.py [--rounds 3] [--model bench|tiny] [--paragraphs N]

``bench`` is the random-weight model with OPUS-MT ar-en's architecture
(scripts/build_bench_model.py), beam 4, int8; ``tiny`` the test model, for a quick look.
A random model never writes ``</s>``, so every sentence of a batch decodes to the batch's
length limit: the sentences that ask for an alignment, batched apart, then decode fewer
tokens than in the plain run. ``--per-sentence`` gives every path one batch per sentence,
so that both decode exactly the same tokens and only the format layer (and the attention)
differs.
Required: each document format >= 0.9x the plain text's throughput. The best run and CPU
time are printed beside the medians: on a machine shared with other work, the median wall
time swings with the neighbours' load, the best run much less.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import docx
from lxml import etree
from lxml.html import builder as E

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from build_bench_model import FLORES, REPO, build

from tarjama import Translator
from tarjama.engines import ct2
from tarjama.engines.ct2 import available_cores
from tarjama.testing import build_marian_model

ARTICLE = (
    Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
    / "samples"
    / "port-expansion.ar.txt"
)


def tagged(paragraphs: list[str]) -> list[list[tuple[str, str | None]]]:
    """Each paragraph as pieces; every other one has its third word in bold or as a link,
    inside its first sentence."""
    out = []
    for k, text in enumerate(paragraphs):
        words = text.split(" ")
        if k % 2 == 1 or len(words) < 5:
            out.append([(text, None)])
            continue
        code = "b" if k % 4 == 0 else "a"
        head, word, tail = " ".join(words[:2]) + " ", words[2], " " + " ".join(words[3:])
        out.append([(head, None), (word, code), (tail, None)])
    return out


def html_page(pieces: list[list[tuple[str, str | None]]]) -> bytes:
    body = E.BODY()
    for paragraph in pieces:
        p = E.P()
        for text, code in paragraph:
            if code is None:
                if len(p):
                    p[-1].tail = text
                else:
                    p.text = text
            else:
                p.append(E.B(text) if code == "b" else E.A(text, href="https://example.org/"))
        body.append(p)
    page = E.HTML(E.HEAD(E.META(charset="utf-8")), body, lang="ar", dir="rtl")
    return etree.tostring(page, method="html", encoding="utf-8", doctype="<!DOCTYPE html>")


def docx_file(pieces: list[list[tuple[str, str | None]]]) -> bytes:
    document = docx.Document()
    for paragraph in pieces:
        p = document.add_paragraph()
        for text, code in paragraph:
            p.add_run(text).bold = code is not None or None
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _timed(fn: Callable[[], object], wall: list[float], cpu: list[float]) -> None:
    start, used = time.perf_counter(), time.process_time()
    fn()
    wall.append(time.perf_counter() - start)
    cpu.append(time.process_time() - used)


def _model(kind: str) -> Path:
    if kind == "bench":
        return build()
    out = Path(tempfile.mkdtemp(prefix="tarjama-bench-")) / "tiny"
    ar = (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
    en = (FLORES / "flores-dev.en").read_text(encoding="utf-8").splitlines()
    return build_marian_model(out, ar, en)


def main() -> int:
    parser = argparse.ArgumentParser(description="document vs plain text throughput")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--model", choices=("bench", "tiny"), default="bench")
    parser.add_argument("--paragraphs", type=int, default=0, help="use the first N (0: all)")
    parser.add_argument(
        "--per-sentence",
        action="store_true",
        help="decode each sentence in its own batch, so that every path decodes the same tokens",
    )
    args = parser.parse_args()
    if args.per_sentence:
        ct2.MAX_BATCH_TOKENS = 1

    paragraphs = [p for p in ARTICLE.read_text(encoding="utf-8").splitlines() if p.strip()]
    if args.paragraphs:
        paragraphs = paragraphs[: args.paragraphs]
    pieces = tagged(paragraphs)
    text = "\n".join(paragraphs) + "\n"
    page, word = html_page(pieces), docx_file(pieces)
    translator = Translator.load(_model(args.model), device="cpu", beam_size=4)

    plain = translator.translate_document(text)
    as_html = translator.translate_file(page, "html").document
    sentences = [s.source for s in plain.segments]
    assert [s.source for s in as_html.segments] == sentences, "the same sentences"
    aligned = sum(1 for s in as_html.segments if s.alignment is not None)

    contenders: dict[str, Callable[[], object]] = {
        "text": lambda: translator.translate_document(text),
        "html": lambda: translator.translate_file(page, "html"),
        "docx": lambda: translator.translate_file(word, "docx"),
    }
    for fn in contenders.values():  # warm-up
        fn()
    wall: dict[str, list[float]] = {name: [] for name in contenders}
    cpu: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for r in range(args.rounds):
        for name in names if r % 2 == 0 else reversed(names):
            _timed(contenders[name], wall[name], cpu[name])
    med = {name: statistics.median(t) for name, t in wall.items()}
    best = {name: min(t) for name, t in wall.items()}
    med_cpu = {name: statistics.median(t) for name, t in cpu.items()}
    n = len(sentences)
    batches = "one batch a sentence" if args.per_sentence else "batched by tokens"
    print(
        f"model: {args.model}, beam 4, int8, {available_cores()} threads, {args.rounds} rounds, "
        f"{batches}"
    )
    print(f"{n} sentences in {len(paragraphs)} paragraphs, {aligned} with an inline tag inside")
    for name, m in med.items():
        print(
            f"  {name:5s} median {m:.3f} s  ({n / m:.2f} sentences/s), "
            f"best {best[name]:.3f} s, CPU {med_cpu[name]:.3f} s"
        )
    for name in ("html", "docx"):
        print(
            f"{name} / plain text throughput: {med['text'] / med[name]:.3f}x (required >= 0.9); "
            f"best runs {best['text'] / best[name]:.3f}x, "
            f"CPU time {med_cpu['text'] / med_cpu[name]:.3f}x"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Throughput of the text layer (issue B): MB/s on FLORES and on hostile worst cases.

split_sentences, clean and render run on FLORES test (lines joined 5 per paragraph, as
news paragraphs) and on inputs built to hurt a splitter: 1 MB with no punctuation, 100k
consecutive dots, 1 MB of ". " (a candidate boundary every other character), a 1 MB word
of "a." (dots with no space), 1 MB of abbreviations ("د. " / "Dr. "), 1 MB of emoji. Each
figure is the best of several rounds. A linear implementation shows worst-case MB/s of
the same order as FLORES; a quadratic one collapses (or never returns).

    .venv/bin/python benchmarks/bench_segment.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from pathlib import Path

from tarjama.text import clean, render, split_sentences

FLORES = (
    Path(os.environ.get("TARJAMA_TEST_DATA", Path(__file__).resolve().parents[1] / ".." / "shared"))
    / "data"
    / "mozilla-eval"
    / "ar-en"
)
MB = 1_000_000


def _flores(lang: str) -> str:
    lines = (FLORES / f"flores-test.{lang}").read_text(encoding="utf-8").splitlines()
    return "\n".join(" ".join(lines[i : i + 5]) for i in range(0, len(lines), 5))


def _best(fn: Callable[[], object], rounds: int) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    inputs = {
        "FLORES test ar": ("ar", _flores("ar")),
        "FLORES test en": ("en", _flores("en")),
        "1 MB no punctuation ar": ("ar", ("كلمة " * (MB // 5))),
        "1 MB no punctuation en": ("en", ("word " * (MB // 5))),
        "100k dots": ("en", "Start" + "." * 100_000 + " End."),
        '1 MB of ". "': ("en", ". " * (MB // 2)),
        '1 MB word of "a."': ("ar", "a." * (MB // 2)),
        '1 MB of "د. "': ("ar", "د. " * (MB // 3)),
        '1 MB of "Dr. "': ("en", "Dr. " * (MB // 4)),
        "1 MB of emoji": ("en", "😀🎉 " * (MB // 3)),
    }
    print(f"{'input':28} {'size':>8} {'split MB/s':>11} {'clean MB/s':>11} {'render MB/s':>12}")
    for name, (lang, text) in inputs.items():
        size = len(text.encode("utf-8", "surrogatepass")) / MB
        split_s = _best(lambda: split_sentences(text, lang), args.rounds)  # noqa: B023
        clean_s = _best(lambda: clean(text, lang), args.rounds)  # noqa: B023
        render_s = _best(lambda: render(text, lang), args.rounds)  # noqa: B023
        print(
            f"{name:28} {size:7.2f}M {size / split_s:11.1f} {size / clean_s:11.1f}"
            f" {size / render_s:12.1f}"
        )


if __name__ == "__main__":
    main()

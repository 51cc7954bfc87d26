"""Measured accuracy of the sentence splitter (issue B), with every miss listed.

1. The sample article's gold split (../shared/samples/port-expansion.sentences.json),
   Arabic and English: must be reproduced exactly.
2. FLORES test (../shared/data/mozilla-eval/ar-en/flores-test.ar): every 5 lines are joined
   with a space into one paragraph.
   - recall: share of the line boundaries inside a paragraph that the splitter finds
     (target >= 0.99);
   - kept whole: where the aligned English line is one sentence per the English splitter,
     share of Arabic lines left unsplit (target >= 0.99).

    .venv/bin/python scripts/segment_accuracy.py [--split test|dev] [--group 5]

Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from tarjama.text.accuracy import Miss, flores_figures, gold_mismatches

SHARED = Path(
    os.environ.get("TARJAMA_TEST_DATA", Path(__file__).resolve().parents[1] / ".." / "shared")
)
SAMPLES = SHARED / "samples"
FLORES = SHARED / "data" / "mozilla-eval" / "ar-en"
TARGET = 0.99


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def _show(title: str, misses: list[Miss]) -> None:
    print(f"\n{title} ({len(misses)})")
    for miss in misses:
        print(f"  line {miss.line + 1}: {miss.text}")
        for sentence in miss.sentences:
            print(f"      | {sentence}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    parser.add_argument("--group", type=int, default=5, help="lines per paragraph (default 5)")
    args = parser.parse_args()
    ok = True

    gold = json.loads((SAMPLES / "port-expansion.sentences.json").read_text(encoding="utf-8"))
    for lang in ("ar", "en"):
        paragraphs = _lines(SAMPLES / f"port-expansion.{lang}.txt")
        mismatches = gold_mismatches(paragraphs, gold[lang], lang)
        total = sum(len(p) for p in gold[lang])
        verdict = "exact" if not mismatches else f"{len(mismatches)} paragraph(s) differ"
        print(f"gold sample [{lang}]: {len(paragraphs)} paragraphs, {total} sentences: {verdict}")
        for m in mismatches:
            print(f"  paragraph {m.paragraph + 1}\n    expected {m.expected}\n    got      {m.got}")
        ok &= not mismatches

    ar = _lines(FLORES / f"flores-{args.split}.ar")
    en = _lines(FLORES / f"flores-{args.split}.en")
    figures = flores_figures(ar, en, "ar", "en", group=args.group)
    print(
        f"\nFLORES {args.split}, {len(ar)} lines in paragraphs of {args.group}:\n"
        f"  boundary recall   {figures.recall:.4f}  "
        f"({figures.found}/{figures.boundaries}, target >= {TARGET})\n"
        f"  single kept whole {figures.kept_whole_ratio:.4f}  "
        f"({figures.kept_whole}/{figures.single_lines} lines whose English is one sentence,"
        f" target >= {TARGET})"
    )
    _show("missed boundaries: the line's end was not found", figures.missed_boundaries)
    _show("split lines: one English sentence, but the Arabic was split", figures.split_lines)
    ok &= figures.recall >= TARGET and figures.kept_whole_ratio >= TARGET
    print("\nall targets met" if ok else "\nTARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

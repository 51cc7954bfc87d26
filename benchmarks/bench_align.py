"""Sentence-alignment benchmark on FLORES: length only, + anchors, + a learned lexicon.

FLORES dev+test lines are parallel sentences. Every 5 lines make a paragraph. On the
English side, random pairs of consecutive sentences are merged into one unit and 2% of
the sentences are dropped (fixed seed), so the truth has 1-1, 2-1 and 1-0 links. Each
line is one sentence unit (no re-splitting), so the figure measures the aligner alone.
F1 is over links, null links included: a link counts only if both its sides are exact.

The third column learns a bilingual lexicon from the confident 1-1 links of the anchors'
pass over the whole corpus (the archive teaching itself, as an import does) and aligns
again with it. Several seeds (``--seed 1,2,3``) print one row each.

    .venv/bin/python benchmarks/bench_align.py [--merge 0.1] [--drop 0.02] [--seed 13]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

from tarjama.archive import Aligner, Lexicon, Transliterate
from tarjama.archive.lexicon import CONFIDENT
from tarjama.archive.types import Link

SHARED = Path(
    os.environ.get("TARJAMA_TEST_DATA", Path(__file__).resolve().parents[1] / ".." / "shared")
)
FLORES = SHARED / "data" / "mozilla-eval" / "ar-en"
TRANSLIT_MODEL = SHARED / "models" / "aren-transliteration"

LinkKey = tuple[tuple[int, ...], tuple[int, ...]]


def load() -> tuple[list[str], list[str]]:
    ar: list[str] = []
    en: list[str] = []
    for split in ("dev", "test"):
        ar += (FLORES / f"flores-{split}.ar").read_text(encoding="utf-8").splitlines()
        en += (FLORES / f"flores-{split}.en").read_text(encoding="utf-8").splitlines()
    assert len(ar) == len(en)
    return ar, en


def perturb(
    ar: list[str], en: list[str], rng: random.Random, merge: float, drop: float, size: int
) -> list[tuple[list[str], list[str], set[LinkKey]]]:
    """Paragraphs of (Arabic units, perturbed English units, true links)."""
    dropped = set(rng.sample(range(len(en)), round(drop * len(en))))
    cases = []
    for start in range(0, len(ar), size):
        idx = list(range(start, min(start + size, len(ar))))
        src = [ar[i] for i in idx]
        tgt: list[str] = []
        truth: set[LinkKey] = set()
        k = 0
        while k < len(idx):
            if idx[k] in dropped:
                truth.add(((k,), ()))
                k += 1
                continue
            pair_ok = k + 1 < len(idx) and idx[k + 1] not in dropped
            if pair_ok and rng.random() < merge:
                truth.add(((k, k + 1), (len(tgt),)))
                tgt.append(en[idx[k]] + " " + en[idx[k + 1]])
                k += 2
            else:
                truth.add(((k,), (len(tgt),)))
                tgt.append(en[idx[k]])
                k += 1
        cases.append((src, tgt, truth))
    return cases


Cases = list[tuple[list[str], list[str], set[LinkKey]]]


def align_all(aligner: Aligner, cases: Cases) -> list[list[Link]]:
    ar_len = sum(len(s.replace(" ", "")) for c in cases for s in c[0])
    en_len = sum(len(s.replace(" ", "")) for c in cases for s in c[1])
    ratio = en_len / ar_len
    return [aligner.align_sentences(src, tgt, ratio=ratio) for src, tgt, _ in cases]


def f1(found: list[list[Link]], cases: Cases) -> float:
    hits = predicted = gold = 0
    for links, (_, _, truth) in zip(found, cases, strict=True):
        keys = {(lk.source, lk.target) for lk in links}
        hits += len(keys & truth)
        predicted += len(keys)
        gold += len(truth)
    precision, recall = hits / predicted, hits / gold
    return 2 * precision * recall / (precision + recall)


def learned_lexicon(found: list[list[Link]], cases: Cases) -> Lexicon:
    """What an import learns: the confident 1-1 links of the first pass."""
    lexicon = Lexicon()
    lexicon.learn(
        (src[lk.source[0]], tgt[lk.target[0]])
        for links, (src, tgt, _) in zip(found, cases, strict=True)
        for lk in links
        if lk.kind == "1-1" and not lk.flagged and lk.score >= CONFIDENT
    )
    return lexicon


def load_transliterator() -> Transliterate | None:
    try:
        from tarjama.engines.characters import Transliterator
    except ImportError:
        return None
    if not TRANSLIT_MODEL.is_dir():
        return None
    return Transliterator.load(TRANSLIT_MODEL).transliterate  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--merge", type=float, default=0.1, help="chance to merge a pair")
    parser.add_argument("--drop", type=float, default=0.02, help="share of dropped sentences")
    parser.add_argument("--seed", default="13", help="seed, or seeds separated by commas")
    parser.add_argument("--size", type=int, default=5, help="sentences per paragraph")
    parser.add_argument("--no-names", action="store_true", help="skip name transliteration")
    args = parser.parse_args()

    ar, en = load()
    transliterate = None if args.no_names else load_transliterator()
    names = "with names" if transliterate else "no name transliterator"
    print(f"merge {args.merge}, drop {args.drop}, {args.size} sentences per paragraph, {names}")
    print(f"{'seed':>6} {'links':>6} {'length only':>12} {'anchors':>8} {'+ lexicon':>10}  time")
    worst = 1.0
    for seed in (int(x) for x in args.seed.split(",")):
        cases = perturb(ar, en, random.Random(seed), args.merge, args.drop, args.size)
        links = sum(len(c[2]) for c in cases)
        t0 = time.perf_counter()
        length_only = f1(align_all(Aligner(use_anchors=False), cases), cases)
        anchors = Aligner(transliterate=transliterate)
        first = align_all(anchors, cases)
        anchored = f1(first, cases)
        lexicon = learned_lexicon(first, cases)
        learned = f1(align_all(anchors.with_lexicon(lexicon), cases), cases)
        worst = min(worst, learned)
        print(
            f"{seed:>6} {links:>6} {length_only:>12.4f} {anchored:>8.4f} {learned:>10.4f}"
            f"  {time.perf_counter() - t0:.0f}s ({lexicon.links} links taught "
            f"{len(lexicon)} words)",
            flush=True,
        )
    return 0 if worst >= 0.985 else 1


if __name__ == "__main__":
    sys.exit(main())

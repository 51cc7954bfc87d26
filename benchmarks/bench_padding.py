"""What one long sentence costs a batch of short ones: a trained model against the random one.

A trained model stops each sentence at its end token, and CTranslate2 drops finished
sentences from the batch, so a long sentence among short ones costs little more than its
own steps. The random-weight model of the benchmarks never emits its end token: every
sentence of a batch decodes to the step limit set by the batch's longest, so a long sentence
makes the whole batch cost as if all were long. bench_batch.py's figures against the bare
engine (which sorts the whole corpus at once, where a batch job sorts one pool at a time)
carry that cost; this script shows where it comes from, side by side in one run.

    python benchmarks/bench_padding.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import ctranslate2
import sentencepiece as spm

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from build_bench_model import FLORES, build

from tarjama.engines.ct2 import decoding_limit

TRANSLIT_MODEL = FLORES.parents[2] / "models" / "aren-transliteration"
SHORT, LONG = "موسكو", "زيلينسكي" * 6
SHORT_SENTENCE = "قال الوزير"
LONG_SENTENCE = (
    "قال الوزير إن الحكومة ستعلن غدا عن خطة جديدة لدعم المزارعين في المناطق الريفية "
    "المتضررة من الجفاف"
)


def median_ms(translator: ctranslate2.Translator, batch: list[list[str]], rounds: int) -> float:
    limit = decoding_limit(max(len(x) for x in batch))
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        translator.translate_batch(batch, beam_size=1, max_decoding_length=limit)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def compare(name: str, translator: ctranslate2.Translator, short: list[str], long: list[str],
            rows: int, rounds: int) -> None:  # fmt: skip
    cases = {
        "all short": [short] * rows,
        "short + one long": [short] * (rows - 1) + [long],
        "all long": [long] * rows,
    }
    ms = {case: median_ms(translator, batch, rounds) for case, batch in cases.items()}
    print(f"{name}, {rows} rows:")
    for case, t in ms.items():
        print(f"  {case:17s} {t:8.1f} ms")
    share = (ms["short + one long"] - ms["all short"]) / (ms["all long"] - ms["all short"])
    print(f"  one long sentence costs {share:.0%} of the way from all short to all long")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    trained = ctranslate2.Translator(str(TRANSLIT_MODEL), compute_type="float32")
    compare("trained (aren-transliteration, characters)", trained, list(SHORT), list(LONG),
            64, args.rounds)  # fmt: skip
    model = build()
    sp = spm.SentencePieceProcessor(model_file=str(model / "source.spm"))
    pieces = [[*sp.encode(s, out_type=str), "</s>"] for s in (SHORT_SENTENCE, LONG_SENTENCE)]
    random_model = ctranslate2.Translator(str(model), compute_type="int8")
    compare("random weights (OPUS-MT ar-en architecture)", random_model, *pieces, 16,
            max(1, args.rounds // 5))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Throughput of translate_document against a bare CTranslate2 call (and HF generate).

Runs on the random-weight OPUS-MT-architecture model (scripts/build_bench_model.py) and
the sample article's sentences at beam 4, int8 on CPU. Each contender runs in turn, round
after round (in reversed order every other round), and the medians are compared, so that
machine noise hits all of them alike.

    python benchmarks/bench_engine.py [--rounds 5]

Targets: translate_document >= 0.95x the bare call; >= 3x HF transformers generate (fp32)
where torch and transformers are installed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import ctranslate2
import sentencepiece as spm

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
from build_bench_model import REPO, build

from tarjama import Translator
from tarjama.engines.ct2 import available_cores, decoding_limit
from tarjama.testing import OPUS_MT

ARTICLE = (
    Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
    / "samples"
    / "port-expansion.ar.txt"
)


def _timed(fn: Callable[[], object], times: list[float]) -> None:
    start = time.perf_counter()
    fn()
    times.append(time.perf_counter() - start)


def main() -> int:
    parser = argparse.ArgumentParser(description="engine throughput ratios")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    model_dir = build()
    text = ARTICLE.read_text(encoding="utf-8")
    translator = Translator.load(model_dir, device="cpu", beam_size=4)
    sentences = [s.normalized for s in translator.segment(text).segments]
    sp = spm.SentencePieceProcessor(model_file=str(model_dir / "source.spm"))
    tokens = [[*sp.encode(s, out_type=str), "</s>"] for s in sentences]
    bare = ctranslate2.Translator(
        str(model_dir), device="cpu", compute_type="int8", intra_threads=available_cores()
    )
    limit = decoding_limit(max(len(t) for t in tokens))

    def run_bare() -> object:
        return bare.translate_batch(
            tokens,
            beam_size=4,
            return_scores=True,
            max_input_length=0,
            max_decoding_length=limit,
        )

    def run_ours() -> object:
        return translator.translate_document(text)

    contenders: dict[str, Callable[[], object]] = {"bare": run_bare, "tarjama": run_ours}
    hf = _hf_contender(sentences, limit)
    if hf is None:
        print(
            "HF transformers: skipped (torch/transformers not installed; pip install '.[convert]')"
        )
    else:
        contenders["hf"] = hf

    for fn in contenders.values():  # warm-up: first calls allocate caches
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    names = list(contenders)
    for r in range(args.rounds):
        # Alternate the order every round so that no contender always runs first.
        for name in names if r % 2 == 0 else reversed(names):
            _timed(contenders[name], times[name])

    med = {name: statistics.median(t) for name, t in times.items()}
    n = len(sentences)
    print(f"model: random weights, OPUS-MT ar-en architecture {OPUS_MT}")
    print(f"{n} sentences, beam 4, int8, {available_cores()} threads, {args.rounds} rounds")
    for name, m in med.items():
        print(f"  {name:8s} median {m:.3f} s  ({n / m:.2f} sentences/s)")
    ratio = med["bare"] / med["tarjama"]
    print(f"translate_document / bare translate_batch throughput: {ratio:.3f}x (target >= 0.95)")
    if "hf" in med:
        print(
            f"translate_document / HF generate fp32 throughput: {med['hf'] / med['tarjama']:.2f}x "
            "(target >= 3)"
        )
    return 0


def _hf_contender(sentences: list[str], limit: int) -> Callable[[], object] | None:
    """HF MarianMT with the same architecture, random fp32 weights, same lengths."""
    try:
        import torch
        from transformers import MarianConfig, MarianMTModel
    except ImportError:
        return None
    torch.set_num_threads(available_cores())
    torch.manual_seed(0)
    vocab = OPUS_MT.vocab_size or 62_000
    config = MarianConfig(
        vocab_size=vocab,
        d_model=OPUS_MT.d_model,
        encoder_layers=OPUS_MT.encoder_layers,
        decoder_layers=OPUS_MT.decoder_layers,
        encoder_attention_heads=OPUS_MT.heads,
        decoder_attention_heads=OPUS_MT.heads,
        encoder_ffn_dim=OPUS_MT.ffn,
        decoder_ffn_dim=OPUS_MT.ffn,
        activation_function="swish",
        pad_token_id=vocab - 1,
        decoder_start_token_id=vocab - 1,
        eos_token_id=0,
        max_position_embeddings=512,
    )
    model = MarianMTModel(config).eval()
    sp = spm.SentencePieceProcessor(model_file=str(build() / "source.spm"))
    ids = [[*sp.encode(s), 0] for s in sentences]
    width = max(len(i) for i in ids)
    input_ids = torch.tensor([i + [vocab - 1] * (width - len(i)) for i in ids])
    mask = (input_ids != vocab - 1).long()

    def run() -> object:
        with torch.inference_mode():
            # Same output length as the CTranslate2 runs (their random model never stops early).
            return model.generate(
                input_ids=input_ids,
                attention_mask=mask,
                num_beams=4,
                max_new_tokens=limit,
                min_new_tokens=limit,
            )

    return run


if __name__ == "__main__":
    sys.exit(main())

"""The generator engine against bare CTranslate2 and against transformers, on the same prompts.

A random decoder-only model about OPUS-MT's size (Llama layout: 6 layers, width 512, 8 heads,
feed-forward 2048, a BPE vocabulary trained on FLORES or the test articles) is built with
transformers and converted with tarjama's conversion (int8, as `pull` converts). Then, for
the same sentences, one request each:

- **tarjama**: ``GeneratorEngine.translate_batch`` end to end (the prompt rendered with the
  chat template, its static opening cached, tokens, decoding, lines mapped back);
- **bare generate_batch**: ``ctranslate2.Generator.generate_batch`` on the very token lists
  tarjama builds (the whole prompt each time, no static prompt), greedy, the same caps and
  end tokens;
- **transformers**: ``model.generate`` on the same token ids (float32, greedy, batched with
  left padding, the same caps and end tokens).

Greedy decoding with the same caps and end tokens does the same work in each, so the rows
compare seconds. Targets (issue N): tarjama >= 0.95x bare, >= 3x transformers. Random
weights measure speed, never quality.

    .venv/bin/python benchmarks/bench_generator.py [--sentences 8] [--threads 2] [--repeat 1]
        [--transformers-sentences 2]

transformers runs the first ``--transformers-sentences`` (it is slow on CPUs) and its time is
scaled to all of them (said "scaled"); 0 runs them all. About five minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("TARJAMA_TEST_DATA", REPO / ".." / "shared"))
FLORES = SHARED / "data" / "mozilla-eval" / "ar-en"
SIZE = {"layers": 6, "width": 512, "heads": 8, "ffn": 2048}


def sentences() -> tuple[list[str], list[str]]:
    """Arabic sentences to translate, and the text to train the tokenizer on."""
    if (FLORES / "flores-dev.ar").is_file():
        ar = (FLORES / "flores-dev.ar").read_text(encoding="utf-8").splitlines()
        en = (FLORES / "flores-dev.en").read_text(encoding="utf-8").splitlines()
        return ar, ar + en
    lines = [
        line
        for path in sorted((REPO / "tests" / "data" / "articles").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [line for line in lines if not line.isascii()], lines


def build(out: Path, corpus: list[str]) -> Path:
    """A random Llama checkpoint in the hub's layout, converted to int8 by tarjama."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    from tarjama.store.convert import ct2_convert
    from tarjama.testing import CHATML_TEMPLATE, train_bpe_tokenizer

    checkpoint = out / "checkpoint"
    checkpoint.mkdir(parents=True)
    path = train_bpe_tokenizer(corpus, checkpoint, 16_000)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_file=str(path), eos_token="<|im_end|>", pad_token="<|endoftext|>"
    )
    tokenizer.chat_template = CHATML_TEMPLATE
    tokenizer.save_pretrained(checkpoint)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=SIZE["width"],
        intermediate_size=SIZE["ffn"],
        num_hidden_layers=SIZE["layers"],
        num_attention_heads=SIZE["heads"],
        max_position_embeddings=2048,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        initializer_range=0.5,  # wide: a narrow random model repeats one token
        tie_word_embeddings=False,
    )
    torch.manual_seed(3)
    LlamaForCausalLM(config).save_pretrained(checkpoint)
    ct2_convert(checkpoint, out / "model", [])
    return out


def timed(run: Callable[[], T], repeat: int) -> tuple[float, T]:
    """The best of ``repeat`` runs' seconds, and the last run's result."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; the best counts")
    parser.add_argument("--transformers-sentences", type=int, default=2,
                        help="how many of them transformers runs (default: all)")  # fmt: skip
    args = parser.parse_args()

    import ctranslate2
    import torch

    from tarjama.engines import Hints
    from tarjama.engines.generator import GeneratorEngine
    from tarjama.engines.llm import answer_cap
    from tarjama.store.llm import GeneratorSettings

    torch.set_num_threads(args.threads)
    texts, corpus = sentences()
    texts = texts[: args.sentences]
    with tempfile.TemporaryDirectory() as tmp:
        print(f"building a random Llama ({SIZE}) and converting it (int8)...", file=sys.stderr)
        root = build(Path(tmp), corpus)
        model_dir = root / "model"
        settings = GeneratorSettings(lines=1, before=0)  # one request a sentence
        engine = GeneratorEngine(
            model_dir, name="bench", device="cpu", threads=args.threads, settings=settings
        )
        prompts = [engine.prompt([t], "ar", "en") for t in texts]
        whole = [[*(s or []), *rest] for s, rest in prompts]
        caps = [answer_cap(engine.chat.count([t])) for t in texts]
        bare = ctranslate2.Generator(
            str(model_dir), device="cpu", compute_type="int8", intra_threads=args.threads
        )

        decoded: list[int] = []
        call = engine._call

        def counted(prompts: list[list[str]], **options: object) -> list[list[int]]:
            decoded.append(len(prompts))
            return call(prompts, **options)

        engine._call = counted  # type: ignore[method-assign]

        def run_tarjama() -> list[str]:
            decoded.clear()
            return [h.text for h in engine.translate_batch(texts, "ar", "en")]

        def run_bare() -> list[list[int]]:
            results = bare.generate_batch(
                whole, max_length=max(caps), sampling_topk=1, beam_size=1,
                end_token=engine.end_tokens, include_prompt_in_result=False,
                max_batch_size=32,
            )  # fmt: skip
            return [r.sequences_ids[0][:cap] for r, cap in zip(results, caps, strict=True)]

        def run_uncached() -> list[str]:
            """tarjama with no static prompt: the whole prompt forwarded each time."""
            saved = engine.static_text
            engine.static_text = lambda source, target: ("", [])  # type: ignore[method-assign]
            try:
                return run_tarjama()
            finally:
                engine.static_text = saved  # type: ignore[method-assign]

        t_ours, _ = timed(run_tarjama, args.repeat)
        asked = sum(decoded)  # prompts tarjama decoded: more than one a sentence is a retry
        t_uncached, _ = timed(run_uncached, args.repeat)
        t_bare, bare_ids = timed(run_bare, args.repeat)
        # The prompt's size with the memory's examples and the glossary's terms (3 and 2).
        hint = Hints(
            examples=tuple(
                (t, f"The translation of sentence {k}.") for k, t in enumerate(texts[1:4])
            ),
            terms=(("الرئيس", "President Aoun"), ("الميناء", "the port of Beirut")),
        )
        hinted = engine.prompt([texts[0]], "ar", "en", hints=[hint])
        sizes = (len(whole[0]), len(hinted[0] or []) + len(hinted[1]))
        generated = sum(len(ids) for ids in bare_ids)

        from transformers import AutoModelForCausalLM, AutoTokenizer

        tokenizer = AutoTokenizer.from_pretrained(root / "checkpoint", padding_side="left")
        hf = AutoModelForCausalLM.from_pretrained(root / "checkpoint").eval()
        n_hf = args.transformers_sentences or len(texts)
        ends = tokenizer.convert_tokens_to_ids(engine.end_tokens)

        def run_hf() -> None:
            ids = [tokenizer.convert_tokens_to_ids(w) for w in whole[:n_hf]]
            batch = tokenizer.pad({"input_ids": ids}, return_tensors="pt")
            with torch.no_grad():
                hf.generate(
                    **batch, max_new_tokens=max(caps[:n_hf]), do_sample=False,
                    eos_token_id=ends, pad_token_id=tokenizer.pad_token_id,
                )  # fmt: skip

        t_hf, _ = timed(run_hf, 1)
        t_hf_scaled = t_hf * len(texts) / n_hf
    static = len(prompts[0][0] or [])
    print(
        f"{len(texts)} sentences, one request each; prompts {min(map(len, whole))}-"
        f"{max(map(len, whole))} tokens (static opening {static}); {generated} tokens "
        f"generated; {args.threads} threads; tarjama decoded {asked} prompts"
    )
    print(
        f"the first sentence's prompt: {sizes[0]} tokens; with 3 memory examples and 2 "
        f"glossary terms: {sizes[1]} tokens"
    )
    print(f"{'runner':<40}{'seconds':>10}{'tokens/s':>10}{'tarjama is':>12}")
    rows = [
        ("tarjama generator (int8)", t_ours),
        ("tarjama, no static prompt cache", t_uncached),
        ("bare generate_batch (int8)", t_bare),
        (f"transformers generate (fp32{'' if n_hf == len(texts) else ', scaled'})", t_hf_scaled),
    ]
    for name, seconds in rows:
        print(f"{name:<40}{seconds:>10.2f}{generated / seconds:>10.1f}{seconds / t_ours:>11.2f}x")
    print("targets: tarjama >= 0.95x bare generate_batch, >= 3x transformers")
    return 0


if __name__ == "__main__":
    sys.exit(main())

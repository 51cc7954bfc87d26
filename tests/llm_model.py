"""A tiny random Llama checkpoint in the hub's layout, for a real OpenAI-compatible server
(vLLM) in the tests: ``python tests/llm_model.py OUT CORPUS ANSWERS`` (run by the python
that serves it; it needs torch, transformers and tokenizers, not tarjama).

- A byte-level BPE tokenizer trained on ``CORPUS`` (a JSON list of texts: the test articles
  and sample prompts), with a chat template whose generation prompt ends on ``<|assistant|>``;
  ``OUT/plain`` is the same model without a chat template (the completions fallback).
- A two-layer Llama with head dimension 64 (vLLM's CPU attention wants at least 64), its
  layers random (drawn small) and its embeddings and head chosen so that greedy decoding is
  a chain: after ``<|assistant|>`` it writes ``ANSWERS["chat"]``, after a completions
  prompt's last token ``ANSWERS["plain"]``, then ``<|end|>``. A random model's answer
  would never map back to numbered lines; this one's does, and it is known.
- ``OUT/expected.json``: transformers' own greedy answer to a chat and a completions prompt
  (the server's must be the same).
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

SPECIALS = ["<|begin|>", "<|end|>", "<|system|>", "<|user|>", "<|assistant|>"]
CHAT_TEMPLATE = (
    "{{ '<|begin|>' }}{% for m in messages %}"
    "{{ '<|' + m['role'] + '|>' }}"
    "{% if m['content'] is string %}{{ m['content'] }}"
    "{% else %}{% for c in m['content'] %}{{ c['text'] }}{% endfor %}{% endif %}"
    "{{ '<|end|>' }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|assistant|>' }}{% endif %}"
)


def build(out: Path, corpus: list[str], answers: dict[str, str], plain_tail: str) -> None:
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=1500,
        special_tokens=SPECIALS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(corpus + list(answers.values()), trainer)
    tok = PreTrainedTokenizerFast(
        tokenizer_object=bpe, bos_token="<|begin|>", eos_token="<|end|>", pad_token="<|end|>"
    )
    ids: dict[str, int] = {}
    for special in SPECIALS:
        found = bpe.token_to_id(special)
        assert found is not None, special
        ids[special] = found
    # The chain: each token of an answer leads to the next; the answer ends on <|end|>.
    follows: dict[int, int] = {}
    starts = {
        "chat": ids["<|assistant|>"],
        "plain": tok(plain_tail, add_special_tokens=False).input_ids[-1],
    }
    for kind, answer in answers.items():
        chain = [starts[kind], *tok(answer, add_special_tokens=False).input_ids, ids["<|end|>"]]
        for a, b in itertools.pairwise(chain):
            if follows.setdefault(a, b) != b:
                raise SystemExit(f"the answers' tokens do not form one chain at {a}")

    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(tok),
        hidden_size=128,
        intermediate_size=256,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        head_dim=64,
        max_position_embeddings=4096,
        bos_token_id=ids["<|begin|>"],
        eos_token_id=ids["<|end|>"],
        pad_token_id=ids["<|end|>"],
        tie_word_embeddings=False,
    )
    model = LlamaForCausalLM(config).eval()
    with torch.no_grad():
        embed = torch.randn(len(tok), config.hidden_size)
        model.model.embed_tokens.weight.copy_(embed)
        for layer in model.model.layers:  # random, drawn small: the embedding leads
            layer.self_attn.o_proj.weight.mul_(0.05)
            layer.mlp.down_proj.weight.mul_(0.05)
        head = torch.randn(len(tok), config.hidden_size) * 0.02
        unit = embed / embed.norm(dim=1, keepdim=True)
        for a, b in follows.items():
            head[b] += 10 * unit[a]
        model.lm_head.weight.copy_(head)
    model.generation_config.eos_token_id = ids["<|end|>"]
    model.generation_config.pad_token_id = ids["<|end|>"]
    model.generation_config.do_sample = False
    for where, template in ((out, CHAT_TEMPLATE), (out / "plain", None)):
        model.save_pretrained(where)
        tok.chat_template = template
        tok.save_pretrained(where)

    expected: dict[str, str] = {}
    chat = tok.apply_chat_template(
        [{"role": "user", "content": corpus[0]}],
        chat_template=CHAT_TEMPLATE,
        add_generation_prompt=True,
        tokenize=False,
    )
    for kind, prompt in (("chat", chat), ("plain", corpus[0] + plain_tail)):
        inputs = tok(prompt, return_tensors="pt", add_special_tokens=False)
        with torch.no_grad():
            done = model.generate(**inputs, max_new_tokens=40, do_sample=False)
        new = done[0, inputs.input_ids.shape[1] :]
        expected[kind] = str(tok.decode(new, skip_special_tokens=True))
        if expected[kind] != answers[kind]:
            raise SystemExit(f"the crafted {kind} chain gave {expected[kind]!r}")
    (out / "expected.json").write_text(json.dumps(expected), encoding="utf-8")


if __name__ == "__main__":
    out_dir, corpus_file, answers_file, tail = sys.argv[1:5]
    build(
        Path(out_dir),
        json.loads(Path(corpus_file).read_text(encoding="utf-8")),
        json.loads(Path(answers_file).read_text(encoding="utf-8")),
        tail,
    )

"""Random-weight CTranslate2 models in the OPUS-MT layout, for tests and benchmarks.

No torch and no download: SentencePiece models are trained on local text and the
Transformer weights are drawn from a seeded generator with ``ctranslate2.specs``. Random
weights test plumbing and speed, never quality. :func:`build_copy_model` crafts its weights
instead: a real engine whose output is its input, to follow text through decoding.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ctranslate2
import numpy as np
import sentencepiece as spm
from ctranslate2.specs import common_spec, transformer_spec


@dataclass(frozen=True)
class Architecture:
    encoder_layers: int
    decoder_layers: int
    d_model: int
    heads: int
    ffn: int
    vocab_size: int | None = None  # None: exactly the SentencePiece vocabulary


#: OPUS-MT ar-en (Helsinki-NLP/opus-mt-ar-en): 6+6 layers, 512, 8 heads, ffn 2048, ~62k vocab.
OPUS_MT = Architecture(6, 6, 512, 8, 2048, vocab_size=62_000)
#: Small enough to build in a second for tests.
TINY = Architecture(2, 2, 64, 4, 128)


def train_sentencepiece(
    lines: Iterable[str],
    prefix: Path,
    vocab_size: int,
    *,
    model_type: str = "unigram",
    normalization: str = "nmt_nfkc",
) -> Path:
    """Train a SentencePiece model (unigram, or ``bpe`` as NLLB's) on ``lines``; returns
    the .model path. ``normalization="identity"`` keeps every character as written (NFKC
    would write ``¾`` as ``3⁄4``)."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8", delete=False) as f:
        for line in lines:
            if line.strip():
                f.write(line.strip() + "\n")
        corpus = f.name
    try:
        spm.SentencePieceTrainer.train(
            input=corpus,
            model_prefix=str(prefix),
            vocab_size=vocab_size,
            model_type=model_type,
            character_coverage=1.0,
            normalization_rule_name=normalization,
            hard_vocab_limit=False,
            minloglevel=2,
        )
    finally:
        Path(corpus).unlink()
    return prefix.with_suffix(".model")


def _pieces(model: Path) -> list[str]:
    sp = spm.SentencePieceProcessor(model_file=str(model))
    return [sp.id_to_piece(i) for i in range(sp.get_piece_size())]


def _shape(name: str, arch: Architecture, src_vocab: int, tgt_vocab: int) -> tuple[int, ...]:
    d = arch.d_model
    if name.endswith("layer_norm/gamma") or name.endswith("layer_norm/beta"):
        return (d,)
    if name == "encoder/embeddings_0/weight":
        return (src_vocab, d)
    if name in ("decoder/embeddings/weight", "decoder/projection/weight"):
        return (tgt_vocab, d)
    if name == "decoder/projection/bias":
        return (tgt_vocab,)
    rows = {
        "self_attention/linear_0": 3 * d,
        "self_attention/linear_1": d,
        "attention/linear_0": d,
        "attention/linear_1": 2 * d,
        "attention/linear_2": d,
        "ffn/linear_0": arch.ffn,
        "ffn/linear_1": d,
    }
    for suffix, out in rows.items():
        cols = arch.ffn if suffix == "ffn/linear_1" else d
        if name.endswith(suffix + "/weight"):
            return (out, cols)
        if name.endswith(suffix + "/bias"):
            return (out,)
    raise ValueError(f"no shape rule for {name}")


def _resolve(spec: Any, path: str) -> tuple[Any, str]:
    """Walk a spec by a variable name such as ``encoder/layer_0/ffn/linear_1/weight``."""
    obj = spec
    *parents, attr = path.split("/")
    for part in parents:
        m = re.fullmatch(r"(.+)_(\d+)", part)
        if m and isinstance(getattr(obj, m.group(1), None), list):
            obj = getattr(obj, m.group(1))[int(m.group(2))]
        else:
            obj = getattr(obj, part)
    return obj, attr


def _fill(
    spec: Any, arch: Architecture, src_vocab: int, tgt_vocab: int, eos: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    names = [n for n, v in spec.variables().items() if v is None]
    # Marian checkpoints carry biases on every linear layer; give them the same cost.
    linears = {n.rsplit("/", 1)[0] for n in names if n.endswith("/weight") and "linear_" in n}
    names += [f"{n}/bias" for n in sorted(linears)] + ["decoder/projection/bias"]
    for name in names:
        shape = _shape(name, arch, src_vocab, tgt_vocab)
        if name.endswith("gamma"):
            value = np.ones(shape, dtype=np.float32)
        elif name.endswith("beta") or name.endswith("bias"):
            value = np.zeros(shape, dtype=np.float32)
        else:
            value = rng.normal(0.0, 0.02, size=shape).astype(np.float32)
        if name == "decoder/projection/bias":
            # Random weights would often stop at once; keep </s> unlikely so every
            # sentence produces output (decoding then ends at the 2n+10 limit).
            value[eos] = -1e4
        owner, attr = _resolve(spec, name)
        setattr(owner, attr, value)


def _build(
    out: Path,
    arch: Architecture,
    src_vocab: list[str],
    tgt_vocab: list[str],
    seed: int,
    quantization: str | None = None,
) -> None:
    spec = transformer_spec.TransformerSpec.from_config(
        (arch.encoder_layers, arch.decoder_layers),
        arch.heads,
        pre_norm=False,
        activation=common_spec.Activation.SWISH,
    )
    _fill(spec, arch, len(src_vocab), len(tgt_vocab), tgt_vocab.index("</s>"), seed)
    spec.register_source_vocabulary(src_vocab)
    spec.register_target_vocabulary(tgt_vocab)
    spec.validate()
    spec.optimize(quantization=quantization)
    spec.save(str(out))
    # Loading once proves the directory is a usable CTranslate2 model.
    ctranslate2.Translator(str(out), device="cpu")


def build_marian_model(
    output_dir: str | Path,
    source_lines: Iterable[str],
    target_lines: Iterable[str],
    *,
    arch: Architecture = TINY,
    spm_vocab: int = 1000,
    seed: int = 1234,
    quantization: str | None = None,
    language_tokens: Iterable[str] = (),
) -> Path:
    """Write a random-weight CTranslate2 model in the OPUS-MT layout to ``output_dir``.

    The directory holds model.bin, the vocabularies, source.spm and target.spm, exactly
    like an OPUS-MT checkpoint converted with ``ct2-transformers-converter``.
    ``language_tokens`` (``>>ara<<``) go into the source vocabulary, as in a multi-target
    model such as opus-mt-en-ar.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        src_model = train_sentencepiece(source_lines, Path(tmp) / "source", spm_vocab)
        tgt_model = train_sentencepiece(target_lines, Path(tmp) / "target", spm_vocab)
        shutil.copy(src_model, out / "source.spm")
        shutil.copy(tgt_model, out / "target.spm")
    src_vocab = _pieces(out / "source.spm") + list(language_tokens)
    tgt_vocab = _pieces(out / "target.spm")
    if arch.vocab_size:
        # Pad to the real model's size: embedding and output-layer cost grow with it.
        src_vocab += [f"<extra_{i}>" for i in range(arch.vocab_size - len(src_vocab))]
        tgt_vocab += [f"<extra_{i}>" for i in range(arch.vocab_size - len(tgt_vocab))]
    _build(out, arch, src_vocab, tgt_vocab, seed, quantization)
    return out


def build_nllb_model(
    output_dir: str | Path,
    lines: Iterable[str],
    *,
    arch: Architecture = TINY,
    spm_vocab: int = 1000,
    seed: int = 1234,
) -> Path:
    """A random-weight model in the NLLB layout: one SentencePiece model, language codes."""
    from .store.manifest import NLLB_CODES

    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        model = train_sentencepiece(lines, Path(tmp) / "nllb", spm_vocab)
        shutil.copy(model, out / "sentencepiece.bpe.model")
    vocab = _pieces(out / "sentencepiece.bpe.model") + sorted(NLLB_CODES.values())
    _build(out, arch, vocab, vocab, seed)
    return out


def build_character_model(
    output_dir: str | Path,
    source_lines: Iterable[str],
    target_lines: Iterable[str],
    *,
    arch: Architecture = TINY,
    seed: int = 1234,
) -> Path:
    """A random-weight model in the layout of a character model (one token per letter,
    vocabularies and no SentencePiece), such as the Arabic->Latin transliterator."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    specials = ["<blank>", "<s>", "</s>", "<unk>"]

    def letters(lines: Iterable[str]) -> list[str]:
        return specials + sorted({ch for line in lines for ch in line if not ch.isspace()})

    _build(out, arch, letters(source_lines), letters(target_lines), seed)
    return out


#: Positions a copy model can address: OPUS-MT's 512 source tokens and their copy.
_COPY_POSITIONS = 1024


def _copy_positions(rows: int, offset: int, d_model: int) -> np.ndarray:
    """Position codes on circles of period 2, 4, ..., ``rows``, in dims ``offset`` on.

    Each period takes four dims (cos, sin, -cos, -sin): every code then sums to zero and has
    the same norm, so a layer norm only rescales it. Two codes' dot product is
    ``2 * sum(cos(2 pi (t - s) / period))``: largest at equal positions and at least 4 lower
    anywhere else (some period sees the two positions half a turn apart).
    """
    t = np.arange(rows, dtype=np.float64)[:, None]
    periods = 2.0 ** np.arange(1, int(np.log2(rows)) + 1)
    angle = 2 * np.pi * t / periods
    codes = np.concatenate([np.cos(angle), np.sin(angle), -np.cos(angle), -np.sin(angle)], 1)
    out = np.zeros((rows, d_model), dtype=np.float32)
    out[:, offset : offset + codes.shape[1]] = codes
    return out


def build_copy_model(
    output_dir: str | Path,
    lines: Iterable[str],
    *,
    spm_vocab: int = 1000,
    replace: Mapping[str, str] | None = None,
    exact: bool = False,
) -> Path:
    """Write a CTranslate2 model in the OPUS-MT layout whose output copies its input.
    ``exact``: its pieces are not normalised (no NFKC), so every character of ``lines``
    comes back as it was.

    The weights are crafted, not trained: a real engine that reproduces its source token by
    token (then ``</s>``), so that tests can follow inline text such as a protected glossary
    term through real decoding. One encoder and one decoder layer, one head, pre-norm:

    - the model width is V + 4K: a one-hot token code in the first V dims and a position
      code (see :func:`_copy_positions`) in the last 4K; embeddings are not scaled;
    - self-attention and feed-forward blocks are zero, so they add nothing to the residual;
    - the decoder's embeddings are zero: at step t its state is its position code alone;
    - cross-attention compares position codes only, sharply enough that step t reads source
      position t; its values and output carry the token code into the decoder state;
    - the output layer reads the token code back as logits; ``replace`` (piece -> piece)
      rewires it so that those pieces come out as others, a near-copy like a real model's
      misspelt name.

    Every layer norm sees vectors of one norm and one mean (codes of equal norm), so it acts
    as the same affine map at every position and keeps the argmax where the code put it.
    """
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        model = train_sentencepiece(
            lines, Path(tmp) / "copy", spm_vocab, normalization="identity" if exact else "nmt_nfkc"
        )
        shutil.copy(model, out / "source.spm")
        shutil.copy(model, out / "target.spm")
    vocab = _pieces(out / "source.spm")
    v = len(vocab)
    positions = _copy_positions(_COPY_POSITIONS, v, v + 4 * int(np.log2(_COPY_POSITIONS)))
    d = positions.shape[1]
    tokens, pos = np.zeros((d, d), np.float32), np.zeros((d, d), np.float32)
    tokens[:v, :v] = np.eye(v)
    pos[v:, v:] = np.eye(d - v)
    # Layer norms stretch the codes to norm ~sqrt(d) and attention divides scores by sqrt(d),
    # so the score gap between the right source position and any other is about
    # query_scale * 4 * sqrt(d) / 20: over 60 for 1000 pieces, a weight of e^-60 elsewhere.
    query_scale = 10.0
    # The copied token's logit then leads every other by about 50 (for 1000 pieces).
    logit_scale = 2.0

    projection = np.eye(v, d, dtype=np.float32)
    for old, new in (replace or {}).items():
        i, j = vocab.index(old), vocab.index(new)
        projection[i, i] = 0.0
        projection[j, i] = 1.0

    spec = transformer_spec.TransformerSpec.from_config((1, 1), 1, pre_norm=True)
    values: dict[str, np.ndarray] = {
        "encoder/embeddings_0/weight": np.eye(v, d, dtype=np.float32),
        "decoder/embeddings/weight": np.zeros((v, d), np.float32),
        "decoder/projection/weight": logit_scale * projection,
        "decoder/layer_0/attention/linear_0/weight": query_scale * pos,
        "decoder/layer_0/attention/linear_1/weight": np.concatenate([pos, tokens]),
        "decoder/layer_0/attention/linear_2/weight": tokens,
    }
    for name, value in spec.variables().items():
        if value is not None or name in values:
            continue
        if name.endswith("gamma"):
            values[name] = np.ones(d, np.float32)
        elif name.endswith("beta"):
            values[name] = np.zeros(d, np.float32)
        elif name.endswith("self_attention/linear_0/weight"):
            values[name] = np.zeros((3 * d, d), np.float32)
        elif name.endswith("ffn/linear_0/weight"):
            values[name] = np.zeros((1, d), np.float32)
        elif name.endswith("ffn/linear_1/weight"):
            values[name] = np.zeros((d, 1), np.float32)
        else:  # self_attention/linear_1: the zero output that mutes self-attention
            values[name] = np.zeros((d, d), np.float32)
    for name, value in values.items():
        owner, attr = _resolve(spec, name)
        setattr(owner, attr, value)
    for stack in (spec.encoder, spec.decoder):
        stack.scale_embeddings = False
        stack.position_encodings.encodings = positions
    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.validate()
    spec.optimize()
    spec.save(str(out))
    ctranslate2.Translator(str(out), device="cpu")
    return out


# -- decoder-only (LLM) models -----------------------------------------------------------

#: A ChatML template (Qwen's), the shape of the hub's ``chat_template.jinja``.
CHATML_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for item in message['content'] %}{{ item['text'] }}{% endfor %}{% endif %}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
#: The special tokens of a ChatML tokenizer (the end of a turn is the end of an answer).
CHATML_SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]


def train_bpe_tokenizer(
    lines: Iterable[str],
    out: Path,
    vocab_size: int = 600,
    *,
    specials: Iterable[str] = CHATML_SPECIALS,
) -> Path:
    """A byte-level BPE ``tokenizer.json`` (the layout of Llama 3's and Qwen's) trained on
    ``lines``, with ``specials`` (by default ChatML's) as its first tokens; returns its path."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=list(specials),
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator([line for line in lines if line.strip()], trainer)
    path = out / "tokenizer.json"
    tokenizer.save(str(path))
    return path


def _decoder_shape(name: str, arch: Architecture, vocab: int) -> tuple[int, ...]:
    d = arch.d_model
    if name.endswith("gamma"):
        return (d,)
    if name in ("decoder/embeddings/weight", "decoder/projection/weight"):
        return (vocab, d)
    if name == "decoder/projection/bias":
        return (vocab,)
    rows = {
        "self_attention/linear_0": (3 * d, d),
        "self_attention/linear_1": (d, d),
        "ffn/linear_0": (arch.ffn, d),
        "ffn/linear_0_noact": (arch.ffn, d),
        "ffn/linear_1": (d, arch.ffn),
    }
    for suffix, shape in rows.items():
        if name.endswith(suffix + "/weight"):
            return shape
    raise ValueError(f"no shape rule for {name}")


def build_generator_model(
    output_dir: str | Path,
    lines: Iterable[str],
    *,
    arch: Architecture = TINY,
    seed: int = 1234,
    vocab_size: int = 600,
    quantization: str | None = None,
) -> Path:
    """A random-weight decoder-only CTranslate2 model in the Llama layout (RMS norms, SwiGLU,
    rotary positions) with a byte-level BPE ``tokenizer.json`` and a ChatML chat template,
    as the generator engine reads a converted Qwen or Llama checkpoint. No torch.

    The weights are drawn wide (the embedding's unit rows and standard-normal layers), since
    narrow random weights make a tiny model repeat one token; the end of the turn and every
    token with a digit or a line break are pushed down, so an answer runs to its cap and
    stays one unnumbered line (random numbered lines would not map back to sentences)."""
    out = Path(output_dir)
    out.mkdir(parents=True, exist_ok=True)
    lines = list(lines)
    train_bpe_tokenizer(lines, out, vocab_size)
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(out / "tokenizer.json"))
    vocab = [str(tok.id_to_token(i)) for i in range(tok.get_vocab_size())]
    spec = transformer_spec.TransformerDecoderModelSpec.from_config(
        arch.decoder_layers,
        arch.heads,
        pre_norm=True,
        activation=common_spec.Activation.SWISH,
        ffn_glu=True,
        rms_norm=True,
        rotary_dim=0,
        rotary_interleave=False,
    )
    rng = np.random.default_rng(seed)
    names = [n for n, v in spec.variables().items() if v is None] + ["decoder/projection/bias"]
    for name in names:
        shape = _decoder_shape(name, arch, len(vocab))
        if name.endswith("gamma"):
            value = np.ones(shape, dtype=np.float32)
        elif name.endswith("bias"):
            value = np.zeros(shape, dtype=np.float32)
            silent = [i for i, t in enumerate(vocab) if t in CHATML_SPECIALS]
            silent += [i for i, t in enumerate(vocab) if any(c.isdigit() or c == "Ċ" for c in t)]
            value[silent] = -1e4
        else:
            value = (rng.normal(0.0, 1.0, size=shape) / np.sqrt(shape[-1])).astype(np.float32)
        owner, attr = _resolve(spec, name)
        setattr(owner, attr, value)
    spec.register_vocabulary(vocab)
    spec.config.bos_token = "<|endoftext|>"
    spec.config.eos_token = "<|im_end|>"
    spec.config.unk_token = "<|endoftext|>"
    spec.validate()
    spec.optimize(quantization=quantization)
    spec.save(str(out))
    (out / "chat_template.jinja").write_text(CHATML_TEMPLATE, encoding="utf-8")
    (out / "tokenizer_config.json").write_text(
        '{"bos_token": null, "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"}\n',
        encoding="utf-8",
    )
    ctranslate2.Generator(str(out), device="cpu")
    return out

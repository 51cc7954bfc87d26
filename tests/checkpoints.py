"""Tiny random transformers checkpoints in the hub's file layout (a helper module: no tests).

They are built with transformers itself, as the hub's repositories were: Marian (one
target, as opus-mt-ar-en), multi-target Marian (``>>ara<<`` tokens, as opus-mt-en-ar and
opus-mt-tc-big-en-ar) and NLLB (M2M-100 with language codes). Needs the convert extra.
The end-of-sentence logit is pushed down, so that greedy decoding runs to its length limit
in both transformers and CTranslate2 and the two can be compared token by token.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tarjama.testing import train_sentencepiece

from .conftest import corpus

#: Typed as Any: the configs take each field as its own type.
SIZE: dict[str, Any] = {
    "d_model": 32,
    "encoder_layers": 2,
    "decoder_layers": 2,
    "encoder_attention_heads": 2,
    "decoder_attention_heads": 2,
    "encoder_ffn_dim": 64,
    "decoder_ffn_dim": 64,
    "max_position_embeddings": 256,
}


def _mute_eos(model: object, eos: int) -> None:
    import torch

    with torch.no_grad():
        bias = getattr(model, "final_logits_bias", None)
        if bias is not None:
            bias[0, eos] = -1e4
        else:
            # M2M-100 has no logits bias. Its decoder ends in a layer norm, whose output
            # sums to its bias: with a bias of minus ones and a row of ones for </s>, the
            # logit of </s> is -d_model, far below the others (about +-1). Not the opposite
            # signs: CTranslate2's int8 GEMM on CPUs without VNNI (oneDNN on AVX2) shifts the
            # activations to uint8 and adds products in pairs with int16 saturation, so a row
            # of -1 against activations near +1 saturated every pair and raised the logit of
            # </s> from -32 to about +1.4 (int8 NLLB then ended at once). With a positive row
            # and negative activations, saturation can only push the logit further down.
            model.model.decoder.layer_norm.bias.fill_(-1.0)  # type: ignore[attr-defined]
            head = model.get_output_embeddings()  # type: ignore[attr-defined]
            head.weight[eos].fill_(1.0)


def build_marian_checkpoint(
    out: Path,
    *,
    source: str = "ar",
    target: str = "en",
    language_tokens: Sequence[str] = (),
    weights: str = "safetensors",
    seed: int = 7,
) -> Path:
    """An OPUS-MT checkpoint: config.json, weights, source.spm, target.spm, vocab.json."""
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for side, lang in (("source", source), ("target", target)):
            trained = train_sentencepiece(corpus(lang), Path(tmp) / side, 300)
            (out / f"{side}.spm").write_bytes(trained.read_bytes())
    vocab: dict[str, int] = {"</s>": 0, "<unk>": 1}
    for token in language_tokens:
        vocab[token] = len(vocab)
    import sentencepiece as spm

    for side in ("source", "target"):
        sp = spm.SentencePieceProcessor(model_file=str(out / f"{side}.spm"))
        for i in range(sp.get_piece_size()):
            piece = sp.id_to_piece(i)
            if piece not in vocab and piece not in ("<s>", "<unk>", "</s>"):
                vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    MarianTokenizer(
        str(out / "source.spm"), str(out / "target.spm"), str(out / "vocab.json")
    ).save_pretrained(out)
    config = MarianConfig(
        vocab_size=len(vocab),
        pad_token_id=vocab["<pad>"],
        eos_token_id=vocab["</s>"],
        decoder_start_token_id=vocab["<pad>"],
        forced_eos_token_id=None,
        **SIZE,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config)
    _mute_eos(model, vocab["</s>"])
    model.save_pretrained(out, safe_serialization=weights == "safetensors")
    return out


def build_nllb_checkpoint(out: Path, *, seed: int = 7) -> Path:
    """An NLLB checkpoint: config.json, weights, sentencepiece.bpe.model, tokenizer files."""
    import torch
    from transformers import AutoTokenizer, M2M100Config, M2M100ForConditionalGeneration
    from transformers.models.nllb.tokenization_nllb import FAIRSEQ_LANGUAGE_CODES

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        # NLLB's SentencePiece model is BPE, which transformers' tokenizer reproduces.
        trained = train_sentencepiece(
            corpus("ar") + corpus("en"), Path(tmp) / "nllb", 400, model_type="bpe"
        )
        (out / "sentencepiece.bpe.model").write_bytes(trained.read_bytes())
    (out / "tokenizer_config.json").write_text(
        json.dumps(
            {
                "tokenizer_class": "NllbTokenizer",
                "src_lang": "arb_Arab",
                "tgt_lang": "eng_Latn",
                "additional_special_tokens": FAIRSEQ_LANGUAGE_CODES,
            }
        ),
        encoding="utf-8",
    )
    tokenizer = AutoTokenizer.from_pretrained(out)
    tokenizer.save_pretrained(out)
    config = M2M100Config(
        vocab_size=len(tokenizer),
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=tokenizer.bos_token_id,
        decoder_start_token_id=tokenizer.eos_token_id,
        **SIZE,
    )
    torch.manual_seed(seed)
    model = M2M100ForConditionalGeneration(config)
    _mute_eos(model, tokenizer.eos_token_id)
    model.save_pretrained(out)
    return out

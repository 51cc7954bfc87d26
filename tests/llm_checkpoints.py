"""Tiny random decoder-only checkpoints in the hub's layouts (a helper module: no tests).

Built with transformers itself: Llama 3 (``LlamaForCausalLM``), Mistral (a sliding window
in every layer, as Mistral 7B v0.1's, and RoPE base 1e6, as v0.2's on), Qwen3, Gemma 3 text
(``Gemma3ForCausalLM``, as gemma-3-1b) and Gemma 3 with the multimodal config that
TranslateGemma and gemma-3-4b/12b/27b use (``Gemma3ForConditionalGeneration``), the Gemma 3
ones with linear RoPE scaling on the global layers and a ``query_pre_attn_scalar`` that is
not the head dimension (as the 27B's), so that a conversion ignoring either is seen. Each
has a byte-level BPE ``tokenizer.json`` with its family's special tokens and a chat template
in its family's shape. Needs the convert extra.

The weights are drawn wider than transformers' 0.02 (``initializer_range``): narrow random
weights make a tiny model repeat one token, and two conversions could then agree by chance.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from tarjama.testing import train_bpe_tokenizer

from .conftest import corpus

#: Standard deviation of the random weights (transformers' default is 0.02).
WIDE = 0.5
#: The sliding window (Gemma 3's local layers, every Mistral layer) in these checkpoints:
#: prompts of the equality tests fit in it.
WINDOW = 48

LLAMA_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}<|start_header_id|>{{ message['role'] }}"
    "<|end_header_id|>\n\n{{ message['content'] }}<|eot_id|>{% endfor %}"
    "{% if add_generation_prompt %}<|start_header_id|>assistant<|end_header_id|>\n\n{% endif %}"
)
#: Mistral Instruct's shape: no system role, the system text opens the user's turn.
MISTRAL_TEMPLATE = (
    "{{ bos_token }}{% set first = '' %}{% for message in messages %}"
    "{% if message['role'] == 'system' %}{% set first = message['content'] + '\n\n' %}"
    "{% elif message['role'] == 'user' %}[INST] {% if loop.index0 == 1 %}{{ first }}{% endif %}"
    "{{ message['content'] }}[/INST]{% else %}{{ message['content'] }}{{ eos_token }}{% endif %}"
    "{% endfor %}"
)
QWEN3_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}"
    "<|im_end|>\n{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n"
    "{% if enable_thinking is defined and enable_thinking is false %}<think>\n\n</think>\n\n"
    "{% endif %}{% endif %}"
)
#: Gemma's: no system role (a system message opens the first user turn).
GEMMA_TEMPLATE = (
    "{{ bos_token }}{% set first = '' %}{% for message in messages %}"
    "{% if message['role'] == 'system' %}{% set first = message['content'] + '\n\n' %}"
    "{% else %}<start_of_turn>{{ 'model' if message['role'] == 'assistant' else 'user' }}\n"
    "{% if loop.index0 == 1 %}{{ first }}{% endif %}{{ message['content'] }}<end_of_turn>\n"
    "{% endif %}{% endfor %}{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)
#: TranslateGemma's shape: structured user content, its own instruction, no system role.
TRANSLATEGEMMA_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if message['role'] != 'user' %}{{ raise_exception('only user turns') }}{% endif %}"
    "{% for item in message['content'] %}<start_of_turn>user\n"
    "Translate from {{ item['source_lang_code'] }} to {{ item['target_lang_code'] }}.\n\n\n"
    "{{ item['text'] }}<end_of_turn>\n{% endfor %}{% endfor %}"
    "{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)

FAMILIES: dict[str, dict[str, Any]] = {
    "llama": {
        "specials": ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>",
                     "<|end_header_id|>", "<|eot_id|>"],
        "bos": "<|begin_of_text|>", "eos": "<|eot_id|>", "pad": "<|end_of_text|>",
        "template": LLAMA_TEMPLATE,
    },
    "mistral": {
        "specials": ["<unk>", "<s>", "</s>", "[INST]", "[/INST]"],
        "bos": "<s>", "eos": "</s>", "pad": None,
        "template": MISTRAL_TEMPLATE,
    },
    "qwen3": {
        "specials": ["<|endoftext|>", "<|im_start|>", "<|im_end|>"],
        "bos": None, "eos": "<|im_end|>", "pad": "<|endoftext|>",
        "template": QWEN3_TEMPLATE,
    },
    "gemma3": {
        "specials": ["<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>", "<end_of_turn>"],
        "bos": "<bos>", "eos": "<eos>", "pad": "<pad>",
        "template": GEMMA_TEMPLATE,
    },
    "translategemma": {
        "specials": ["<pad>", "<eos>", "<bos>", "<unk>", "<start_of_turn>", "<end_of_turn>",
                     "<start_of_image>", "<end_of_image>", "<image_soft_token>"],
        "bos": "<bos>", "eos": "<eos>", "pad": "<pad>",
        "template": TRANSLATEGEMMA_TEMPLATE,
    },
}  # fmt: skip


def _tokenizer(out: Path, family: str) -> Any:
    from transformers import PreTrainedTokenizerFast

    spec = FAMILIES[family]
    with tempfile.TemporaryDirectory() as tmp:
        path = train_bpe_tokenizer(
            corpus("ar") + corpus("en"), Path(tmp), 700, specials=spec["specials"]
        )
        tokenizer = PreTrainedTokenizerFast(
            tokenizer_file=str(path),
            bos_token=spec["bos"],
            eos_token=spec["eos"],
            pad_token=spec["pad"],
            unk_token="<unk>" if "<unk>" in spec["specials"] else None,
        )
    tokenizer.chat_template = spec["template"]
    tokenizer.save_pretrained(out)
    return tokenizer


def _gemma3_text(tokenizer: Any, **extra: Any) -> Any:
    from transformers import Gemma3TextConfig

    return Gemma3TextConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        # Local and global layers in turn (Gemma 3 has five local to one global): three
        # global layers make a RoPE left unscaled show in a tiny model's tokens.
        num_hidden_layers=6,
        layer_types=["sliding_attention", "full_attention"] * 3,
        num_attention_heads=4,
        num_key_value_heads=2,
        head_dim=16,
        sliding_window=WINDOW,
        # The 27B's is hidden/heads = 168 against a head_dim of 128: not the head dim here either.
        query_pre_attn_scalar=64,
        # As gemma-3-4b/12b/27b and TranslateGemma: the global layers' positions divided by 8.
        rope_parameters={
            "full_attention": {"rope_type": "linear", "factor": 8.0, "rope_theta": 1e6},
            "sliding_attention": {"rope_type": "default", "rope_theta": 1e4},
        },
        max_position_embeddings=1024,
        initializer_range=WIDE,
        # Untied: an output layer of its own, drawn wide (tied to the narrow embeddings
        # below, every answer was one token repeated).
        tie_word_embeddings=False,
        pad_token_id=tokenizer.pad_token_id,
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        **extra,
    )


def _config(family: str, tokenizer: Any) -> Any:
    from transformers import (
        Gemma3Config,
        LlamaConfig,
        MistralConfig,
        Qwen3Config,
        SiglipVisionConfig,
    )

    ids: dict[str, Any] = {
        "vocab_size": len(tokenizer),
        "pad_token_id": tokenizer.pad_token_id,
        "bos_token_id": tokenizer.bos_token_id,
        "eos_token_id": tokenizer.eos_token_id,
        "initializer_range": WIDE,
    }
    size: dict[str, Any] = {
        "hidden_size": 64,
        "intermediate_size": 128,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "head_dim": 16,
        "max_position_embeddings": 1024,
    }
    if family == "llama":
        return LlamaConfig(**size, **ids, tie_word_embeddings=False)
    if family == "mistral":
        # Mistral 7B v0.1 attends locally in every layer (a 4096 window); v0.2 on have no
        # window but a RoPE base of 1e6, not CTranslate2's default: both here, untied.
        return MistralConfig(
            **size, **ids, sliding_window=WINDOW, rope_parameters={"rope_theta": 1e6},
            tie_word_embeddings=False,
        )  # fmt: skip
    if family == "qwen3":
        return Qwen3Config(**size, **ids, tie_word_embeddings=True)
    if family == "gemma3":
        return _gemma3_text(tokenizer)
    vision = SiglipVisionConfig(
        hidden_size=16, intermediate_size=32, num_hidden_layers=1, num_attention_heads=2,
        image_size=28, patch_size=14,
    )  # fmt: skip
    token = tokenizer.convert_tokens_to_ids
    return Gemma3Config(
        text_config=_gemma3_text(tokenizer).to_dict(),
        vision_config=vision.to_dict(),
        mm_tokens_per_image=4,
        boi_token_index=token("<start_of_image>"),
        eoi_token_index=token("<end_of_image>"),
        image_token_index=token("<image_soft_token>"),
        initializer_range=WIDE,
        tie_word_embeddings=False,
    )


def build_decoder_checkpoint(out: Path, family: str, *, seed: int = 11) -> Path:
    """A checkpoint of ``family`` (llama, mistral, qwen3, gemma3, translategemma) in ``out``:
    config.json, model.safetensors, tokenizer.json, tokenizer_config.json, the template."""
    import torch
    from transformers import (
        Gemma3ForCausalLM,
        Gemma3ForConditionalGeneration,
        LlamaForCausalLM,
        MistralForCausalLM,
        Qwen3ForCausalLM,
    )

    out.mkdir(parents=True, exist_ok=True)
    tokenizer = _tokenizer(out, family)
    config = _config(family, tokenizer)
    classes: dict[str, Any] = {
        "llama": LlamaForCausalLM,
        "mistral": MistralForCausalLM,
        "qwen3": Qwen3ForCausalLM,
        "gemma3": Gemma3ForCausalLM,
        "translategemma": Gemma3ForConditionalGeneration,
    }
    torch.manual_seed(seed)
    model = classes[family](config)
    with torch.no_grad():
        # Norms start at one (Gemma's scale by 1 + weight from zero): spread them too.
        centre = 0.0 if family.endswith("gemma3") or family == "translategemma" else 1.0
        for name, param in model.named_parameters():
            if name.endswith("norm.weight"):
                param.normal_(centre, WIDE)
            elif name.endswith("embed_tokens.weight") and centre == 0.0:
                # Gemma multiplies embeddings by sqrt(hidden): wide ones would swamp every
                # layer's (post-normed) output, and the model would echo its last token.
                param.normal_(0.0, WIDE / 8)
            elif name.startswith("lm_head") and centre == 0.0:
                param.normal_(0.0, WIDE)
    model.save_pretrained(out)
    return out

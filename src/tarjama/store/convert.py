"""Transformers checkpoints: recognising one, and converting it to CTranslate2.

A hub snapshot (``config.json`` and weights, no ``model.bin``) is converted with
CTranslate2's own converter, which needs the ``convert`` extra (transformers and torch).
Both ``pull`` and ``models add`` come here, so a checkpoint copied by hand converts
exactly as a downloaded one.

Decoder-only models (Llama, Mistral, Qwen, Gemma 3, TranslateGemma) become ``generator``
models: the converted model, the checkpoint's tokenizer saved as ``tokenizer.json`` with
its chat template, and ``generator.json`` (the prompt profile and the sliding window).
CTranslate2 4.8's converter gets two things of Gemma 3 wrong, which are put right here on
the converted spec (:func:`fix_gemma3`): the global layers' linear RoPE scaling and
``query_pre_attn_scalar`` were both ignored (docs/llm.md, "Reported upstream").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ConfigError, CorruptModel, PullError
from .llm import GeneratorSettings

#: convert(checkpoint_dir, output_dir, copy_files) -> None
Converter = Callable[[Path, Path, list[str]], None]

#: transformers model_type -> tarjama family, and the tokenizer files each needs carried.
FAMILIES = {
    "marian": "marian",
    "m2m_100": "nllb",
    **dict.fromkeys(("llama", "mistral", "qwen2", "qwen3", "gemma3", "gemma3_text"), "generator"),
}
COPY_FILES: dict[str, list[str]] = {
    "marian": ["source.spm", "target.spm"],
    "nllb": ["sentencepiece.bpe.model"],
    # The tokenizer is saved by transformers itself (tokenizer.json, the chat template).
    "generator": [],
}
WEIGHTS = ("model.safetensors", "pytorch_model.bin")
EXTRA = "converting a checkpoint needs the 'convert' extra: pip install 'tarjama[convert]'"


def checkpoint_family(directory: Path) -> str | None:
    """The family of a transformers checkpoint in ``directory``, or None when it is not one
    (a CTranslate2 model, or anything else)."""
    config = directory / "config.json"
    if (directory / "model.bin").is_file() or not config.is_file():
        return None
    try:
        model_type = json.loads(config.read_text(encoding="utf-8")).get("model_type")
    except (OSError, ValueError, AttributeError) as exc:
        raise CorruptModel(f"{config} is not a transformers config: {exc}") from exc
    family = FAMILIES.get(str(model_type))
    if family is None:
        known = ", ".join(sorted(FAMILIES))
        raise ConfigError(
            f"{directory} holds a '{model_type}' checkpoint; tarjama converts {known} ones"
        )
    if not any((directory / w).is_file() for w in WEIGHTS) and not any(
        directory.glob("*.index.json")
    ):
        raise CorruptModel(f"{directory} has a config.json but no weights ({', '.join(WEIGHTS)})")
    return family


def can_convert() -> bool:
    """Whether the ``convert`` extra is installed (checked before a download, not after)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("torch", "transformers"))


def ct2_convert(
    checkpoint: Path, output: Path, copy_files: list[str], *, quantization: str | None = "int8"
) -> None:
    """Convert a transformers checkpoint to CTranslate2 (int8 unless told otherwise);
    ``quantization=None`` keeps the checkpoint's own type (float32 for a random one)."""
    try:
        import transformers
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:
        raise PullError(EXTRA) from exc
    present = [f for f in copy_files if (checkpoint / f).is_file()]
    decoder = _model_type(checkpoint) in DECODER_TYPES
    try:
        converter = (_decoder_converter() if decoder else TransformersConverter)(
            str(checkpoint), copy_files=present
        )
        converter.convert(str(output), quantization=quantization, force=True)
        if decoder:
            config = transformers.AutoConfig.from_pretrained(str(checkpoint))
            tokenizer = transformers.AutoTokenizer.from_pretrained(str(checkpoint))
            tokenizer.save_pretrained(str(output))
            GeneratorSettings(window=attention_window(config)).write(output)
            _fill_special_tokens(output / "config.json")
    except (PullError, ConfigError):
        raise
    except Exception as exc:  # the converter and transformers raise many kinds
        raise PullError(f"conversion of {checkpoint.name} failed: {first_line(exc)}") from exc


#: The transformers model types converted as decoder-only (generator) models.
DECODER_TYPES = frozenset(t for t, f in FAMILIES.items() if f == "generator")


def _fill_special_tokens(path: Path) -> None:
    """A tokenizer without a start or unknown token (Llama-layout models may have none)
    leaves null in CTranslate2's config.json, which CTranslate2 then refuses to load: the
    end token stands in (the prompt never starts with it unless the template writes it)."""
    config = json.loads(path.read_text(encoding="utf-8"))
    eos = config.get("eos_token")
    if eos and any(config.get(k) is None for k in ("bos_token", "unk_token")):
        for key in ("bos_token", "unk_token"):
            config[key] = config.get(key) or eos
        path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def _model_type(checkpoint: Path) -> str:
    try:
        data = json.loads((checkpoint / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorruptModel(f"cannot read {checkpoint / 'config.json'}: {exc}") from exc
    return str(data.get("model_type", "")) if isinstance(data, dict) else ""


def _text_config(config: Any) -> Any:
    return getattr(config, "text_config", None) or config


def attention_window(config: Any) -> int:
    """The sliding window of a model whose layers (some or all) attend locally, else 0."""
    text = _text_config(config)
    window = getattr(text, "sliding_window", None) or 0
    types = getattr(text, "layer_types", None) or []
    local = "sliding_attention" in types or (
        text.model_type == "mistral" or bool(getattr(text, "use_sliding_window", False))
    )
    return int(window) if local else 0


def rope_by_layer_type(text: Any) -> dict[str, dict[str, Any]]:
    """Gemma 3's RoPE settings per layer type ("full_attention", "sliding_attention"):
    transformers 5's ``rope_parameters``, or the older ``rope_theta``, ``rope_scaling``
    (the global layers') and ``rope_local_base_freq``."""
    params = getattr(text, "rope_parameters", None)
    if isinstance(params, dict) and "full_attention" in params:
        return {k: dict(v) for k, v in params.items()}
    scaling = dict(getattr(text, "rope_scaling", None) or {})
    return {
        "full_attention": {**scaling, "rope_theta": getattr(text, "rope_theta", None) or 1e6},
        "sliding_attention": {"rope_theta": getattr(text, "rope_local_base_freq", None) or 1e4},
    }


def fix_gemma3(spec: Any, config: Any) -> None:
    """Put right what CTranslate2 4.8's converter leaves out of a Gemma 3 spec: each
    layer's RoPE (base, and the global layers' linear scaling: positions divided by the
    factor) and the query scale ``query_pre_attn_scalar ** -0.5`` (CTranslate2 would use
    ``head_dim ** -0.5``: the same for 4B and 12B, not for 27B)."""
    import numpy as np
    from ctranslate2.specs.attention_spec import RotaryScalingType

    text = _text_config(config)
    rope = rope_by_layer_type(text)
    scalar = getattr(text, "query_pre_attn_scalar", None)
    for layer, kind in zip(spec.decoder.layer, text.layer_types, strict=True):
        attention = layer.self_attention
        params = rope.get(kind, {})
        rope_type = params.get("rope_type") or params.get("type") or "default"
        if "rope_theta" in params:
            attention.rotary_base = np.float32(params["rope_theta"])
        if rope_type == "linear":
            # The spec froze its attributes without these: CTranslate2 reads them per layer.
            object.__setattr__(attention, "rotary_scaling_type", np.int8(RotaryScalingType.Linear))
            object.__setattr__(
                attention, "rotary_scaling_factor", np.float32(params.get("factor", 1.0))
            )
        elif rope_type != "default":
            raise ConfigError(f"Gemma 3 with '{rope_type}' RoPE scaling is not supported")
        if scalar:
            attention.queries_scale = np.float32(float(scalar) ** -0.5)


def _decoder_converter() -> type:
    from ctranslate2.converters import TransformersConverter

    class DecoderConverter(TransformersConverter):  # type: ignore[misc]
        """CTranslate2's converter, with the Gemma 3 fixes applied to the spec."""

        def _load(self) -> Any:
            import transformers

            spec = super()._load()
            config = transformers.AutoConfig.from_pretrained(self._model_name_or_path)
            if _text_config(config).model_type in ("gemma3", "gemma3_text"):
                fix_gemma3(spec, config)
            return spec

    return DecoderConverter


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__

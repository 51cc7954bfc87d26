"""Transformers checkpoints: recognising one, and converting it to CTranslate2.

A hub snapshot (``config.json`` and weights, no ``model.bin``) is converted with
CTranslate2's own converter, which needs the ``convert`` extra (transformers and torch).
Both ``pull`` and ``models add`` come here, so a checkpoint copied by hand converts
exactly as a downloaded one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigError, CorruptModel, PullError

#: convert(checkpoint_dir, output_dir, copy_files) -> None
Converter = Callable[[Path, Path, list[str]], None]

#: transformers model_type -> tarjama family, and the tokenizer files each needs carried.
FAMILIES = {"marian": "marian", "m2m_100": "nllb"}
COPY_FILES = {"marian": ["source.spm", "target.spm"], "nllb": ["sentencepiece.bpe.model"]}
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
    """Convert a transformers checkpoint to CTranslate2 (int8 unless told otherwise)."""
    try:
        import transformers  # noqa: F401
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:
        raise PullError(EXTRA) from exc
    present = [f for f in copy_files if (checkpoint / f).is_file()]
    try:
        TransformersConverter(str(checkpoint), copy_files=present).convert(
            str(output), quantization=quantization, force=True
        )
    except Exception as exc:  # the converter and transformers raise many kinds
        raise PullError(f"conversion of {checkpoint.name} failed: {first_line(exc)}") from exc


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__

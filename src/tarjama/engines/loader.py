"""Open a model of the store (or any model directory) as an engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import CorruptModel
from ..store.manifest import Manifest, check_model_bin
from ..store.models import ModelStore
from .ct2 import CTranslate2Engine
from .generator import GeneratorEngine
from .openai import Endpoint, OpenAIEngine
from .tokenizers import CharacterTokenizer, MarianTokenizer, NllbTokenizer, Tokenizer


def make_tokenizer(directory: Path, manifest: Manifest) -> Tokenizer:
    tok = manifest.tokenizer
    if manifest.family == "marian":
        return MarianTokenizer(
            directory / tok["source"], directory / tok["target"], manifest.source_prefix
        )
    if manifest.family == "nllb":
        return NllbTokenizer(directory / tok["model"])
    if manifest.family == "characters":
        return CharacterTokenizer([directory / tok["source"], directory / tok["target"]])
    raise CorruptModel(f"model '{manifest.name}': unknown family '{manifest.family}'")


def load_engine(
    name_or_dir: str | Path,
    *,
    home: str | Path | None = None,
    device: str = "auto",
    beam_size: int = 4,
    compute_type: str | None = None,
    threads: int | None = None,
) -> CTranslate2Engine:
    """Open an installed model (or a model directory) as an engine."""
    directory, manifest = ModelStore(home).resolve(name_or_dir)
    # A garbage model.bin is named as such, not as "a later version of CTranslate2".
    check_model_bin(directory / "model.bin")
    tokenizer = make_tokenizer(directory, manifest)
    return CTranslate2Engine(
        directory,
        tokenizer,
        name=manifest.name,
        family=manifest.family,
        pairs=manifest.pairs,
        max_input_tokens=manifest.max_input_tokens,
        model_id=manifest.model_id,
        device=device,
        compute_type=compute_type,
        beam_size=beam_size,
        threads=threads,
    )


def check_endpoint(settings: dict[str, Any]) -> None:
    """Refuse an endpoint's settings (URL, profile, limits) before they are recorded."""
    Endpoint.from_json(settings)


def load_endpoint(manifest: Manifest) -> OpenAIEngine:
    """An endpoint model (family ``openai``) as an engine; nothing is contacted yet."""
    return OpenAIEngine(
        manifest.name,
        Endpoint.from_json(manifest.origin),
        pairs=manifest.pairs,
        max_input_tokens=manifest.max_input_tokens,
    )


def load_generator(
    name_or_dir: str | Path,
    *,
    home: str | Path | None = None,
    device: str = "auto",
    compute_type: str | None = None,
    threads: int | None = None,
) -> GeneratorEngine:
    """A decoder-only model (family ``generator``) as an engine, unguarded."""
    directory, manifest = ModelStore(home).resolve(name_or_dir)
    check_model_bin(directory / "model.bin")
    return GeneratorEngine(
        directory,
        name=manifest.name,
        pairs=manifest.pairs,
        max_input_tokens=manifest.max_input_tokens,
        model_id=manifest.model_id,
        device=device,
        compute_type=compute_type,
        threads=threads,
    )

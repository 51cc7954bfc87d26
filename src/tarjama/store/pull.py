"""`models pull`: download a catalogue model from the Hugging Face hub and install it.

This is the only module that touches the network, and only when ``pull`` is called.
A hub repository that already holds a CTranslate2 model (``model.bin``) is installed as
it is; a transformers checkpoint is converted to CTranslate2 int8, which needs the
``convert`` extra (transformers + torch).

Both the download and the conversion are injectable, so tests run against a local fake
of the hub's file layout without network or torch.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError, PullError
from .models import Manifest, ModelStore


@dataclass(frozen=True)
class CatalogueEntry:
    repo: str
    family: str
    source: str
    target: str
    #: Tokens put before every source sentence (multi-target OPUS-MT models need one).
    source_prefix: list[str] = field(default_factory=list)
    #: Tokenizer files to carry from the checkpoint into the converted model.
    copy_files: list[str] = field(default_factory=list)


_MARIAN_FILES = ["source.spm", "target.spm"]

CATALOGUE: dict[str, CatalogueEntry] = {
    "opus-mt-ar-en": CatalogueEntry(
        "Helsinki-NLP/opus-mt-ar-en", "marian", "ar", "en", copy_files=_MARIAN_FILES
    ),
    "opus-mt-en-ar": CatalogueEntry(
        "Helsinki-NLP/opus-mt-en-ar",
        "marian",
        "en",
        "ar",
        source_prefix=[">>ara<<"],
        copy_files=_MARIAN_FILES,
    ),
    "opus-mt-tc-big-ar-en": CatalogueEntry(
        "Helsinki-NLP/opus-mt-tc-big-ar-en", "marian", "ar", "en", copy_files=_MARIAN_FILES
    ),
    "nllb-200-distilled-600M": CatalogueEntry(
        "facebook/nllb-200-distilled-600M",
        "nllb",
        "ar",
        "en",
        copy_files=["sentencepiece.bpe.model"],
    ),
}

#: download(repo_id, local_dir) -> directory holding the snapshot
Downloader = Callable[[str, Path], Path]
#: convert(checkpoint_dir, output_dir, copy_files) -> None
Converter = Callable[[Path, Path, list[str]], None]

# Weights and tokenizer files only: skip TF/Flax/Rust duplicates of the same weights.
_PATTERNS = ["*.json", "*.spm", "*.model", "*.bin", "*.safetensors", "*.txt"]
_SKIP = ["tf_model.h5", "flax_model.msgpack", "rust_model.ot", "*.onnx"]


def hub_download(repo_id: str, local_dir: Path) -> Path:
    """Snapshot a hub repository into ``local_dir`` with huggingface_hub's progress bars."""
    from huggingface_hub import snapshot_download

    try:
        return Path(
            snapshot_download(
                repo_id, local_dir=local_dir, allow_patterns=_PATTERNS, ignore_patterns=_SKIP
            )
        )
    except Exception as exc:
        raise PullError(f"cannot download {repo_id}: {_first_line(exc)}") from exc


def ct2_convert(checkpoint: Path, output: Path, copy_files: list[str]) -> None:
    """Convert a transformers checkpoint to CTranslate2 int8 (needs the ``convert`` extra)."""
    try:
        import transformers  # noqa: F401
        from ctranslate2.converters import TransformersConverter
    except ImportError as exc:
        raise PullError(
            "converting a checkpoint needs the 'convert' extra: pip install 'tarjama[convert]'"
        ) from exc
    present = [f for f in copy_files if (checkpoint / f).is_file()]
    try:
        TransformersConverter(str(checkpoint), copy_files=present).convert(
            str(output), quantization="int8", force=True
        )
    except Exception as exc:
        raise PullError(f"conversion of {checkpoint.name} failed: {_first_line(exc)}") from exc


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def pull(
    name: str,
    *,
    home: str | Path | None = None,
    download: Downloader | None = None,
    convert: Converter | None = None,
    status: Callable[[str], None] | None = None,
) -> Manifest:
    """Download, convert if needed, and install catalogue model ``name``."""
    entry = CATALOGUE.get(name)
    if entry is None:
        raise ConfigError(f"'{name}' is not in the catalogue ({', '.join(sorted(CATALOGUE))})")
    store = ModelStore(home)
    if name in store.names():
        raise ConfigError(f"model '{name}' is already installed")
    say = status or _rich_status
    # Looked up at call time so the defaults can be replaced in one place.
    download = download or hub_download
    convert = convert or ct2_convert
    store.home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".pull-", dir=store.home) as tmp:
        try:
            snapshot = download(entry.repo, Path(tmp) / "snapshot")
        except PullError as exc:
            raise PullError(
                f"model '{name}' is missing and could not be downloaded ({exc}); "
                f"to use a local copy: tarjama models add DIR --name {name}"
            ) from exc
        origin: dict[str, Any] = {"kind": "hub", "repo": entry.repo}
        revision = _revision(snapshot)
        if revision:
            origin["revision"] = revision
        if (snapshot / "model.bin").is_file():
            model_dir = snapshot
            origin["converted"] = False
        else:
            say(f"converting {entry.repo} to CTranslate2 int8")
            model_dir = Path(tmp) / "ct2"
            convert(snapshot, model_dir, entry.copy_files)
            origin["converted"] = True
            origin["quantization"] = "int8"
        return store.add(
            model_dir,
            name,
            source=entry.source,
            target=entry.target,
            origin=origin,
            source_prefix=entry.source_prefix,
            move=True,
        )


def _revision(snapshot: Path) -> str | None:
    """The commit huggingface_hub recorded for a local_dir download, when it did."""
    meta = snapshot / ".cache" / "huggingface" / "download"
    for f in sorted(meta.glob("*.metadata")) if meta.is_dir() else []:
        first = f.read_text(encoding="utf-8").splitlines()[:1]
        if first:
            return first[0].strip()
    return None


def _rich_status(message: str) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[bold]tarjama[/bold]: {message}")

"""`models pull`: download a catalogue model from the Hugging Face hub and install it.

This is the only module that touches the network, and only when ``pull`` is called.
A hub repository that already holds a CTranslate2 model (``model.bin``) is installed as
it is; a transformers checkpoint is converted to CTranslate2 int8, which needs the
``convert`` extra (transformers + torch).

Both the download and the conversion are injectable, so tests run against a local fake
of the hub's file layout without network or torch.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import ConfigError, PullError
from .catalogue import CATALOGUE
from .convert import EXTRA, Converter, can_convert, ct2_convert, first_line
from .manifest import ENDPOINT_FAMILY, GENERATOR_FAMILY, Manifest
from .models import ModelStore

#: download(repo_id, local_dir) -> directory holding the snapshot
Downloader = Callable[[str, Path], Path]
#: Tokenizer and configuration files a conversion reads (nothing else is downloaded).
_WANTED = re.compile(r"[^/]+\.(json|spm|model|jinja)|[^/]+vocab[^/]*\.txt|merges\.txt")
_WEIGHTS = (
    # (single file, shards) in order of preference: one format only, never both.
    ("model.bin", re.compile(r"model\.bin")),  # a CTranslate2 model: nothing to convert
    ("model.safetensors", re.compile(r"model-\d+-of-\d+\.safetensors")),
    ("pytorch_model.bin", re.compile(r"pytorch_model-\d+-of-\d+\.bin")),
)


def choose_files(files: list[str]) -> list[str]:
    """The files of a hub repository that a pull needs: configuration, tokenizer and one
    weight format (CTranslate2, else safetensors, else PyTorch), shards and index included."""
    top = [f for f in files if "/" not in f]
    chosen = [f for f in top if _WANTED.fullmatch(f) and not f.endswith(".index.json")]
    for single, shards in _WEIGHTS:
        parts = [f for f in top if shards.fullmatch(f)]
        if single in top or parts:
            index = [f for f in top if f == f"{single}.index.json"]
            return sorted(set(chosen) | ({single} if single in top else set(parts)) | set(index))
    raise PullError(
        f"no weights in the repository (looked for {', '.join(w for w, _ in _WEIGHTS)})"
    )


def hub_download(repo_id: str, local_dir: Path) -> Path:
    """Snapshot the files a pull needs (:func:`choose_files`) into ``local_dir``, with
    huggingface_hub's progress bars."""
    import huggingface_hub
    from huggingface_hub.utils import logging as hub_logging

    # Its retries log a warning each; the one error below says what failed, once.
    hub_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
    try:
        files = choose_files(list(huggingface_hub.list_repo_files(repo_id)))
        if "model.bin" not in files and not can_convert():
            raise PullError(f"{repo_id} is a transformers checkpoint, and {EXTRA}")
        return Path(
            huggingface_hub.snapshot_download(repo_id, local_dir=local_dir, allow_patterns=files)
        )
    except PullError:
        raise
    except Exception as exc:  # network, authentication, missing repository: all one thing here
        raise PullError(f"cannot download {repo_id}: {first_line(exc)}") from exc


def add_hint(name: str) -> str:
    """The command that installs a local copy of catalogue model ``name`` (a CTranslate2
    model, or the hub checkpoint copied by hand), for its pair."""
    entry = CATALOGUE[name]
    both = entry.family in ("nllb", GENERATOR_FAMILY)
    pair = "" if both else f" --source {entry.source} --target {entry.target}"
    return f"tarjama models add DIR --name {name}{pair}"


def endpoint_hint(name: str) -> str:
    """Why catalogue model ``name`` is not pulled, and the command that records it as an
    endpoint (one line)."""
    entry = CATALOGUE[name]
    return (
        f"'{name}' runs through an OpenAI-compatible server only ({entry.note}); serve it "
        f"(docs/llm.md) and record it: tarjama models add-endpoint {name} --url URL "
        f"--model {entry.repo} --profile {entry.profile}"
    )


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
    if entry.family == ENDPOINT_FAMILY:
        raise ConfigError(endpoint_hint(name))
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
                f"to use a local copy: {add_hint(name)}"
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
        # An LLM translates both ways (its prompt profile is the catalogue's).
        llm = entry.family == GENERATOR_FAMILY
        return store.add(
            model_dir,
            name,
            source=None if llm else entry.source,
            target=None if llm else entry.target,
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

"""The model store: where models live, what a model directory holds, and its manifest.

Layout::

    $TARJAMA_HOME/                 (default: $XDG_DATA_HOME/tarjama or ~/.local/share/tarjama)
        models/NAME/               a CTranslate2 model directory plus tarjama.json

A model directory is recognised by its files (see :func:`detect_layout`):

- ``marian``: model.bin + source.spm + target.spm (OPUS-MT converted to CTranslate2)
- ``nllb``: model.bin + one SentencePiece model + language-code tokens in the vocabulary
- ``characters``: model.bin + source/target vocabularies, no SentencePiece

Nothing here touches the network or loads a model: downloads live in :mod:`.pull`, and
:mod:`tarjama.engines.loader` opens a model directory as an engine.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import ConfigError, CorruptModel, InputError, UnknownModel
from .paths import MODELS, default_home

MANIFEST = "tarjama.json"
LANGUAGES = ("ar", "en")
#: NLLB/M2M-100 language codes for the languages tarjama handles.
NLLB_CODES = {"ar": "arb_Arab", "en": "eng_Latn"}
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


@dataclass
class Manifest:
    """What ``tarjama.json`` records about an installed model."""

    name: str
    family: str
    pairs: list[tuple[str, str]]
    tokenizer: dict[str, Any]
    origin: dict[str, Any]
    size_bytes: int
    model_id: str
    max_input_tokens: int = 512
    source_prefix: list[str] = field(default_factory=list)
    added: str = ""
    format: int = 1

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["pairs"] = [list(p) for p in self.pairs]
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        try:
            return cls(
                name=str(data["name"]),
                family=str(data["family"]),
                pairs=[(str(s), str(t)) for s, t in data["pairs"]],
                tokenizer=dict(data["tokenizer"]),
                origin=dict(data["origin"]),
                size_bytes=int(data["size_bytes"]),
                model_id=str(data["model_id"]),
                max_input_tokens=int(data.get("max_input_tokens", 512)),
                source_prefix=[str(t) for t in data.get("source_prefix", [])],
                added=str(data.get("added", "")),
                format=int(data.get("format", 1)),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise CorruptModel(f"invalid {MANIFEST}: {exc}") from exc


def _vocab_file(directory: Path, stem: str) -> Path | None:
    for suffix in (".json", ".txt"):
        p = directory / f"{stem}{suffix}"
        if p.is_file():
            return p
    return None


def _read_vocab(path: Path) -> list[str]:
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return [str(t) for t in data]
    return path.read_text(encoding="utf-8").splitlines()


def detect_layout(directory: Path) -> tuple[str, dict[str, Any]]:
    """Return (family, tokenizer description) for a CTranslate2 model directory."""
    if not directory.is_dir():
        raise CorruptModel(f"{directory} is not a directory")
    if not (directory / "model.bin").is_file():
        raise CorruptModel(f"{directory} holds no model.bin: not a CTranslate2 model")
    if (directory / "source.spm").is_file() and (directory / "target.spm").is_file():
        return "marian", {"kind": "sentencepiece", "source": "source.spm", "target": "target.spm"}
    spm_models = sorted(directory.glob("*.model"))
    if spm_models:
        vocab = _vocab_file(directory, "shared_vocabulary") or _vocab_file(
            directory, "source_vocabulary"
        )
        tokens = set(_read_vocab(vocab)) if vocab else set()
        if not set(NLLB_CODES.values()) <= tokens:
            raise CorruptModel(
                f"{directory}: {spm_models[0].name} found but the vocabulary lacks the "
                f"language codes {', '.join(NLLB_CODES.values())} (not an NLLB model)"
            )
        return "nllb", {"kind": "sentencepiece", "model": spm_models[0].name}
    src = _vocab_file(directory, "source_vocabulary")
    tgt = _vocab_file(directory, "target_vocabulary")
    if src and tgt:
        return "characters", {"kind": "characters", "source": src.name, "target": tgt.name}
    raise CorruptModel(
        f"{directory}: unrecognised layout (expected source.spm + target.spm, an NLLB "
        "SentencePiece model, or source/target vocabularies for a character model)"
    )


def _dir_size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


def _model_id(directory: Path) -> str:
    """A content hash of the weights, read in chunks so big models do not fill memory."""
    h = hashlib.sha256()
    with (directory / "model.bin").open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:12]


def _check_lang(code: str) -> str:
    if code not in LANGUAGES:
        raise ConfigError(f"unsupported language '{code}' (tarjama handles {', '.join(LANGUAGES)})")
    return code


def build_manifest(
    directory: Path,
    name: str,
    *,
    source: str = "ar",
    target: str = "en",
    origin: dict[str, Any] | None = None,
    source_prefix: list[str] | None = None,
    max_input_tokens: int | None = None,
) -> Manifest:
    family, tokenizer = detect_layout(directory)
    if family == "nllb":
        pairs = [(s, t) for s in LANGUAGES for t in LANGUAGES if s != t]
    else:
        pairs = [(_check_lang(source), _check_lang(target))]
        if source == target:
            raise ConfigError("source and target languages must differ")
    if max_input_tokens is None:
        # Characters models were trained on single words; Marian/NLLB have 512/1024 positions.
        max_input_tokens = {"marian": 512, "nllb": 1024, "characters": 64}[family]
    return Manifest(
        name=name,
        family=family,
        pairs=pairs,
        tokenizer=tokenizer,
        origin=origin or {"kind": "local", "path": str(directory.resolve())},
        size_bytes=_dir_size(directory),
        model_id=_model_id(directory),
        max_input_tokens=max_input_tokens,
        source_prefix=source_prefix or [],
        added=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )


class ModelStore:
    """Installed models under ``home/models``."""

    def __init__(self, home: str | Path | None = None) -> None:
        self.home = Path(home) if home is not None else default_home()
        self.root = self.home / MODELS

    def names(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir() if (p / MANIFEST).is_file())

    def manifests(self) -> list[Manifest]:
        return [self.manifest(n) for n in self.names()]

    def path(self, name: str) -> Path:
        return self.root / name

    def manifest(self, name: str) -> Manifest:
        path = self.root / name / MANIFEST
        if not path.is_file():
            raise UnknownModel(name, self.names())
        return read_manifest(path.parent)

    def add(
        self,
        directory: str | Path,
        name: str,
        *,
        source: str = "ar",
        target: str = "en",
        origin: dict[str, Any] | None = None,
        source_prefix: list[str] | None = None,
        move: bool = False,
    ) -> Manifest:
        """Copy (or move) a model directory into the store and write its manifest."""
        src = Path(directory)
        if not src.exists():
            raise InputError(f"no such directory: {directory}")
        if not _NAME.match(name):
            raise ConfigError(
                f"invalid model name '{name}' (letters, digits, '.', '_' and '-' only)"
            )
        dest = self.root / name
        if dest.exists():
            raise ConfigError(f"a model named '{name}' is already installed; remove it first")
        manifest = build_manifest(
            src, name, source=source, target=target, origin=origin, source_prefix=source_prefix
        )
        staging = self.root / f".{name}.partial"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if staging.exists():
                shutil.rmtree(staging)
            if move:
                shutil.move(str(src), staging)
            else:
                shutil.copytree(src, staging)
            (staging / MANIFEST).write_text(
                json.dumps(manifest.to_json(), ensure_ascii=False, indent=2) + "\n",
                encoding="utf-8",
            )
            # Rename last: a crash leaves a .partial directory, never a half-installed model.
            staging.rename(dest)
        except OSError as exc:
            shutil.rmtree(staging, ignore_errors=True)
            raise ConfigError(f"cannot install model '{name}' in {self.root}: {_why(exc)}") from exc
        return manifest

    def remove(self, name: str) -> None:
        if name not in self.names():
            raise UnknownModel(name, self.names())
        try:
            shutil.rmtree(self.root / name)
        except OSError as exc:
            raise ConfigError(f"cannot remove model '{name}': {_why(exc)}") from exc

    def resolve(self, name_or_dir: str | Path) -> tuple[Path, Manifest]:
        """An installed model's name, or a path to a model directory (manifest optional)."""
        as_path = Path(name_or_dir)
        if str(name_or_dir) in self.names():
            return self.path(str(name_or_dir)), self.manifest(str(name_or_dir))
        if as_path.is_dir():
            if (as_path / MANIFEST).is_file():
                return as_path, read_manifest(as_path)
            return as_path, build_manifest(as_path, as_path.resolve().name)
        raise UnknownModel(str(name_or_dir), self.names())


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def read_manifest(directory: Path) -> Manifest:
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CorruptModel(f"cannot read {directory / MANIFEST}: {exc}") from exc
    if not isinstance(data, dict):
        raise CorruptModel(f"{directory / MANIFEST} is not a JSON object")
    manifest = Manifest.from_json(data)
    if not (directory / "model.bin").is_file():
        raise CorruptModel(f"model '{manifest.name}' is missing model.bin in {directory}")
    return manifest

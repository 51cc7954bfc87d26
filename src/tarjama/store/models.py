"""The model store: installed models under ``$TARJAMA_HOME/models``, each a CTranslate2
model directory with its ``tarjama.json`` manifest (:mod:`.manifest`).

``add`` takes a CTranslate2 directory as it is, or a transformers checkpoint (an HF
snapshot), converted as ``pull`` converts it (:mod:`.convert`). Nothing here touches the
network or loads a model: downloads live in :mod:`.pull`, and
:mod:`tarjama.engines.loader` opens a model directory as an engine.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import ConfigError, CorruptModel, InputError, UnknownModel
from .catalogue import CATALOGUE
from .convert import COPY_FILES, Converter, checkpoint_family, ct2_convert
from .llm import GeneratorSettings
from .manifest import (
    ENDPOINT_FAMILY,
    GENERATOR_FAMILY,
    LANGUAGES,
    MANIFEST,
    NAME,
    Manifest,
    build_manifest,
)
from .paths import MODELS, default_home


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
        source: str | None = None,
        target: str | None = None,
        origin: dict[str, Any] | None = None,
        source_prefix: list[str] | None = None,
        move: bool = False,
        convert: Converter = ct2_convert,
        profile: str | None = None,
    ) -> Manifest:
        """Install a CTranslate2 model directory, or convert a transformers checkpoint and
        install the result; write its manifest. The original is copied (or moved).

        An LLM (family ``generator``) gets ``profile``, else its catalogue entry's, else
        the one it has (``generic`` once converted) in its ``generator.json``."""
        src = Path(directory)
        if not src.exists():
            raise InputError(f"no such directory: {directory}")
        if not src.is_dir():
            raise InputError(f"{directory} is a file; give the model's directory")
        self._check_new(name)
        dest = self.root / name
        family = checkpoint_family(src)
        origin = origin or {"kind": "local", "path": str(src.resolve())}
        with tempfile.TemporaryDirectory(prefix=".convert-", dir=self._workdir(name)) as tmp:
            if family is not None:
                converted = Path(tmp) / "ct2"
                convert(src, converted, COPY_FILES[family])
                src, move = converted, True
                origin = {**origin, "converted": True, "quantization": "int8"}
            manifest = build_manifest(
                src, name, source=source, target=target, origin=origin, source_prefix=source_prefix
            )
            if profile and manifest.family != GENERATOR_FAMILY:
                raise ConfigError(f"a prompt profile is for LLMs, and '{name}' is not one")
            self._install(src, dest, manifest, move=move)
        if manifest.family == GENERATOR_FAMILY:
            entry = CATALOGUE.get(name)
            chosen = profile or (entry.profile if entry else "")
            if chosen:
                window = GeneratorSettings.read(dest).window
                GeneratorSettings(chosen, window).write(dest)
        return manifest

    def add_endpoint(
        self,
        name: str,
        settings: dict[str, Any],
        *,
        pairs: list[tuple[str, str]],
        max_input_tokens: int = 512,
    ) -> Manifest:
        """Record an OpenAI-compatible endpoint as a model: a directory holding only its
        manifest (family ``openai``; ``origin`` holds the URL, the model id, the prompt
        profile, the limits and the name of the API key's variable, never a key)."""
        self._check_new(name)
        for s, t in pairs:
            if s == t or s not in LANGUAGES or t not in LANGUAGES:
                raise ConfigError(f"unsupported pair {s}->{t} (tarjama handles ar and en)")
        manifest = Manifest(
            name=name,
            family=ENDPOINT_FAMILY,
            pairs=pairs,
            tokenizer={"kind": "estimate"},
            origin={"kind": "endpoint", **settings},
            size_bytes=0,
            model_id=str(settings.get("model", "")),
            max_input_tokens=max_input_tokens,
            added=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        with tempfile.TemporaryDirectory(prefix=".endpoint-", dir=self._workdir(name)) as tmp:
            self._install(Path(tmp) / "empty", self.root / name, manifest, move=False)
        return manifest

    def _check_new(self, name: str) -> None:
        if not NAME.match(name):
            raise ConfigError(
                f"invalid model name '{name}' (letters, digits, '.', '_' and '-' only)"
            )
        if (self.root / name).exists():
            raise ConfigError(f"a model named '{name}' is already installed; remove it first")

    def _workdir(self, name: str) -> Path:
        """Conversions happen inside the store, so the result is renamed, not copied."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot install model '{name}' in {self.root}: {_why(exc)}") from exc
        return self.root

    def _install(self, src: Path, dest: Path, manifest: Manifest, *, move: bool) -> None:
        staging = self.root / f".{dest.name}.partial"
        try:
            if staging.exists():
                shutil.rmtree(staging)
            if not src.exists():  # an endpoint: the manifest alone
                staging.mkdir(parents=True)
            elif move:
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
            raise ConfigError(
                f"cannot install model '{dest.name}' in {self.root}: {_why(exc)}"
            ) from exc

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
    if manifest.family != ENDPOINT_FAMILY and not (directory / "model.bin").is_file():
        raise CorruptModel(f"model '{manifest.name}' is missing model.bin in {directory}")
    return manifest

"""A model directory: what it holds, and the manifest (``tarjama.json``) that records it.

A model directory is recognised by its files (see :func:`detect_layout`):

- ``marian``: model.bin + source.spm + target.spm (OPUS-MT converted to CTranslate2)
- ``nllb``: model.bin + one SentencePiece model + language-code tokens in the vocabulary
- ``characters``: model.bin + source/target vocabularies, no SentencePiece
- ``generator``: a decoder-only model.bin (an LLM: Llama, Qwen3, Gemma 3) + the hub's
  ``tokenizer.json`` and chat template; it translates both ways

A character model is a *helper* (it transliterates names for the names check), never a
translator. The direction of a multi-target OPUS-MT model is read from its vocabulary:
a target-language token for Arabic (``>>ara<<``) means en->ar, and it is put before every
source sentence (:func:`resolve_direction`). Nothing here loads a model or touches the
network.
"""

from __future__ import annotations

import hashlib
import json
import re
import struct
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..errors import ConfigError, CorruptModel
from .catalogue import ARABIC_TOKENS, CATALOGUE, ENGLISH_TOKENS

MANIFEST = "tarjama.json"
LANGUAGES = ("ar", "en")
#: NLLB/M2M-100 language codes for the languages tarjama handles.
NLLB_CODES = {"ar": "arb_Arab", "en": "eng_Latn"}
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
ROLES = ("translator", "helper")
#: The family of a model that is an OpenAI-compatible endpoint: no weights, no model.bin.
ENDPOINT_FAMILY = "openai"
#: A decoder-only model run in-process by CTranslate2's Generator.
GENERATOR_FAMILY = "generator"
#: The families whose model is an LLM: guarded, with the pair's NMT model to fall back on.
LLM_FAMILIES = (ENDPOINT_FAMILY, GENERATOR_FAMILY)
_LANGUAGE_TOKEN = re.compile(r">>[a-z]{2,3}(?:_[A-Za-z]{4})?<<")


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
    #: "translator", or "helper" for a model that serves other stages (transliteration).
    role: str = "translator"

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
                role=str(data.get("role") or default_role(str(data["family"]))),
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
    """A vocabulary file's tokens: a JSON list (CTranslate2), a JSON object of token -> id
    (a transformers vocab.json), or one token per line."""
    try:
        if path.suffix == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
            return [str(t) for t in data]
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        raise CorruptModel(f"cannot read the vocabulary {path}: {exc}") from exc


def default_role(family: str) -> str:
    """Character models transliterate names for the checks; the others translate."""
    return "helper" if family == "characters" else "translator"


def check_model_bin(path: Path) -> str:
    """Refuse a ``model.bin`` that is not a CTranslate2 model by its header (a version,
    then the spec's name), before CTranslate2 calls it "a later version"; its spec's name."""
    try:
        with path.open("rb") as f:
            head = f.read(2 + 4 + 256)
    except OSError as exc:
        raise CorruptModel(f"cannot read {path}: {exc.strerror}") from exc
    ok = len(head) >= 8
    if ok:
        version, length = struct.unpack_from("<IH", head)
        name = head[6 : 6 + length]
        ok = 1 <= version <= 100 and 2 <= length <= 250 and name.endswith(b"\0")
        ok = ok and name[:-1].isascii() and name[:-1].decode("ascii").isidentifier()
    if not ok:
        raise CorruptModel(f"{path} is not a CTranslate2 model (its header is not one)")
    return head[6 : 6 + length - 1].decode("ascii")


def language_tokens(directory: Path) -> list[str]:
    """The target-language tokens (``>>ara<<``) in a model's or a checkpoint's vocabulary."""
    found: set[str] = set()
    for stem in ("shared_vocabulary", "source_vocabulary", "vocab"):
        path = _vocab_file(directory, stem)
        if path is not None:
            found.update(t for t in _read_vocab(path) if _LANGUAGE_TOKEN.fullmatch(t))
    return sorted(found)


def resolve_direction(
    name: str,
    tokens: list[str],
    source: str | None,
    target: str | None,
    prefix: list[str] | None,
) -> tuple[str, str, list[str]]:
    """The pair and source prefix of a one-pair model: what the user said, else the
    catalogue's entry of that name, else the vocabulary's target-language tokens, else
    ar->en. A pair the vocabulary contradicts is refused."""
    entry = CATALOGUE.get(name)
    if entry is not None:
        source, target = source or entry.source, target or entry.target
        if prefix is None and (source, target) == (entry.source, entry.target):
            prefix = entry.source_prefix
    by_language = {
        "ar": [t for t in ARABIC_TOKENS if t in tokens],
        "en": [t for t in ENGLISH_TOKENS if t in tokens],
    }
    writes = [lang for lang, found in by_language.items() if found]
    wanted = _check_lang(target or (writes[0] if len(writes) == 1 else "en"))
    if tokens and not prefix:
        prefix = by_language[wanted][:1]
    prefix = prefix or []
    missing = [t for t in prefix if t not in tokens]
    if missing:
        raise ConfigError(f"model '{name}': {missing[0]} is not in its vocabulary")
    if tokens and not (prefix and prefix[0] in by_language[wanted]):
        if writes == ["ar"]:
            raise ConfigError(
                f"model '{name}' has the target-language token {by_language['ar'][0]} for "
                "Arabic: it translates into Arabic (add it with --source en --target ar)"
            )
        raise ConfigError(
            f"model '{name}' writes the languages of its target tokens "
            f"({', '.join(tokens[:8])}), not {wanted} (give --source and --target)"
        )
    source = source or ("en" if wanted == "ar" else "ar")
    return _check_lang(source), wanted, list(prefix)


def detect_layout(directory: Path) -> tuple[str, dict[str, Any]]:
    """Return (family, tokenizer description) for a CTranslate2 model directory."""
    if not directory.is_dir():
        raise CorruptModel(f"{directory} is not a directory")
    if not (directory / "model.bin").is_file():
        raise CorruptModel(f"{directory} holds no model.bin: not a CTranslate2 model")
    if check_model_bin(directory / "model.bin") == "TransformerDecoderSpec":
        if not (directory / "tokenizer.json").is_file():
            raise CorruptModel(f"{directory}: a decoder-only model without its tokenizer.json")
        return GENERATOR_FAMILY, {"kind": "tokenizers", "file": "tokenizer.json"}
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
    source: str | None = None,
    target: str | None = None,
    origin: dict[str, Any] | None = None,
    source_prefix: list[str] | None = None,
    max_input_tokens: int | None = None,
) -> Manifest:
    """The manifest of a CTranslate2 model directory; ``source``, ``target`` and
    ``source_prefix`` default as :func:`resolve_direction` says."""
    family, tokenizer = detect_layout(directory)
    prefix: list[str] = []
    if family == "nllb":
        pairs = [(s, t) for s in LANGUAGES for t in LANGUAGES if s != t]
    elif family == GENERATOR_FAMILY:
        pairs = [(_check_lang(source), _check_lang(target))] if source and target else []
        pairs = pairs or [(s, t) for s in LANGUAGES for t in LANGUAGES if s != t]
    elif family == "characters":
        pairs = [(_check_lang(source or "ar"), _check_lang(target or "en"))]
    else:
        source, target, prefix = resolve_direction(
            name, language_tokens(directory), source, target, source_prefix
        )
        pairs = [(source, target)]
    if len(set(pairs[0])) == 1:
        raise ConfigError("source and target languages must differ")
    if max_input_tokens is None:
        # Characters models were trained on single words; Marian/NLLB have 512/1024 positions.
        # An LLM reads a paragraph's sentences in one prompt; a sentence stays short.
        limits = {"marian": 512, "nllb": 1024, "characters": 64, GENERATOR_FAMILY: 512}
        max_input_tokens = limits[family]
    return Manifest(
        name=name,
        family=family,
        pairs=pairs,
        tokenizer=tokenizer,
        origin=origin or {"kind": "local", "path": str(directory.resolve())},
        size_bytes=_dir_size(directory),
        model_id=_model_id(directory),
        max_input_tokens=max_input_tokens,
        source_prefix=prefix,
        added=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        role=default_role(family),
    )

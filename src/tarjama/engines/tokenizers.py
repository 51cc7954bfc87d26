"""Tokenizers for the three model layouts: Marian SentencePiece, NLLB, and characters.

A tokenizer turns one text into one or more *units* (token lists the model sees
separately) and turns the units' outputs back into text. Character models were trained on
single words, so each word is its own unit; SentencePiece models see one unit per text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import sentencepiece as spm

from ..errors import CorruptModel
from ..store.models import NLLB_CODES


class Tokenizer(Protocol):
    hash: str

    def encode(self, text: str, source: str, target: str) -> list[list[str]]: ...

    def target_prefix(self, target: str) -> list[str] | None: ...

    def decode(self, units: Sequence[Sequence[str]]) -> str: ...


def file_hash(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


def _load_spm(path: Path) -> spm.SentencePieceProcessor:
    try:
        return spm.SentencePieceProcessor(model_file=str(path))
    except (OSError, RuntimeError) as exc:
        raise CorruptModel(f"cannot load SentencePiece model {path}: {exc}") from exc


class MarianTokenizer:
    """OPUS-MT: source.spm and target.spm, ``</s>`` closes the source.

    Multi-target models (e.g. opus-mt-en-ar) need a ``>>ara<<`` token first.
    """

    def __init__(self, source_spm: Path, target_spm: Path, source_prefix: Sequence[str] = ()):
        self._src = _load_spm(source_spm)
        self._tgt = _load_spm(target_spm)
        self._prefix = list(source_prefix)
        self.hash = file_hash([source_spm, target_spm])

    def encode(self, text: str, source: str, target: str) -> list[list[str]]:
        return [[*self._prefix, *self._src.encode(text, out_type=str), "</s>"]]

    def target_prefix(self, target: str) -> list[str] | None:
        return None

    def decode(self, units: Sequence[Sequence[str]]) -> str:
        return " ".join(str(self._tgt.decode_pieces(list(u))) for u in units)


class NllbTokenizer:
    """NLLB/M2M-100: one SentencePiece model, language codes around the tokens."""

    def __init__(self, model: Path):
        self._sp = _load_spm(model)
        self.hash = file_hash([model])

    def encode(self, text: str, source: str, target: str) -> list[list[str]]:
        return [[NLLB_CODES[source], *self._sp.encode(text, out_type=str), "</s>"]]

    def target_prefix(self, target: str) -> list[str] | None:
        return [NLLB_CODES[target]]

    def decode(self, units: Sequence[Sequence[str]]) -> str:
        codes = set(NLLB_CODES.values())
        return " ".join(
            str(self._sp.decode_pieces([t for t in u if t not in codes])) for u in units
        )


class CharacterTokenizer:
    """One token per character, one unit per word (the models were trained on words)."""

    def __init__(self, vocab_files: Sequence[Path]):
        self.hash = file_hash(vocab_files)

    def encode(self, text: str, source: str, target: str) -> list[list[str]]:
        return [list(word) for word in text.split()]

    def target_prefix(self, target: str) -> list[str] | None:
        return None

    def decode(self, units: Sequence[Sequence[str]]) -> str:
        return " ".join("".join(u) for u in units)

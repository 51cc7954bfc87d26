"""Tokenizers for the three model layouts: Marian SentencePiece, NLLB, and characters.

A tokenizer turns one text into one or more *units* (token lists the model sees
separately) and turns the units' outputs back into text. Character models were trained on
single words, so each word is its own unit; SentencePiece models see one unit per text.

Decoding never lets a special token or SentencePiece's word mark ``▁`` into the text, as
transformers' ``decode(skip_special_tokens=True)`` does not: a model's vocabulary holds
tokens its target SentencePiece model lacks (Marian's vocabulary is the union of both
sides, so an Arabic name can be copied into English), and special tokens (language codes,
``<unk>``, ``madeupword0000``) can be emitted like any other.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

import sentencepiece as spm

from ..errors import CorruptModel
from ..store.manifest import NLLB_CODES


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


#: Tokens that are instructions or padding, never text: <unk>, </s>, <pad>, <mask>, ...,
#: Marian's >>ara<< target tokens, NLLB's language codes (arb_Arab) and fillers.
_SPECIAL = re.compile(
    r"<[^<>\s]+>|>>[a-z]{2,3}(?:_[A-Za-z]{4})?<<|[a-z]{3}_[A-Z][a-z]{3}|madeupword\d+"
)
_WORD_MARK = "\u2581"  # ▁


def is_special(token: str) -> bool:
    return _SPECIAL.fullmatch(token) is not None


def decode_pieces(sp: spm.SentencePieceProcessor, pieces: Sequence[str]) -> str:
    """Text of SentencePiece ``pieces``, special tokens dropped; a piece the model does not
    know keeps its text, with its word mark read as a space."""
    text = str(sp.decode_pieces([p for p in pieces if not is_special(p)]))
    return " ".join(text.replace(_WORD_MARK, " ").split())


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
        return " ".join(decode_pieces(self._tgt, u) for u in units)


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
        return " ".join(decode_pieces(self._sp, u) for u in units)


class CharacterTokenizer:
    """One token per character, one unit per word (the models were trained on words)."""

    def __init__(self, vocab_files: Sequence[Path]):
        self.hash = file_hash(vocab_files)

    def encode(self, text: str, source: str, target: str) -> list[list[str]]:
        return [list(word) for word in text.split()]

    def target_prefix(self, target: str) -> list[str] | None:
        return None

    def decode(self, units: Sequence[Sequence[str]]) -> str:
        return " ".join("".join(t for t in u if not is_special(t)) for u in units)

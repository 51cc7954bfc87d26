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

    def word_ids(self, tokens: Sequence[str]) -> list[int | None]:
        """For each token of one unit, the word of the unit's text it belongs to (None
        for control tokens): what turns token attention into a word alignment."""
        ...


#: Control tokens of SentencePiece models: never part of a word.
_CONTROL = frozenset({"</s>", "<s>", "<pad>"})


def piece_word_ids(tokens: Sequence[str], control: frozenset[str]) -> list[int | None]:
    """SentencePiece pieces to words: a piece starting with "▁" starts a new word."""
    ids: list[int | None] = []
    word = -1
    for token in tokens:
        if token in control or token in _CONTROL:
            ids.append(None)
            continue
        if word < 0 or token.startswith("▁"):
            word += 1
        ids.append(word)
    return ids


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


_NLLB_CODES = frozenset(NLLB_CODES.values())


class MarianTokenizer:
    """OPUS-MT: source.spm and target.spm, ``</s>`` closes the source.

    Multi-target models (e.g. opus-mt-en-ar) need a ``>>ara<<`` token first.
    """

    def __init__(self, source_spm: Path, target_spm: Path, source_prefix: Sequence[str] = ()):
        self._src = _load_spm(source_spm)
        self._tgt = _load_spm(target_spm)
        self._prefix = list(source_prefix)
        self._control = frozenset(self._prefix)
        self.hash = file_hash([source_spm, target_spm])

    def encode(self, text: str, source: str, target: str) -> list[list[str]]:
        return [[*self._prefix, *self._src.encode(text, out_type=str), "</s>"]]

    def target_prefix(self, target: str) -> list[str] | None:
        return None

    def decode(self, units: Sequence[Sequence[str]]) -> str:
        return " ".join(str(self._tgt.decode_pieces(list(u))) for u in units)

    def word_ids(self, tokens: Sequence[str]) -> list[int | None]:
        return piece_word_ids(tokens, self._control)


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

    def word_ids(self, tokens: Sequence[str]) -> list[int | None]:
        return piece_word_ids(tokens, _NLLB_CODES)


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

    def word_ids(self, tokens: Sequence[str]) -> list[int | None]:
        return [0] * len(tokens)  # a unit is one word
